#pragma once
// RAII for the OpenSSL handles gw::acme uses, and the one way it turns OpenSSL's error queue
// into a core Error. Internal to core/acme: the public headers speak PEM and bytes.

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace gw::acme::ossl {

template <class T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const { Free(p); }
};

using Pkey = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using PkeyCtx = std::unique_ptr<EVP_PKEY_CTX, Deleter<EVP_PKEY_CTX, EVP_PKEY_CTX_free>>;
using MdCtx = std::unique_ptr<EVP_MD_CTX, Deleter<EVP_MD_CTX, EVP_MD_CTX_free>>;
using X509Ptr = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using X509Req = std::unique_ptr<X509_REQ, Deleter<X509_REQ, X509_REQ_free>>;
using X509Ext = std::unique_ptr<X509_EXTENSION, Deleter<X509_EXTENSION, X509_EXTENSION_free>>;
using X509NamePtr = std::unique_ptr<X509_NAME, Deleter<X509_NAME, X509_NAME_free>>;
using Bignum = std::unique_ptr<BIGNUM, Deleter<BIGNUM, BN_free>>;
using Asn1Object = std::unique_ptr<ASN1_OBJECT, Deleter<ASN1_OBJECT, ASN1_OBJECT_free>>;
using Asn1OctetString =
    std::unique_ptr<ASN1_OCTET_STRING, Deleter<ASN1_OCTET_STRING, ASN1_OCTET_STRING_free>>;
using Asn1Integer = std::unique_ptr<ASN1_INTEGER, Deleter<ASN1_INTEGER, ASN1_INTEGER_free>>;
using GeneralNames = std::unique_ptr<GENERAL_NAMES, Deleter<GENERAL_NAMES, GENERAL_NAMES_free>>;

struct BioDeleter {
  void operator()(BIO* b) const { BIO_free_all(b); }
};
using Bio = std::unique_ptr<BIO, BioDeleter>;

// A read-only memory BIO over `data` (which must outlive it).
Bio readBio(std::string_view data);
// A growing memory BIO; drain it with bioText.
Bio writeBio();
std::string bioText(BIO* bio);

// "<what>: <OpenSSL's reason>", clearing the thread's error queue so the next call starts clean.
core::Error error(const std::string& what, core::ErrorKind kind = core::ErrorKind::kRuntime);

// Big-endian bytes of `bn`, left-padded with zeros to `width` bytes (0: no padding).
std::string bignumBytes(const BIGNUM* bn, int width = 0);

// A random positive 128-bit serial: RFC 5280 allows 20 octets, CAs use at least 64 random bits.
Asn1Integer randomSerial();

}  // namespace gw::acme::ossl
