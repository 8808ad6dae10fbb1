#pragma once
// The admin API's JSON documents as typed structs, shared by the server (which fills and
// serialises them) and AdminClient (which parses them), so both sides agree by construction.
// The wire format is described in proxy/proxy.hpp; key names here are the JSON keys. No JSON
// library in this header: toJson()/parse*() are the only way in and out.

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace gw::proxy {

// GET /v1/status
struct ListenerStatus {
  std::string gateway;
  std::string listener;
  std::string protocol;  // "http" or "https"
  std::string address;
  std::uint16_t port = 0;          // the bound port
  std::optional<std::string> tls;  // https listeners only: "no certificate"
  bool operator==(const ListenerStatus&) const = default;
};

// A route's access-control verdicts (IP lists, auth, authorization): {"allowed": N,
// "refused": {"auth_missing": N, ...}, "shadowDenied": N}; absent on routes without them.
struct AccessDoc {
  std::uint64_t allowed = 0;
  std::map<std::string, std::uint64_t> refused;  // by reason: auth_missing, forbidden, ...
  std::uint64_t shadow_denied = 0;   // allowed, but a shadow-mode authorization would refuse
  std::uint64_t shadow_limited = 0;  // allowed, but a shadow-mode rate limit would refuse
  bool operator==(const AccessDoc&) const = default;
};

struct RouteStatus {
  std::string name;
  std::string gateway;
  std::vector<std::string> hosts;
  std::uint64_t requests = 0;
  double rps = 0.0;         // requests per second over the last finished 10 s
  double error_rate = 0.0;  // the 5xx share of those requests
  std::optional<AccessDoc> access;
  bool operator==(const RouteStatus&) const = default;
};

struct EndpointStatus {
  std::string address;
  std::uint32_t weight = 1;
  bool healthy = true;
  bool ejected = false;
  std::uint32_t in_flight = 0;
  bool operator==(const EndpointStatus&) const = default;
};

struct ServiceStatus {
  std::string name;
  std::string load_balancer;
  std::vector<EndpointStatus> endpoints;
  bool operator==(const ServiceStatus&) const = default;
};

// A Redis server the proxy uses (shared rate limits), and its circuit breaker.
struct RedisStatus {
  std::string address;
  bool open = false;  // the breaker: calls fail at once, limits use their onStoreError
  std::uint64_t calls = 0;
  std::uint64_t failures = 0;
  std::string last_error;
  bool operator==(const RedisStatus&) const = default;
};

struct StatusDoc {
  long pid = 0;
  std::uint64_t revision = 0;  // the revision served (0 before the first load)
  std::string started_at;      // RFC 3339, UTC
  int threads = 0;
  std::size_t connections = 0;
  std::uint64_t requests = 0;
  std::vector<ListenerStatus> listeners;
  std::vector<RouteStatus> routes;
  std::vector<ServiceStatus> services;
  // Certificates the https listeners do not serve as their files say, and why: not issued
  // yet, broken files (then the one loaded before, if any, serves on).
  std::vector<std::string> tls_problems;
  // The document file changed after the revision served was loaded from it (a hand edit
  // not reloaded yet): "documentChanged".
  bool document_changed = false;
  std::vector<RedisStatus> redis;
  bool operator==(const StatusDoc&) const = default;
};

// GET /v1/stats
struct LatencyDoc {  // milliseconds
  double p50 = 0.0;
  double p90 = 0.0;
  double p99 = 0.0;
  bool operator==(const LatencyDoc&) const = default;
};

struct SeriesDoc {
  std::int64_t end = 0;  // Unix second of the last slot, which is still counting
  std::vector<std::uint64_t> requests;
  std::vector<std::uint64_t> errors;  // 5xx answers
  bool operator==(const SeriesDoc&) const = default;
};

// What every gateway, route, service and endpoint counts: {"requests", "1xx".."5xx",
// "latency_ms", "series"}, and "histogram" when asked for.
struct TrafficDoc {
  std::uint64_t requests = 0;
  std::array<std::uint64_t, 5> by_class{};  // [0] is "1xx", ..., [4] is "5xx"
  LatencyDoc latency_ms;
  SeriesDoc series;
  // ?histograms=1: every answer's latency so far, counted per LatencyBuckets bucket (trailing
  // empty buckets left out), so a reader can take percentiles of the difference of two reads.
  std::vector<std::uint64_t> histogram;
  bool operator==(const TrafficDoc&) const = default;
};

// How a caching route's requests met the cache, and the bytes answered from it.
struct CacheRouteDoc {
  std::uint64_t hits = 0;         // fresh (or stale as the request allowed)
  std::uint64_t stale = 0;        // stale while revalidating, or on an upstream failure
  std::uint64_t revalidated = 0;  // confirmed by the upstream with a 304
  std::uint64_t misses = 0;       // went to the upstream
  std::uint64_t bypass = 0;       // not for the cache (other methods, no-store, HEAD misses)
  std::uint64_t bytes_served = 0;
  bool operator==(const CacheRouteDoc&) const = default;
};

struct RouteStatsDoc {
  TrafficDoc traffic;
  std::string gateway;  // beside the traffic keys
  std::optional<AccessDoc> access;
  std::optional<CacheRouteDoc> cache;
  // The route's forwarded requests by destination service ("destinations": {"frontend": ...}).
  std::map<std::string, TrafficDoc> destinations;
  bool operator==(const RouteStatsDoc&) const = default;
};

struct ServiceStatsDoc {
  TrafficDoc traffic;
  std::map<std::string, TrafficDoc> endpoints;  // by address; beside the traffic keys
  bool operator==(const ServiceStatsDoc&) const = default;
};

// Keyed by name; names beyond the stats' cap count under "other".
struct StatsDoc {
  std::uint64_t requests = 0;
  std::map<std::string, TrafficDoc> gateways;
  std::map<std::string, RouteStatsDoc> routes;
  std::map<std::string, ServiceStatsDoc> services;
  // Copies mirrored to each service that got any (a copy with no answer has no class).
  std::map<std::string, TrafficDoc> mirrors;
  std::map<std::string, TrafficDoc> consumers;  // requests of each authenticated consumer
  // Written only: a node without requests as {"requests": 0}, the rest its defaults. Set for
  // ?histograms=1 (the dashboard's reads), which a 1,000-route gateway answers every 2 s.
  bool compact_idle = false;
  bool operator==(const StatsDoc&) const = default;
};

// What GET /v1/stats is asked for: ?series=N (0: none) and ?histograms=1.
struct StatsQuery {
  std::size_t series_seconds = 60;
  bool histograms = false;
};

// POST /v1/reload: 200 {"revision": N}
struct ReloadDoc {
  std::uint64_t revision = 0;
  bool operator==(const ReloadDoc&) const = default;
};

// GET /v1/cache: the store and every caching route.
struct CacheDoc {
  bool enabled = false;  // a route caches
  std::uint64_t entries = 0;
  std::uint64_t bytes = 0;
  std::uint64_t max_bytes = 0;
  std::uint64_t max_object = 0;
  std::uint64_t evictions = 0;
  std::map<std::string, CacheRouteDoc> routes;
  bool operator==(const CacheDoc&) const = default;
};

// POST /v1/cache/purge?route=R&prefix=P: how many stored answers were dropped.
struct PurgeDoc {
  std::uint64_t purged = 0;
  bool operator==(const PurgeDoc&) const = default;
};

// Every refusal: {"error": "..."}; a refused reload adds "details": [...].
struct ErrorDoc {
  std::string error;
  std::optional<std::vector<std::string>> details;
  bool operator==(const ErrorDoc&) const = default;
};

// Compact JSON, without a trailing newline.
std::string toJson(const StatusDoc& doc);
std::string toJson(const StatsDoc& doc);
std::string toJson(const ReloadDoc& doc);
std::string toJson(const CacheDoc& doc);
std::string toJson(const PurgeDoc& doc);
std::string toJson(const ErrorDoc& doc);

// Keys that are missing keep their defaults (an older proxy may not send them all); a key
// with the wrong type, or a body that is not a JSON object, is a kRuntime error.
core::Result<StatusDoc> parseStatus(std::string_view text);
core::Result<StatsDoc> parseStats(std::string_view text);
core::Result<ReloadDoc> parseReload(std::string_view text);
core::Result<CacheDoc> parseCache(std::string_view text);
core::Result<PurgeDoc> parsePurge(std::string_view text);
// Lenient like the CLI always was: a non-string "error" or detail is kept as its JSON text.
core::Result<ErrorDoc> parseError(std::string_view text);

}  // namespace gw::proxy
