#pragma once
// Access control in the document: who the consumers are and how they prove it (API keys,
// basic-auth users, JWT claims, client certificates), the JWT providers that vouch for
// tokens, and what a gateway or route asks of a request (authentication, authorization
// rules, IP lists, CORS, where the client address comes from). Part of the model
// (model.hpp includes it); secrets are stored only as hashes.

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace gw::core {

// An API key: the key itself is shown once when made; the document keeps its SHA-256.
struct ApiKey {
  std::string id;       // public, names the key in `gw consumer key list|revoke`
  std::string sha256;   // lower-case hex of SHA-256(the whole key)
  std::string created;  // RFC 3339, UTC
  bool operator==(const ApiKey&) const = default;
};

// A basic-auth user with a crypt(3) hash: bcrypt ($2y$, $2b$), yescrypt ($y$), sha512crypt ($6$).
struct BasicUser {
  std::string user;
  std::string hash;
  bool operator==(const BasicUser&) const = default;
};

// A consumer is also whoever presents a token of `provider` whose `claim` equals `value`.
struct JwtIdentity {
  std::string provider;
  std::string claim = "sub";
  std::string value;
  bool operator==(const JwtIdentity&) const = default;
};

struct Consumer {
  std::string name;
  std::vector<std::string> groups;
  std::vector<ApiKey> api_keys;
  std::vector<BasicUser> basic_auth;
  std::vector<JwtIdentity> jwt;
  // Client certificates: "CN=...", or a SAN as "dns:NAME", "email:ADDR", "uri:URI".
  std::vector<std::string> certificates;
  std::string plan;  // plans[].name, or "" for none
  bool operator==(const Consumer&) const = default;
};

struct ClaimHeader {
  std::string claim;
  std::string header;
  bool operator==(const ClaimHeader&) const = default;
};

// Who issues the JWTs a route accepts, and how their signatures are checked.
struct JwtProvider {
  std::string name;
  std::string issuer;                   // the iss claim must equal it ("" = not checked)
  std::vector<std::string> audiences;   // aud must hold one of them (empty = not checked)
  std::vector<std::string> algorithms;  // required: RS256, ES256, ... (never none)
  std::string jwks_url;                 // keys fetched (and refreshed) from here, or
  std::string keys;                     // a JWKS (or one JWK) inline, as JSON
  std::string ca_file;                  // trust for an https jwks_url (empty: the system's)
  std::chrono::seconds clock_skew{60};  // at most 5 minutes
  std::chrono::seconds jwks_refresh{300};
  std::vector<ClaimHeader> claims_to_headers;
  bool operator==(const JwtProvider&) const = default;
};

// What a gateway or route asks of a request. Methods are tried in order; the first that
// finds a credential decides. Optional: a request with none goes on, anonymous.
struct AuthPolicy {
  std::vector<std::string> methods;  // api-key, basic, jwt:PROVIDER, mtls
  bool optional = false;
  bool keep_credentials = false;  // forward the credential headers upstream
  std::string api_key_header = "x-api-key";
  bool operator==(const AuthPolicy&) const = default;
};

struct ClaimRule {
  std::string claim;
  std::vector<std::string> values;  // the claim (a string, or an array, or a space list) has one
  bool operator==(const ClaimRule&) const = default;
};

// Matches a request when its consumer is one of `consumers`, or in one of `groups`, or its
// token has every claim of `claims`.
struct AccessRule {
  std::vector<std::string> consumers;
  std::vector<std::string> groups;
  std::vector<ClaimRule> claims;
  bool empty() const { return consumers.empty() && groups.empty() && claims.empty(); }
  bool operator==(const AccessRule&) const = default;
};

// Asks another service whether a request may pass (Envoy's ext_authz, Traefik's forwardAuth):
// a 2xx answer allows, any other answer denies; no answer in time is onError's to decide.
struct ExternalAuthz {
  std::string url;  // http://HOST:PORT/PATH
  std::chrono::milliseconds timeout{1000};
  bool allow_on_error = false;  // onError: allow (default deny)
  bool operator==(const ExternalAuthz&) const = default;
};

struct Authorization {
  enum class Mode { kEnforce, kShadow };
  std::optional<AccessRule> allow;        // given: only matching requests pass
  std::optional<AccessRule> deny;         // checked first
  std::optional<ExternalAuthz> external;  // asked last, when the rules let the request by
  Mode mode = Mode::kEnforce;  // shadow: log and count what would be refused, refuse nothing
  bool operator==(const Authorization&) const = default;
};

struct IpLists {
  std::vector<std::string> allow;  // CIDRs or addresses; given: only these pass
  std::vector<std::string> deny;   // checked first
  bool empty() const { return allow.empty() && deny.empty(); }
  bool operator==(const IpLists&) const = default;
};

// Where the client address comes from: X-Forwarded-For is read right to left, skipping
// addresses of trusted proxies, only when the connection itself comes from one.
struct ClientIp {
  std::vector<std::string> trusted_proxies;  // CIDRs
  bool operator==(const ClientIp&) const = default;
};

struct Cors {
  std::vector<std::string> origins;  // exact, "*", or with one "*" label ("https://*.shop.test")
  std::vector<std::string> methods;  // empty: GET, HEAD, POST
  std::vector<std::string> headers;  // request headers allowed in preflights
  std::vector<std::string> expose_headers;
  bool credentials = false;
  std::chrono::seconds max_age{600};
  bool operator==(const Cors&) const = default;
};

// Client certificates on a gateway's https listeners.
struct ClientCertificates {
  enum class Mode { kRequest, kRequire };
  Mode mode = Mode::kRequest;
  std::string ca_file;  // PEM: the CAs a client certificate must chain to
  bool operator==(const ClientCertificates&) const = default;
};

}  // namespace gw::core
