#include "tests/core/jose/signer.hpp"

#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <array>
#include <catch2/catch.hpp>
#include <stdexcept>

#include "core/jose/base64url.hpp"
#include "core/jose/ossl.hpp"

namespace gw::jose::test {

namespace {

Pkey generate(const char* type, int rsa_bits, const char* group) {
  const ossl::PkeyCtx ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
  if (!ctx || EVP_PKEY_keygen_init(ctx.get()) != 1) {
    throw std::runtime_error(std::string("cannot generate a key of type ") + type);
  }
  if (rsa_bits > 0 && EVP_PKEY_CTX_set_rsa_keygen_bits(ctx.get(), rsa_bits) != 1) {
    throw std::runtime_error("cannot set the RSA key size");
  }
  if (group != nullptr && EVP_PKEY_CTX_set_group_name(ctx.get(), group) != 1) {
    throw std::runtime_error("cannot set the EC group");
  }
  EVP_PKEY* raw = nullptr;
  if (EVP_PKEY_generate(ctx.get(), &raw) != 1) {
    throw std::runtime_error(std::string("cannot generate a key of type ") + type);
  }
  return {raw, EVP_PKEY_free};
}

std::string bnParam(EVP_PKEY* key, const char* name, int width) {
  BIGNUM* raw = nullptr;
  if (EVP_PKEY_get_bn_param(key, name, &raw) != 1) {
    throw std::runtime_error(std::string("no ") + name + " in the key");
  }
  const ossl::Bignum bn(raw);
  const int size = width > 0 ? width : BN_num_bytes(bn.get());
  std::string out(static_cast<std::size_t>(size), '\0');
  BN_bn2binpad(bn.get(), reinterpret_cast<unsigned char*>(out.data()), size);
  return out;
}

const EVP_MD* digestOf(Alg alg) {
  switch (alg) {
    case Alg::kRS384:
    case Alg::kES384:
      return EVP_sha384();
    case Alg::kRS512:
      return EVP_sha512();
    case Alg::kEdDSA:
      return nullptr;
    default:
      return EVP_sha256();
  }
}

// DER ECDSA-Sig-Value -> R || S, each left-padded to `width` bytes.
std::string rawFromDer(const std::string& der, int width) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  const ossl::EcdsaSig sig(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size())));
  if (!sig) {
    throw std::runtime_error("OpenSSL made an ECDSA signature it cannot read");
  }
  std::string out(2 * static_cast<std::size_t>(width), '\0');
  auto* dest = reinterpret_cast<unsigned char*>(out.data());
  BN_bn2binpad(ECDSA_SIG_get0_r(sig.get()), dest, width);
  BN_bn2binpad(ECDSA_SIG_get0_s(sig.get()), dest + width, width);
  return out;
}

std::string digestSign(Alg alg, EVP_PKEY* key, std::string_view input, int pss_salt = 32) {
  const ossl::MdCtx ctx(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pctx = nullptr;
  if (!ctx || EVP_DigestSignInit(ctx.get(), &pctx, digestOf(alg), nullptr, key) != 1) {
    throw std::runtime_error("cannot start signing");
  }
  if (alg == Alg::kPS256 && (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) != 1 ||
                             EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, EVP_sha256()) != 1 ||
                             EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, pss_salt) != 1)) {
    throw std::runtime_error("cannot set up RSASSA-PSS");
  }
  std::size_t size = 0;
  if (EVP_DigestSign(ctx.get(), nullptr, &size, ossl::bytes(input), input.size()) != 1) {
    throw std::runtime_error("cannot size the signature");
  }
  std::string sig(size, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &size,
                     ossl::bytes(input), input.size()) != 1) {
    throw std::runtime_error("cannot sign");
  }
  sig.resize(size);
  return sig;
}

std::string headerText(std::string_view alg, const std::string& kid) {
  nlohmann::json h{{"alg", alg}, {"typ", "JWT"}};
  if (!kid.empty()) {
    h["kid"] = kid;
  }
  return h.dump();
}

}  // namespace

const Pkey& rsa2048() {
  static const Pkey kKey = generate("RSA", 2048, nullptr);
  return kKey;
}

const Pkey& rsa1024() {
  static const Pkey kKey = generate("RSA", 1024, nullptr);
  return kKey;
}

const Pkey& p256() {
  static const Pkey kKey = generate("EC", 0, "P-256");
  return kKey;
}

const Pkey& p384() {
  static const Pkey kKey = generate("EC", 0, "P-384");
  return kKey;
}

const Pkey& ed25519() {
  static const Pkey kKey = generate("ED25519", 0, nullptr);
  return kKey;
}

