#pragma once
// JSON Web Keys and Signatures as ACME uses them: the account key's public JWK (RFC 7517,
// 7518 section 6), its RFC 7638 thumbprint, flattened JWS objects (RFC 7515 section 7.2.2,
// RFC 8555 section 6.2) signed ES256/ES384 (raw r||s, not DER) or RS256, and the HS256 inner
// JWS of External Account Binding (RFC 8555 section 7.3.4).

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "core/acme/key.hpp"
#include "core/result.hpp"

namespace gw::acme {

// The public JWK with exactly the members RFC 7638 section 3.2 requires.
nlohmann::json jwk(const PrivateKey& key);
// base64url(SHA-256(the JWK's members in lexicographic order, no whitespace)).
std::string jwkThumbprint(const PrivateKey& key);
// "ES256", "ES384" or "RS256".
std::string_view jwsAlgorithm(const PrivateKey& key);

// The JWS signature of `signing_input`: for ECDSA the fixed-width r||s of RFC 7518 section
// 3.4, which is not the DER ECDSA-Sig-Value OpenSSL produces.
core::Result<std::string> jwsSignature(const PrivateKey& key, std::string_view signing_input);

// {"protected", "payload", "signature"}; `alg` is added to `header`. An empty `payload` is
// the POST-as-GET of RFC 8555 section 6.3.
core::Result<nlohmann::json> signJws(const PrivateKey& key, nlohmann::json header,
                                     std::string_view payload);

// The externalAccountBinding member of a newAccount payload: the account's JWK signed with
// the CA's MAC key (`hmac_key_b64url` as the CA hands it out, base64url).
core::Result<nlohmann::json> externalAccountBinding(const PrivateKey& account_key,
                                                    const std::string& kid,
                                                    const std::string& hmac_key_b64url,
                                                    const std::string& new_account_url);

}  // namespace gw::acme
