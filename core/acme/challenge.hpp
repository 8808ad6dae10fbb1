#pragma once
// ACME challenges and who answers them. The client never knows who that is: it hands each
// challenge to a ChallengeResponder the caller gives (the proxy's http and https listeners,
// a DNS hook, a test's own server) and asks the CA to validate once `present` returned.
//
//   http-01     (RFC 8555 section 8.3): serve `key_authorization` as text/plain at
//               http://<domain>/.well-known/acme-challenge/<token>, i.e. `http_path`
//   tls-alpn-01 (RFC 8737): on port 443, for SNI <domain> and ALPN "acme-tls/1", complete the
//               handshake with `tls_alpn_cert_pem` / `tls_alpn_key_pem` and close
//   dns-01      (RFC 8555 section 8.4): publish TXT `dns_txt_value` at `dns_txt_name`

#include <string>
#include <string_view>

#include "core/acme/key.hpp"
#include "core/result.hpp"

namespace gw::acme {

enum class ChallengeType { kHttp01, kTlsAlpn01, kDns01 };

// "http-01", "tls-alpn-01", "dns-01": the ACME names.
std::string_view challengeTypeName(ChallengeType type);
// "HTTP-01", "TLS-ALPN-01", "DNS-01": how sentences for people name them.
std::string_view challengeLabel(ChallengeType type);
core::Result<ChallengeType> parseChallengeType(std::string_view name);

// The ALPN protocol a TLS-ALPN-01 answer must negotiate (RFC 8737 section 6.2).
inline constexpr std::string_view kAcmeTlsProtocol = "acme-tls/1";

struct Challenge {
  ChallengeType type = ChallengeType::kHttp01;
  std::string domain;  // the identifier, without a wildcard's "*."
  std::string token;
  std::string key_authorization;  // token "." base64url(JWK thumbprint)
  std::string http_path;          // http-01: "/.well-known/acme-challenge/<token>"
  std::string dns_txt_name;       // dns-01: "_acme-challenge.<domain>"
  std::string dns_txt_value;      // dns-01: base64url(SHA-256(key_authorization))
  std::string tls_alpn_cert_pem;  // tls-alpn-01: self-signed, with the acmeIdentifier
  std::string tls_alpn_key_pem;   // tls-alpn-01: its key (PKCS#8)
};

// Answers challenges for the client. `present` returns once the answer can be fetched (a
// DNS hook returns once the record is visible); the client then asks the CA to validate.
// Its error is passed on as it is, so it is one sentence that names the domain and the
// challenge ("shop.test: DNS-01 hook \"...\" exited 3: ...").
// `cleanUp` is called for every challenge `present` was called for, whatever happened
// after (success, a failed validation, a deadline), and must not fail.
class ChallengeResponder {
 public:
  ChallengeResponder() = default;
  ChallengeResponder(const ChallengeResponder&) = delete;
  ChallengeResponder& operator=(const ChallengeResponder&) = delete;
  virtual ~ChallengeResponder() = default;

  virtual core::Status present(const Challenge& challenge) = 0;
  virtual void cleanUp(const Challenge& challenge) = 0;
};

std::string keyAuthorization(std::string_view token, const PrivateKey& account_key);
std::string dnsTxtValue(std::string_view key_authorization);

struct TlsAlpnCertificate {
  std::string cert_pem;
  std::string key_pem;
};
// RFC 8737 section 3: a fresh P-256 key and a self-signed certificate whose only SAN is
// `domain`, with the critical acmeIdentifier extension (1.3.6.1.5.5.7.1.31) holding the DER
// OCTET STRING of SHA-256(key_authorization).
core::Result<TlsAlpnCertificate> tlsAlpnCertificate(std::string_view domain,
                                                    std::string_view key_authorization);

// Everything a responder needs for `type` on `domain`.
core::Result<Challenge> makeChallenge(ChallengeType type, std::string_view domain,
                                      std::string_view token, const PrivateKey& account_key);

}  // namespace gw::acme