nlohmann::json publicJwk(EVP_PKEY* key, const std::string& kid) {
  nlohmann::json jwk;
  if (EVP_PKEY_is_a(key, "RSA") == 1) {
    jwk = {{"kty", "RSA"},
           {"n", base64url(bnParam(key, OSSL_PKEY_PARAM_RSA_N, 0))},
           {"e", base64url(bnParam(key, OSSL_PKEY_PARAM_RSA_E, 0))}};
  } else if (EVP_PKEY_is_a(key, "EC") == 1) {
    const int width = EVP_PKEY_get_bits(key) / 8;
    jwk = {{"kty", "EC"},
           {"crv", width == 32 ? "P-256" : "P-384"},
           {"x", base64url(bnParam(key, OSSL_PKEY_PARAM_EC_PUB_X, width))},
           {"y", base64url(bnParam(key, OSSL_PKEY_PARAM_EC_PUB_Y, width))}};
  } else {
    std::array<unsigned char, 32> x{};
    std::size_t size = x.size();
    if (EVP_PKEY_get_raw_public_key(key, x.data(), &size) != 1) {
      throw std::runtime_error("not a key these tests make");
    }
    jwk = {{"kty", "OKP"},
           {"crv", "Ed25519"},
           {"x", base64url({reinterpret_cast<const char*>(x.data()), size})}};
  }
  if (!kid.empty()) {
    jwk["kid"] = kid;
  }
  return jwk;
}

std::string publicPem(EVP_PKEY* key) {
  BIO* bio = BIO_new(BIO_s_mem());
  const bool written = bio != nullptr && PEM_write_bio_PUBKEY(bio, key) == 1;
  char* data = nullptr;
  // BIO_get_mem_data, without the C cast its macro hides.
  const long size = written ? BIO_ctrl(bio, BIO_CTRL_INFO, 0, static_cast<void*>(&data)) : 0;
  std::string pem = size > 0 ? std::string(data, static_cast<std::size_t>(size)) : std::string();
  BIO_free(bio);
  if (pem.empty()) {
    throw std::runtime_error("cannot write the public key as PEM");
  }
  return pem;
}

nlohmann::json octJwk(std::string_view secret, const std::string& kid) {
  nlohmann::json jwk{{"kty", "oct"}, {"k", base64url(secret)}};
  if (!kid.empty()) {
    jwk["kid"] = kid;
  }
  return jwk;
}

KeySet keySet(const std::vector<nlohmann::json>& jwks) {
  auto set = KeySet::parse(nlohmann::json{{"keys", jwks}}.dump());
  REQUIRE(set);
  INFO((set->skipped().empty() ? std::string() : set->skipped().front().reason));
  REQUIRE(set->skipped().empty());
  return std::move(*set);
}

std::string sign(Alg alg, EVP_PKEY* key, std::string_view input) {
  std::string sig = digestSign(alg, key, input);
  if (alg == Alg::kES256 || alg == Alg::kES384) {
    return rawFromDer(sig, EVP_PKEY_get_bits(key) / 8);
  }
  return sig;
}

std::string signEcdsaDer(EVP_PKEY* key, Alg alg, std::string_view input) {
  return digestSign(alg, key, input);
}

std::string signPss(EVP_PKEY* key, std::string_view input, int salt_bytes) {
  return digestSign(Alg::kPS256, key, input, salt_bytes);
}

std::string hmacSha256(std::string_view secret, std::string_view input) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
  std::size_t size = 0;
  if (EVP_Q_mac(nullptr, "HMAC", nullptr, "SHA256", nullptr, secret.data(), secret.size(),
                ossl::bytes(input), input.size(), mac.data(), mac.size(), &size) == nullptr) {
    throw std::runtime_error("cannot compute an HMAC");
  }
  return {reinterpret_cast<const char*>(mac.data()), size};
}

std::string signingInput(const nlohmann::json& header, const nlohmann::json& claims) {
  return base64url(header.dump()) + "." + base64url(claims.dump());
}

std::string compact(const std::string& signing_input, std::string_view signature) {
  return signing_input + "." + base64url(signature);
}

std::string token(Alg alg, EVP_PKEY* key, const nlohmann::json& claims, const std::string& kid) {
  const std::string input =
      base64url(headerText(toString(alg), kid)) + "." + base64url(claims.dump());
  return compact(input, sign(alg, key, input));
}

std::string hmacToken(std::string_view secret, const nlohmann::json& claims,
                      const std::string& kid) {
  const std::string input = base64url(headerText("HS256", kid)) + "." + base64url(claims.dump());
  return compact(input, hmacSha256(secret, input));
}

}  // namespace gw::jose::test
