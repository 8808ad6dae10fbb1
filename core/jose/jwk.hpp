#pragma once
// JSON Web Keys (RFC 7517) for verifying signatures: RSA and EC (RFC 7518 section 6), Ed25519
// (RFC 8037) and HMAC secrets ("oct"). Only public keys are held: a set is read from an issuer's
// JWKS document or the configuration, built once, then shared read-only by every worker, e.g.
// as std::shared_ptr<const KeySet>. OpenSSL 3 lets many threads verify with one EVP_PKEY at once
// as long as nobody changes it, and nothing here does after parsing.

#include <openssl/types.h>

#include <cstddef>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace gw::jose {

enum class KeyType { kRsa, kEc, kOkp, kOct };
enum class Curve { kNone, kP256, kP384, kEd25519 };

// RSA moduli below this are refused: NIST SP 800-131A retired 1024-bit RSA, and RFC 7518
// section 3.3 requires 2048 bits for RS256.
inline constexpr int kMinRsaBits = 2048;
// Above this a key costs seconds to check and each verification gets slow: no issuer uses one.
inline constexpr int kMaxRsaBits = 8192;
// RFC 7518 section 3.2: an HS256 key must be at least as long as the hash output.
inline constexpr std::size_t kMinHmacSecretBytes = 32;

class Key {
 public:
  // One JWK object. The error says, in a few words, why the key cannot verify anything (an
  // unsupported kty or crv, use other than "sig", private members, a short key, a point off the
  // curve, a member that is not base64url); KeySet::parse records it as skipped.
  static core::Result<Key> fromJwk(const nlohmann::json& jwk);

  KeyType type() const { return type_; }
  Curve curve() const { return curve_; }
  const std::optional<std::string>& kid() const { return kid_; }
  const std::optional<std::string>& use() const { return use_; }
  // The JWK's "alg" when it names one: the key then verifies that algorithm only.
  const std::optional<std::string>& alg() const { return alg_; }
  // The public key of an RSA, EC or OKP key; null for oct. Owned by this Key (and its copies).
  EVP_PKEY* publicKey() const { return pkey_.get(); }
  // The HMAC secret of an oct key; empty for the others.
  const std::string& secret() const { return secret_; }
  // Modulus bits for RSA, field bits for EC and OKP, secret bits for oct.
  int bits() const { return bits_; }

 private:
  Key() = default;

  KeyType type_ = KeyType::kOct;
  Curve curve_ = Curve::kNone;
  std::optional<std::string> kid_;
  std::optional<std::string> use_;
  std::optional<std::string> alg_;
  std::shared_ptr<EVP_PKEY> pkey_;
  std::string secret_;
  int bits_ = 0;
};

// A key of the document that was left out, and why: for the caller's log, since a set with a few
// unusable keys (an encryption key beside the signing keys, say) is normal and not an error.
struct SkippedKey {
  std::size_t index = 0;  // position in "keys" (0 for a lone JWK)
  std::string kid;        // empty when the key has none
  std::string reason;
};

class KeySet {
 public:
  // A JWK Set ({"keys": [...]}, RFC 7517 section 5) or a single JWK object. Keys that cannot be
  // used are skipped (see skipped()); the error is only for a document that is not JSON, or is
  // neither form.
  static core::Result<KeySet> parse(std::string_view jwks_json);

  const std::vector<Key>& keys() const { return keys_; }
  const std::vector<SkippedKey>& skipped() const { return skipped_; }
  bool empty() const { return keys_.empty(); }

 private:
  std::vector<Key> keys_;
  std::vector<SkippedKey> skipped_;
};

}  // namespace gw::jose
