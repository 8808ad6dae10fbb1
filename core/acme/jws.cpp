#include "core/acme/jws.hpp"

#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>

#include <utility>

#include "core/acme/encoding.hpp"
#include "core/acme/ossl.hpp"

namespace gw::acme {

namespace {

bool isEc(const PrivateKey& key) {
  return key.type() == KeyType::kEcdsaP256 || key.type() == KeyType::kEcdsaP384;
}

int coordinateWidth(const PrivateKey& key) { return key.type() == KeyType::kEcdsaP384 ? 48 : 32; }

std::string bnParam(const PrivateKey& key, const char* name, int width = 0) {
  BIGNUM* raw = nullptr;
  EVP_PKEY_get_bn_param(key.native(), name, &raw);
  const ossl::Bignum bn(raw);
  return bn ? ossl::bignumBytes(bn.get(), width) : std::string();
}

// DER ECDSA-Sig-Value -> r||s, each left-padded to the curve's width.
core::Result<std::string> rawEcSignature(const std::string& der, int width) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  ECDSA_SIG* parsed = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size()));
  if (parsed == nullptr) {
    return ossl::error("reading an ECDSA signature");
  }
  const BIGNUM* r = nullptr;
  const BIGNUM* s = nullptr;
  ECDSA_SIG_get0(parsed, &r, &s);
  std::string out = ossl::bignumBytes(r, width) + ossl::bignumBytes(s, width);
  ECDSA_SIG_free(parsed);
  return out;
}

}  // namespace

nlohmann::json jwk(const PrivateKey& key) {
  if (isEc(key)) {
    const int width = coordinateWidth(key);
    return {{"crv", key.type() == KeyType::kEcdsaP384 ? "P-384" : "P-256"},
            {"kty", "EC"},
            {"x", base64url(bnParam(key, OSSL_PKEY_PARAM_EC_PUB_X, width))},
            {"y", base64url(bnParam(key, OSSL_PKEY_PARAM_EC_PUB_Y, width))}};
  }
  return {{"e", base64url(bnParam(key, OSSL_PKEY_PARAM_RSA_E))},
          {"kty", "RSA"},
          {"n", base64url(bnParam(key, OSSL_PKEY_PARAM_RSA_N))}};
}

std::string jwkThumbprint(const PrivateKey& key) {
  // nlohmann::json keeps object members sorted and dump() adds no whitespace: exactly the
  // canonical form of RFC 7638 section 3.3 for these ASCII-only members.
  return base64url(sha256(jwk(key).dump()));
}

std::string_view jwsAlgorithm(const PrivateKey& key) {
  switch (key.type()) {
    case KeyType::kEcdsaP256:
      return "ES256";
    case KeyType::kEcdsaP384:
      return "ES384";
    case KeyType::kRsa2048:
    case KeyType::kRsa4096:
      break;
  }
  return "RS256";
}

core::Result<std::string> jwsSignature(const PrivateKey& key, std::string_view signing_input) {
  const ossl::MdCtx ctx(EVP_MD_CTX_new());
  const EVP_MD* md = key.type() == KeyType::kEcdsaP384 ? EVP_sha384() : EVP_sha256();
  std::size_t size = 0;
  const auto* data = reinterpret_cast<const unsigned char*>(signing_input.data());
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, md, nullptr, key.native()) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &size, data, signing_input.size()) != 1) {
    return ossl::error("signing a request");
  }
  std::string sig(size, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &size, data,
                     signing_input.size()) != 1) {
    return ossl::error("signing a request");
  }
  sig.resize(size);
  if (isEc(key)) {
    return rawEcSignature(sig, coordinateWidth(key));
  }
  return sig;
}

core::Result<nlohmann::json> signJws(const PrivateKey& key, nlohmann::json header,
                                     std::string_view payload) {
  header["alg"] = std::string(jwsAlgorithm(key));
  const std::string protected_b64 = base64url(header.dump());
  const std::string payload_b64 = base64url(payload);
  auto sig = jwsSignature(key, protected_b64 + "." + payload_b64);
  if (!sig) {
    return std::move(sig).error();
  }
  return nlohmann::json{
      {"protected", protected_b64}, {"payload", payload_b64}, {"signature", base64url(*sig)}};
}

core::Result<nlohmann::json> externalAccountBinding(const PrivateKey& account_key,
                                                    const std::string& kid,
                                                    const std::string& hmac_key_b64url,
                                                    const std::string& new_account_url) {
  auto mac_key = base64urlDecode(hmac_key_b64url);
  if (!mac_key || mac_key->empty()) {
    return core::makeError(core::ErrorKind::kUsage,
                           "the External Account Binding HMAC key is not base64url");
  }
  const nlohmann::json header{{"alg", "HS256"}, {"kid", kid}, {"url", new_account_url}};
  const std::string protected_b64 = base64url(header.dump());
  const std::string payload_b64 = base64url(jwk(account_key).dump());
  const std::string mac = hmacSha256(*mac_key, protected_b64 + "." + payload_b64);
  return nlohmann::json{
      {"protected", protected_b64}, {"payload", payload_b64}, {"signature", base64url(mac)}};
}

}  // namespace gw::acme
