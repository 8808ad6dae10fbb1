#pragma once
// The declarative document (apiVersion gw/v1) as plain structs. Everything a user owns is
// one Config; the CLI, `config apply` and the proxy all work on this model. No YAML here:
// decode.hpp turns text into a Config, encode.hpp turns it back.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

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

struct Gateway {
  std::string name;
  std::string address = "0.0.0.0";
  std::vector<Listener> listeners;
  Replicas replicas;
  std::string service_type;  // cluster mode: LoadBalancer, NodePort, ... ("" = default)
};

enum class LbPolicy { kRoundRobin, kLeastRequest, kRandom, kHash };

struct HealthCheck {
  std::string path;  // "" = no active check
  Millis interval{5000};
};

struct Service {
  std::string name;
  std::vector<std::string> endpoints;  // "HOST:PORT", HOST an IP literal or a name
  LbPolicy load_balancer = LbPolicy::kRoundRobin;
  std::optional<HealthCheck> health_check;
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
  int attempts = 0;             // retries after the first try
  std::vector<std::string> on;  // connect-failure, reset, 502, 503, 504, ...
};

struct Route {
  std::string name;
  std::string gateway;
  std::vector<std::string> hosts;  // exact, "*.example.com" or "*"; empty means "*"
  PathMatch match;
  std::vector<std::string> methods;  // empty: any
  std::vector<HeaderMatch> headers;  // all must match
  std::vector<Destination> destinations;
  std::optional<Millis> timeout;
  RetryPolicy retries;
  std::string redirect;         // a URL: answer 302 to it instead of proxying
  std::string rewrite;          // replaces the matched prefix before forwarding ("" = keep)
  std::optional<int> priority;  // higher wins; overrides the path precedence
};

enum class Issuer { kLetsEncrypt, kLetsEncryptStaging, kAcme, kInternal };

struct Certificate {
  std::string name;
  std::vector<std::string> domains;
  Issuer issuer = Issuer::kLetsEncrypt;
  std::string gateway;  // "" = every gateway with an https listener
};

struct ProxySettings {
  int threads = 0;  // worker threads; 0 = one per core
};

struct Config {
  std::string api_version = kApiVersion;
  std::uint64_t revision = 0;  // set by the store on every save; not user-owned
  ProxySettings proxy;
  std::vector<Gateway> gateways;
  std::vector<Service> services;
  std::vector<Route> routes;
  std::vector<Certificate> certificates;

  const Gateway* findGateway(std::string_view name) const;
  const Service* findService(std::string_view name) const;
  const Route* findRoute(std::string_view name) const;
  Gateway* findGateway(std::string_view name);
  Service* findService(std::string_view name);
  Route* findRoute(std::string_view name);
};

// Names of enum values as they appear in the document ("round-robin", "prefix", ...).
const char* toString(Protocol p);
const char* toString(LbPolicy p);
const char* toString(MatchType t);
const char* toString(Issuer i);
std::optional<Protocol> parseProtocol(std::string_view s);
std::optional<LbPolicy> parseLbPolicy(std::string_view s);
std::optional<MatchType> parseMatchType(std::string_view s);
std::optional<Issuer> parseIssuer(std::string_view s);

// "10s", "250ms", "2m", "1h" <-> milliseconds.
std::optional<Millis> parseDuration(std::string_view s);
std::string formatDuration(Millis d);

}  // namespace gw::core
