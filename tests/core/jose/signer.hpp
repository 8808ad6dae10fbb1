#pragma once
// Test-only: keys generated with OpenSSL while the tests run, their public JWKs, and tokens
// signed with them, so the verifier is checked against signatures it did not make itself.

#include <openssl/types.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/jose/jwk.hpp"
#include "core/jose/jws_verify.hpp"

namespace gw::jose::test {

using Pkey = std::shared_ptr<EVP_PKEY>;

// Made once per run (RSA generation takes a while) and shared by every test.
const Pkey& rsa2048();
const Pkey& rsa1024();
const Pkey& p256();
const Pkey& p384();
const Pkey& ed25519();

// The public JWK of `key` (RSA, EC or Ed25519), with "kid" when `kid` is not empty.
nlohmann::json publicJwk(EVP_PKEY* key, const std::string& kid = "");
// The SubjectPublicKeyInfo PEM of `key`: what servers publish, and so what an attacker feeds
// to HMAC as the secret when trying algorithm confusion.
std::string publicPem(EVP_PKEY* key);
// An oct JWK holding `secret`.
nlohmann::json octJwk(std::string_view secret, const std::string& kid = "");
// A KeySet of `jwks`, every one of them usable (the test fails otherwise).
KeySet keySet(const std::vector<nlohmann::json>& jwks);

// `key`'s signature of `input` as JWS carries it: R || S for ES256/ES384, RSASSA-PSS with
// SHA-256 and a 32-byte salt for PS256.
std::string sign(Alg alg, EVP_PKEY* key, std::string_view input);
// An ECDSA signature as OpenSSL makes it, in DER: what a careless signer would put in a JWS.
std::string signEcdsaDer(EVP_PKEY* key, Alg alg, std::string_view input);
// RSASSA-PSS with SHA-256 as PS256 makes it, but with a salt of `salt_bytes`.
std::string signPss(EVP_PKEY* key, std::string_view input, int salt_bytes);
std::string hmacSha256(std::string_view secret, std::string_view input);

// base64url(header) "." base64url(claims), as a signer builds it.
std::string signingInput(const nlohmann::json& header, const nlohmann::json& claims);
// The compact token of `signing_input` and the signature bytes.
std::string compact(const std::string& signing_input, std::string_view signature);
// A token for `claims` signed by `key` with `alg` (HS256: hmacToken), its header holding alg,
// typ and, when not empty, kid.
std::string token(Alg alg, EVP_PKEY* key, const nlohmann::json& claims,
                  const std::string& kid = "");
std::string hmacToken(std::string_view secret, const nlohmann::json& claims,
                      const std::string& kid = "");

}  // namespace gw::jose::test
