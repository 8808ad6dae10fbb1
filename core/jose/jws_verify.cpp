#include "core/jose/jws_verify.hpp"

#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include <array>
#include <string>

#include "core/jose/ossl.hpp"

namespace gw::jose {

namespace {

struct Name {
  Alg alg;
  std::string_view text;
};

constexpr std::array<Name, 8> kNames{{
    {Alg::kRS256, "RS256"},
    {Alg::kRS384, "RS384"},
    {Alg::kRS512, "RS512"},
    {Alg::kPS256, "PS256"},
    {Alg::kES256, "ES256"},
    {Alg::kES384, "ES384"},
    {Alg::kEdDSA, "EdDSA"},
    {Alg::kHS256, "HS256"},
}};

constexpr std::size_t kHmacSha256Bytes = 32;
constexpr std::size_t kEd25519SignatureBytes = 64;
// RFC 7518 section 3.5: the salt is as long as the hash output.
constexpr int kPssSaltBytes = 32;

const EVP_MD* digestOf(Alg alg) {
  switch (alg) {
    case Alg::kRS384:
    case Alg::kES384:
      return EVP_sha384();
    case Alg::kRS512:
      return EVP_sha512();
    case Alg::kEdDSA:
      return nullptr;  // Ed25519 hashes the message itself (RFC 8032)
    case Alg::kRS256:
    case Alg::kPS256:
    case Alg::kES256:
    case Alg::kHS256:
      break;
  }
  return EVP_sha256();
}

bool verifyHmac(const Key& key, std::string_view input, std::string_view signature) {
  if (signature.size() != kHmacSha256Bytes) {
    return false;
  }
  std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
  std::size_t size = 0;
  const std::string& secret = key.secret();
  if (EVP_Q_mac(nullptr, "HMAC", nullptr, "SHA256", nullptr, secret.data(), secret.size(),
                ossl::bytes(input), input.size(), mac.data(), mac.size(), &size) == nullptr ||
      size != kHmacSha256Bytes) {
    ossl::forgetErrors();
    return false;
  }
  // Constant time: a comparison that stops at the first difference tells a forger, byte by
  // byte, how much of a guessed MAC is right.
  return CRYPTO_memcmp(mac.data(), signature.data(), kHmacSha256Bytes) == 0;
}

// JWS's R || S (RFC 7518 section 3.4), each exactly `width` bytes, as the DER ECDSA-Sig-Value
// OpenSSL verifies. Empty for any other length: DER given where R || S belongs is refused here.
std::string derFromRaw(std::string_view raw, std::size_t width) {
  if (raw.size() != 2 * width) {
    return {};
  }
  ossl::Bignum r = ossl::bignum(raw.substr(0, width));
  ossl::Bignum s = ossl::bignum(raw.substr(width));
  const ossl::EcdsaSig sig(ECDSA_SIG_new());
  if (!r || !s || !sig) {
    return {};
  }
  // Takes both; it fails only for a null argument, ruled out above.
  ECDSA_SIG_set0(sig.get(), r.release(), s.release());
  const int size = i2d_ECDSA_SIG(sig.get(), nullptr);
  if (size <= 0) {
    return {};
  }
  std::string der(static_cast<std::size_t>(size), '\0');
  auto* out = reinterpret_cast<unsigned char*>(der.data());
  if (i2d_ECDSA_SIG(sig.get(), &out) != size) {
    return {};
  }
  return der;
}

// The expected signature length for the asymmetric algorithms; the DER of ES* is made later.
bool lengthFits(Alg alg, const Key& key, std::string_view signature) {
  switch (alg) {
    case Alg::kEdDSA:
      return signature.size() == kEd25519SignatureBytes;
    case Alg::kES256:
    case Alg::kES384:
      return signature.size() == 2 * static_cast<std::size_t>(key.bits() / 8);
    case Alg::kHS256:
      return signature.size() == kHmacSha256Bytes;
    case Alg::kRS256:
    case Alg::kRS384:
    case Alg::kRS512:
    case Alg::kPS256:
      break;
  }
  // RSASSA signatures are exactly as long as the modulus (RFC 8017 section 8.2.2 step 1).
  return signature.size() == static_cast<std::size_t>(EVP_PKEY_get_size(key.publicKey()));
}

bool verifyAsymmetric(Alg alg, const Key& key, std::string_view input, std::string_view signature) {
  if (!lengthFits(alg, key, signature)) {
    return false;
  }
  std::string der;
  if (alg == Alg::kES256 || alg == Alg::kES384) {
    der = derFromRaw(signature, static_cast<std::size_t>(key.bits() / 8));
    if (der.empty()) {
      ossl::forgetErrors();
      return false;
    }
    signature = der;
  }
  const ossl::MdCtx ctx(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pctx = nullptr;  // owned by ctx
  if (!ctx ||
      EVP_DigestVerifyInit(ctx.get(), &pctx, digestOf(alg), nullptr, key.publicKey()) != 1) {
    ossl::forgetErrors();
    return false;
  }
  if (alg == Alg::kPS256 && (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) != 1 ||
                             EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, EVP_sha256()) != 1 ||
                             EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, kPssSaltBytes) != 1)) {
    ossl::forgetErrors();
    return false;
  }
  const bool ok = EVP_DigestVerify(ctx.get(), ossl::bytes(signature), signature.size(),
                                   ossl::bytes(input), input.size()) == 1;
  if (!ok) {
    ossl::forgetErrors();
  }
  return ok;
}

}  // namespace

std::optional<Alg> parseAlg(std::string_view name) {
  for (const Name& entry : kNames) {
    if (entry.text == name) {
      return entry.alg;
    }
  }
  return std::nullopt;
}

std::string_view toString(Alg alg) {
  for (const Name& entry : kNames) {
    if (entry.alg == alg) {
      return entry.text;
    }
  }
  return "?";
}

bool keyFits(Alg alg, const Key& key) {
  if (key.alg() && *key.alg() != toString(alg)) {
    return false;
  }
  switch (alg) {
    case Alg::kRS256:
    case Alg::kRS384:
    case Alg::kRS512:
    case Alg::kPS256:
      return key.type() == KeyType::kRsa;
    case Alg::kES256:
      return key.type() == KeyType::kEc && key.curve() == Curve::kP256;
    case Alg::kES384:
      return key.type() == KeyType::kEc && key.curve() == Curve::kP384;
    case Alg::kEdDSA:
      return key.type() == KeyType::kOkp && key.curve() == Curve::kEd25519;
    case Alg::kHS256:
      break;
  }
  return key.type() == KeyType::kOct;
}

bool verifySignature(Alg alg, const Key& key, std::string_view signing_input,
                     std::string_view signature) {
  if (!keyFits(alg, key)) {
    return false;
  }
  if (alg == Alg::kHS256) {
    return key.secret().size() >= kMinHmacSecretBytes && verifyHmac(key, signing_input, signature);
  }
  return key.publicKey() != nullptr && verifyAsymmetric(alg, key, signing_input, signature);
}

}  // namespace gw::jose
