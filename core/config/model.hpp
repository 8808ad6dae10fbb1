#pragma once
// The declarative document (apiVersion gw/v1) as plain structs. Everything a user owns is
// one Config; the CLI, `config apply` and the proxy all work on this model. No YAML here:
// decode.hpp turns text into a Config, encode.hpp turns it back.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/config/access.hpp"
#include "core/config/aggregate.hpp"
#include "core/config/cache.hpp"
#include "core/config/compress.hpp"
#include "core/config/limits.hpp"

namespace gw::core {

using Millis = std::chrono::milliseconds;

inline constexpr const char* kApiVersion = "gw/v1";

enum class Protocol { kHttp, kHttps };

struct Listener {
  std::string name;  // unique within the gateway; defaults to the protocol name
  Protocol protocol = Protocol::kHttp;
  std::uint16_t port = 0;
};

struct Replicas {  // cluster mode; kept so documents round-trip
  int min = 1;
  int max = 1;
};

// Protection against oversized and slow requests (431, 414, 413; header read deadline).
struct Limits {
  std::uint32_t max_header_bytes = 16 * 1024;  // the whole request head
  std::uint32_t max_headers = 100;
  std::uint32_t max_uri_bytes = 8 * 1024;
  std::uint64_t max_body_bytes = 8 * 1024 * 1024;
  bool operator==(const Limits&) const = default;
};

struct GatewayTimeouts {
  Millis header_read{10'000};  // from the first byte to the end of the head (slowloris)
  Millis idle{60'000};         // a keep-alive connection with no request
  Millis write{60'000};        // an answer the client stops reading (each write to it)
  bool operator==(const GatewayTimeouts&) const = default;
};

// kImported: made elsewhere (gw cert import) and renewed by nobody.
enum class Issuer { kLetsEncrypt, kLetsEncryptStaging, kAcme, kInternal, kImported };

// How gw obtains a certificate from an ACME CA, and renews it the same way. Empty fields
// take the issuer's defaults (Let's Encrypt's directory, the system's trust, http-01, a new
// P-256 key, the CA's default profile).
struct AcmeOrder {
  std::string directory;  // the CA's directory URL; required with Issuer::kAcme
  std::string ca_file;    // trust for the CA's own API (a private CA such as Pebble)
  std::string email;      // the account's contact
  std::string challenge;  // http-01, tls-alpn-01 or dns-01
  std::string key_type;   // ecdsa-p256, ecdsa-p384, rsa2048 or rsa4096
  std::string profile;    // a certificate profile the CA offers
  std::string dns_hook;   // dns-01: the command that publishes and removes the TXT record
  bool operator==(const AcmeOrder&) const = default;
};

// Strict-Transport-Security (RFC 6797) on every answer of a gateway's https listeners.
struct Hsts {
  std::chrono::seconds max_age{0};  // 0 tells browsers to forget the host (section 6.1.1)
  bool include_subdomains = false;
  bool preload = false;
  bool operator==(const Hsts&) const = default;
};

// How a gateway gets its certificates. kAuto: gw obtains and renews one for every concrete
// host of the gateway's routes, ordered as `acme` says; kManual: `gw cert issue` and `import`.
struct GatewayTls {
  enum class Mode { kManual, kAuto };
  Mode mode = Mode::kManual;
  Issuer issuer = Issuer::kLetsEncrypt;  // kImported is not an issuer to ask
  AcmeOrder acme;
  bool operator==(const GatewayTls&) const = default;
};

struct Gateway {
  std::string name;
  std::string address = "127.0.0.1";  // this host only, unless the document says otherwise
  std::vector<Listener> listeners;
  bool https_redirect = false;  // its http listeners answer every request with a redirect
  std::optional<Hsts> hsts;     // absent: no Strict-Transport-Security header
  std::optional<GatewayTls> tls;
  Replicas replicas;
  std::string service_type;  // cluster mode: LoadBalancer, NodePort, ... ("" = default)
  Limits limits;
  GatewayTimeouts timeouts;
  ClientIp client_ip;
  IpLists ip;                      // ipAllow, ipDeny: for every route of the gateway
  std::optional<AuthPolicy> auth;  // for routes without their own
  std::optional<ClientCertificates> client_certificates;
  std::vector<RateLimit> rate_limits;  // for every route of the gateway, before the route's own
  std::optional<Compress> compress;    // for routes without their own

  bool hasHttps() const;  // at least one https listener
};

enum class LbPolicy { kRoundRobin, kLeastRequest, kRandom, kHash };

// Consistent hashing for LbPolicy::kHash: what identifies a client.
struct HashPolicy {
  enum class Source { kClientIp, kHeader, kCookie };
  Source source = Source::kClientIp;
  std::string name;  // header or cookie name ("" for the client IP)
  bool operator==(const HashPolicy&) const = default;
};

struct HealthCheck {
  std::string path;  // GET this path on every endpoint; 2xx/3xx is healthy
  Millis interval{5000};
  Millis timeout{1000};
  int healthy_threshold = 2;    // consecutive passes to come back
  int unhealthy_threshold = 3;  // consecutive failures to go down
  bool operator==(const HealthCheck&) const = default;
};

// Passive health: endpoints that keep failing live traffic are ejected for a while.
struct OutlierDetection {
  int consecutive_5xx = 5;               // 0 = off
  int consecutive_connect_failures = 3;  // 0 = off
  Millis ejection_time{30'000};
  int max_ejected_percent = 50;  // never eject more than this share of a service
  bool operator==(const OutlierDetection&) const = default;
};

struct Endpoint {
  std::string address;  // "HOST:PORT", HOST an IP literal or a name
  int weight = 1;       // 1..100, relative to the service's other endpoints
  bool operator==(const Endpoint&) const = default;
};

// The service's endpoints are reached over TLS (1.2 or later, ALPN http/1.1).
struct UpstreamTls {
  std::string sni;      // the name sent and verified; empty: the endpoint's host when a name
  std::string ca_file;  // PEM certificates to verify against; empty: the system's store
  bool verify = true;   // false: any certificate is taken (a self-signed one, in development)
  bool operator==(const UpstreamTls&) const = default;
};

struct Service {
  std::string name;
  std::vector<Endpoint> endpoints;
  LbPolicy load_balancer = LbPolicy::kRoundRobin;
  std::optional<HashPolicy> hash_on;  // required with kHash
  std::optional<HealthCheck> health_check;
  std::optional<OutlierDetection> outlier_detection;
  Millis connect_timeout{2000};
  std::optional<UpstreamTls> tls;  // absent: plain TCP
};

enum class MatchType { kPrefix, kExact, kRegex };

struct PathMatch {
  std::string path = "/";
  MatchType type = MatchType::kPrefix;
};

struct HeaderMatch {
  std::string name;   // matched case-insensitively
  std::string value;  // matched exactly
};

struct Destination {
  std::string service;
  int weight = 100;  // 0..100; a route's weights sum to 100
};

struct RetryPolicy {
  int attempts = 0;  // retries after the first try, each on another endpoint when there is one
  std::vector<std::string> on;  // connect-failure, reset, timeout, 5xx, or a status (502, ...)
  std::optional<Millis> per_try_timeout;
  bool non_idempotent = false;  // also retry POST, PATCH, ... (off: they may have had effects)
  int budget_percent = 20;      // retries may add at most this share of a route's requests
  bool operator==(const RetryPolicy&) const = default;
};

// Answer with a redirect instead of proxying. Empty parts keep the request's own.
struct Redirect {
  std::string scheme;  // "http" or "https"
  std::string host;    // without the port
  std::optional<std::uint16_t> port;
  std::string path;        // replaces the whole path
  std::string prefix;      // replaces the matched prefix (prefix routes)
  int code = 302;          // 301, 302, 303, 307 or 308
  bool keep_query = true;  // add the request's query (after any in path)
  bool operator==(const Redirect&) const = default;
};

// Path rewrite before forwarding: the matched prefix, or a regex with $1-style groups.
struct Rewrite {
  std::string prefix;
  std::string regex;
  std::string substitution;
  bool operator==(const Rewrite&) const = default;
};

struct HeaderValue {
  std::string name;
  std::string value;
  bool operator==(const HeaderValue&) const = default;
};

struct HeaderOps {
  std::vector<HeaderValue> add;  // appended, keeping existing values
  std::vector<HeaderValue> set;  // replaces every existing value
  std::vector<std::string> remove;
  bool empty() const { return add.empty() && set.empty() && remove.empty(); }
  bool operator==(const HeaderOps&) const = default;
};

// Answer from the gateway itself (a custom endpoint, a mock, a maintenance page).
struct DirectResponse {
  int status = 200;
  std::string body;
  std::string content_type = "text/plain";
  bool operator==(const DirectResponse&) const = default;
};

// Copy a share of requests to another service; its answers are dropped.
struct Mirror {
  std::string service;
  int percent = 100;
  bool operator==(const Mirror&) const = default;
};

struct Route {
  std::string name;
  std::string gateway;
  std::vector<std::string> hosts;  // exact, "*.example.com" or "*"; empty means "*"
  PathMatch match;
  std::vector<std::string> methods;  // empty: any
  std::vector<HeaderMatch> headers;  // all must match
  std::vector<Destination> destinations;
  std::optional<Millis> timeout;  // the whole request, retries included (default 15s)
  RetryPolicy retries;
  std::optional<Redirect> redirect;  // exclusive with destinations and direct_response
  std::optional<Rewrite> rewrite;
  HeaderOps request_headers;
  HeaderOps response_headers;
  std::optional<DirectResponse> direct_response;
  std::optional<Mirror> mirror;
  std::optional<int> priority;     // higher wins; overrides the path precedence
  std::optional<AuthPolicy> auth;  // replaces the gateway's
  std::optional<Authorization> authorization;
  IpLists ip;  // ipAllow, ipDeny: after the gateway's
  std::optional<Cors> cors;
  std::vector<RateLimit> rate_limits;  // all must pass
  std::optional<RouteCache> cache;     // answers kept and served by the gateway (cache.hpp)
  std::optional<Compress> compress;    // replaces the gateway's (compress.hpp)
  // Answered by calling several services at once and merging their JSON (aggregate.hpp);
  // exclusive with destinations, redirect and directResponse.
  std::optional<Aggregate> aggregate;
};

struct Certificate {
  std::string name;
  std::vector<std::string> domains;
  Issuer issuer = Issuer::kLetsEncrypt;
  std::string gateway;  // "" = every gateway with an https listener
  AcmeOrder acme;       // ACME issuers only
};

struct ProxySettings {
  int threads = 0;         // worker threads; 0 = one per core
  bool access_log = true;  // JSON lines in <home>/access.log
  // TLS session tickets on https listeners: resumed handshakes skip the certificate and its
  // signature. Off, every new connection makes a full handshake (forward secrecy does not
  // then rest on the ticket keys, which rotate every 6 hours).
  bool session_tickets = true;
  CacheSettings cache;  // the response cache's store (routes turn caching on)
};

struct Config {
  std::string api_version = kApiVersion;
  std::uint64_t revision = 0;  // set by the store on every save; not user-owned
  ProxySettings proxy;
  std::vector<Gateway> gateways;
  std::vector<Service> services;
  std::vector<Route> routes;
  std::vector<Certificate> certificates;
  std::vector<Consumer> consumers;
  std::vector<JwtProvider> jwt_providers;
  std::vector<Plan> plans;
  std::optional<RedisStore> redis;
  Metering metering;

  const Gateway* findGateway(std::string_view name) const;
  const Service* findService(std::string_view name) const;
  const Route* findRoute(std::string_view name) const;
  Gateway* findGateway(std::string_view name);
  Service* findService(std::string_view name);
  Route* findRoute(std::string_view name);
  const Consumer* findConsumer(std::string_view name) const;
  Consumer* findConsumer(std::string_view name);
  const Plan* findPlan(std::string_view name) const;
};

// Names of enum values as they appear in the document ("round-robin", "prefix", ...).
const char* toString(Protocol p);
const char* toString(LbPolicy p);
const char* toString(MatchType t);
const char* toString(Issuer i);
const char* toString(GatewayTls::Mode m);
std::optional<Protocol> parseProtocol(std::string_view s);
std::optional<LbPolicy> parseLbPolicy(std::string_view s);
std::optional<MatchType> parseMatchType(std::string_view s);
std::optional<Issuer> parseIssuer(std::string_view s);
std::optional<GatewayTls::Mode> parseTlsMode(std::string_view s);

// Whether certificates of this issuer come from an ACME CA (Let's Encrypt or another).
bool isAcme(Issuer i);

// "client-ip", "header:NAME", "cookie:NAME" <-> HashPolicy.
std::optional<HashPolicy> parseHashPolicy(std::string_view s);
std::string toString(const HashPolicy& h);

// "250ms", "10s", "2m", "1h", "7d", "1y" (365 days) <-> milliseconds; formatDuration picks
// the largest unit that divides the value, so parseDuration reads back what it writes.
std::optional<Millis> parseDuration(std::string_view s);
std::string formatDuration(Millis d);

}  // namespace gw::core
