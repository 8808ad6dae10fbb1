#pragma once
// RAII for the OpenSSL handles gw::jose uses. Internal to core/jose (and its tests): the public
// headers speak JWK, bytes and EVP_PKEY.

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include <memory>
#include <string_view>

namespace gw::jose::ossl {

template <class T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const { Free(p); }
};

using PkeyCtx = std::unique_ptr<EVP_PKEY_CTX, Deleter<EVP_PKEY_CTX, EVP_PKEY_CTX_free>>;
using MdCtx = std::unique_ptr<EVP_MD_CTX, Deleter<EVP_MD_CTX, EVP_MD_CTX_free>>;
using Bignum = std::unique_ptr<BIGNUM, Deleter<BIGNUM, BN_free>>;
using EcdsaSig = std::unique_ptr<ECDSA_SIG, Deleter<ECDSA_SIG, ECDSA_SIG_free>>;
using ParamBld = std::unique_ptr<OSSL_PARAM_BLD, Deleter<OSSL_PARAM_BLD, OSSL_PARAM_BLD_free>>;
using Params = std::unique_ptr<OSSL_PARAM, Deleter<OSSL_PARAM, OSSL_PARAM_free>>;

inline const unsigned char* bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

// A big-endian unsigned integer from `data`; null when OpenSSL cannot allocate it.
inline Bignum bignum(std::string_view data) {
  return Bignum(BN_bin2bn(bytes(data), static_cast<int>(data.size()), nullptr));
}

// Failed calls leave reasons on the thread's error queue. Nothing here reports them (a refusal
// carries our own reason), and a stale entry would be read as the cause of the next failure of
// any OpenSSL user on this thread (core/acme reports the queue), so every failure path clears it.
inline void forgetErrors() { ERR_clear_error(); }

}  // namespace gw::jose::ossl
