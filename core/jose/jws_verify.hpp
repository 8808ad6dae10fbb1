#pragma once
// Verifying one JWS signature (RFC 7515 section 5.2) with one key, for the algorithms of RFC 7518
// section 3 and RFC 8037 section 3.1 that gw accepts. The token's "alg" only picks among them:
// the key decides what it can verify, so an RS256 token re-signed as HS256 with the RSA public
// key as the HMAC secret (the classic algorithm confusion) finds no key to verify it, and there
// is no way to spell "none".

#include <optional>
#include <string_view>

#include "core/jose/jwk.hpp"

namespace gw::jose {

enum class Alg { kRS256, kRS384, kRS512, kPS256, kES256, kES384, kEdDSA, kHS256 };

// The JWA name ("RS256", ..., "EdDSA"), case-sensitive as RFC 7515 section 4.1.1 says. Anything
// else, "none" included, is nullopt.
std::optional<Alg> parseAlg(std::string_view name);
std::string_view toString(Alg alg);

// Whether `key` may verify `alg` at all: an RSA key for RS* and PS256, an EC key on P-256 for
// ES256 and on P-384 for ES384, an Ed25519 key for EdDSA, an oct key for HS256, and, when the
// JWK names an "alg", only that one.
bool keyFits(Alg alg, const Key& key);

// True when `signature` (the decoded bytes of the JWS's third part) is `alg`'s signature over
// `signing_input` (the first two parts as received, with the dot) by `key`. False for a key
// that does not fit (keyFits), a signature of the wrong length, and an ES* signature in DER
// form: JWS carries ECDSA signatures as R || S (RFC 7518 section 3.4). PS256 is RSASSA-PSS with
// SHA-256, MGF1 with SHA-256 and a 32-byte salt (section 3.5). HMACs are compared in constant
// time. Safe to call from many threads with one key.
bool verifySignature(Alg alg, const Key& key, std::string_view signing_input,
                     std::string_view signature);

}  // namespace gw::jose
