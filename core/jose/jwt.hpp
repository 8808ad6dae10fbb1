#pragma once
// JSON Web Tokens (RFC 7519) in the JWS compact serialization (RFC 7515 section 7.1): decode
// splits and parses a token without trusting it; verify checks the signature against a key set
// and the claims against a policy, and says which check failed. Both run per request: they
// throw nothing and keep no state, so one KeySet and one Policy serve every worker.

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/jose/jwk.hpp"
#include "core/jose/jws_verify.hpp"
#include "core/result.hpp"

namespace gw::jose {

// bugprone-exception-escape is off for Token: nlohmann::json's destructor flattens nested
// values onto a std::vector, whose allocation could in theory throw. That is json's own.
struct Token {            // NOLINT(bugprone-exception-escape)
  nlohmann::json header;  // the JOSE header, an object
  nlohmann::json claims;  // the payload, an object
  // The header's "alg"; nullopt when gw does not verify it ("none" among them), which verify
  // reports as kAlgorithmNotAllowed.
  std::optional<Alg> alg;
  std::string alg_name;            // as the header spells it, for logs
  std::optional<std::string> kid;  // the header's "kid"
  std::string signing_input;       // the first two parts as received, with the dot
  std::string signature;           // the third part, decoded
};

// Refuses, before decoding anything, a token longer than `max_bytes`; then anything but three
// base64url parts, a header that is not a JSON object with a string "alg" (and a string "kid"
// if any), a header with "crit" (RFC 7515 section 4.1.11: gw understands no extension, so it
// must reject any it is asked to honour), and claims that are not a JSON object. The error's
// kind is kValidation and its message one short line.
core::Result<Token> decode(std::string_view compact, std::size_t max_bytes);

struct Policy {
  std::string issuer;                  // iss must equal it; empty: not checked
  std::vector<std::string> audiences;  // aud must hold one of them; empty: not checked
  std::vector<Alg> algorithms;         // the only ones accepted; empty accepts none
  std::int64_t clock_skew = 0;         // seconds of leeway on exp, nbf and iat
};

enum class Verdict {
  kOk,
  kMalformed,            // exp, nbf or iat not a number; iss or aud (when checked) mistyped
  kAlgorithmNotAllowed,  // alg not in the policy, or not one gw verifies ("none")
  kUnknownKey,           // no key with the token's kid, or (no kid) none for its alg
  kBadSignature,         // no candidate key verifies the signature
  kExpired,              // now is at or past exp + skew
  kNotYetValid,          // now is before nbf - skew, or iat - skew is in the future
  kIssuer,               // iss missing or not the policy's
  kAudience,             // aud missing or holds none of the policy's audiences
};

// A short stable text for each verdict ("ok", "expired", ...), for logs.
std::string_view toString(Verdict verdict);

// Checks in this order: the algorithm, the key and signature, then the claims (types, times,
// issuer, audience), so the claims of a token whose signature fails are never looked at.
// With a kid, the keys holding that kid are tried; without one, every key that fits the alg.
// Keys come only from `keys`, never from the token (jwk, jku, x5u and x5c are ignored).
Verdict verify(const Token& token, const KeySet& keys, const Policy& policy,
               std::int64_t now_seconds);

}  // namespace gw::jose
