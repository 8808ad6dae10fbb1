// The admin API's typed documents: what toJson writes is exactly the wire format the API has
// always had (key names, types, nesting), and parse* reads it back to equal structs.

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "proxy/admin/messages.hpp"

using namespace gw::proxy;
using Json = nlohmann::json;

namespace {

StatusDoc sampleStatus() {
  StatusDoc doc;
  doc.pid = 4242;
  doc.revision = 7;
  doc.started_at = "2025-01-02T03:04:05Z";
  doc.threads = 2;
  doc.connections = 3;
  doc.requests = 99;
  doc.listeners = {{"edge", "http", "http", "127.0.0.1", 8080, std::nullopt},
                   {"edge", "https", "https", "127.0.0.1", 8443, "no certificate"}};
  doc.routes = {{"shop", "edge", {"shop.test", "*.shop.test"}, 12, 1.5, 0.25, std::nullopt}};
  doc.services = {{"frontend",
                   "least-request",
                   {{"127.0.0.1:9001", 3, true, false, 2}, {"127.0.0.1:9002", 1, false, true, 0}}}};
  doc.tls_problems = {"certificate api: not issued yet"};
  doc.redis = {{"127.0.0.1:6379", true, 40, 3, "redis 127.0.0.1:6379: no answer within 50ms"}};
  return doc;
}

TrafficDoc sampleTraffic(std::uint64_t requests) {
  TrafficDoc t;
  t.requests = requests;
  t.by_class = {0, requests - 1, 0, 0, 1};
  t.latency_ms = {1.25, 4.5, 9.875};
  t.series = {1735787045, {0, requests}, {0, 1}};
  return t;
}

StatsDoc sampleStats() {
  StatsDoc doc;
  doc.requests = 10;
  doc.gateways["edge"] = sampleTraffic(10);
  doc.routes["shop"] = {sampleTraffic(8),
                        "edge",
                        AccessDoc{6, {{"auth_missing", 2}}, 1},
                        CacheRouteDoc{5, 1, 1, 2, 0, 4096},
                        {}};
  doc.routes["other"] = {sampleTraffic(2), "other", std::nullopt, std::nullopt, {}};
  // Asked for with ?histograms=1; and a route's split over its destinations.
  TrafficDoc timed = sampleTraffic(2);
  timed.histogram = {0, 1, 1};
  doc.routes["other"].destinations = {{"frontend", timed}, {"frontendv2", TrafficDoc{}}};
  doc.consumers["acme"] = sampleTraffic(6);
  doc.services["frontend"] = {sampleTraffic(10), {{"127.0.0.1:9001", sampleTraffic(10)}}};
  doc.mirrors["shadow"] = sampleTraffic(10);
  return doc;
}

}  // namespace

TEST_CASE("the status document keeps the admin API's keys and types", "[admin][messages]") {
  const Json wire = Json::parse(toJson(sampleStatus()));
  const Json expected = Json::parse(R"({
    "pid": 4242, "revision": 7, "startedAt": "2025-01-02T03:04:05Z", "threads": 2,
    "connections": 3, "requests": 99,
    "listeners": [
      {"gateway": "edge", "listener": "http", "protocol": "http", "address": "127.0.0.1",
       "port": 8080},
      {"gateway": "edge", "listener": "https", "protocol": "https", "address": "127.0.0.1",
       "port": 8443, "tls": "no certificate"}],
    "routes": [{"name": "shop", "gateway": "edge", "hosts": ["shop.test", "*.shop.test"],
                "requests": 12, "rps": 1.5, "errorRate": 0.25}],
    "services": [{"name": "frontend", "loadBalancer": "least-request", "endpoints": [
      {"address": "127.0.0.1:9001", "weight": 3, "healthy": true, "ejected": false,
       "inFlight": 2},
      {"address": "127.0.0.1:9002", "weight": 1, "healthy": false, "ejected": true,
       "inFlight": 0}]}],
    "tlsProblems": ["certificate api: not issued yet"], "documentChanged": false,
    "redis": [{"address": "127.0.0.1:6379", "breaker": "open", "calls": 40, "failures": 3,
               "lastError": "redis 127.0.0.1:6379: no answer within 50ms"}]})");
  CHECK(wire == expected);
  // Rates stay floating-point numbers on the wire even when whole.
  StatusDoc whole = sampleStatus();
  whole.routes[0].rps = 2.0;
  CHECK(Json::parse(toJson(whole))["routes"][0]["rps"].is_number_float());
}

TEST_CASE("the stats document keeps the admin API's keys and types", "[admin][messages]") {
  const Json wire = Json::parse(toJson(sampleStats()));
  const Json traffic = Json::parse(R"({
    "requests": 10, "1xx": 0, "2xx": 9, "3xx": 0, "4xx": 0, "5xx": 1,
    "latencyMs": {"p50": 1.25, "p90": 4.5, "p99": 9.875},
    "series": {"end": 1735787045, "requests": [0, 10], "errors": [0, 1]}})");
  CHECK(wire["requests"] == 10);
  CHECK(wire["gateways"]["edge"] == traffic);
  Json route = traffic;
  route["gateway"] = "edge";
  route["requests"] = 8;
  route["2xx"] = 7;
  route["series"]["requests"] = Json::array({0, 8});
  route["access"] = Json::parse(R"({"allowed": 6, "refused": {"auth_missing": 2}, "shadowDenied": 1,
                   "shadowLimited": 0})");
  route["cache"] = Json::parse(R"({"hits": 5, "stale": 1, "revalidated": 1, "misses": 2,
                   "bypass": 0, "bytesServed": 4096})");
  CHECK(wire["routes"]["shop"] == route);
  CHECK_FALSE(wire["routes"]["other"].contains("access"));
  CHECK_FALSE(wire["routes"]["other"].contains("cache"));
  CHECK(wire["routes"]["other"]["gateway"] == "other");
  CHECK_FALSE(wire["routes"]["shop"].contains("destinations"));
  CHECK(wire["routes"]["other"]["destinations"]["frontend"]["histogram"] == Json::array({0, 1, 1}));
  CHECK_FALSE(wire["routes"]["other"]["destinations"]["frontendv2"].contains("histogram"));
  CHECK(wire["routes"]["other"]["destinations"]["frontendv2"].contains("latencyMs"));
  // The dashboard's reads: an idle node is only its zero count, and reads back the same.
  StatsDoc compact = sampleStats();
  compact.compact_idle = true;
  const Json short_wire = Json::parse(toJson(compact));
  CHECK(short_wire["routes"]["other"]["destinations"]["frontendv2"] == Json{{"requests", 0}});
  CHECK(short_wire["routes"]["shop"]["latencyMs"]["p50"] == 1.25);
  auto compact_back = parseStats(toJson(compact));
  REQUIRE(compact_back);
  CHECK(*compact_back == sampleStats());
  Json service = traffic;
  service["endpoints"] = {{"127.0.0.1:9001", traffic}};
  CHECK(wire["services"]["frontend"] == service);
  CHECK(wire["mirrors"]["shadow"] == traffic);
  CHECK(wire["consumers"]["acme"]["requests"] == 6);
  CHECK(wire.size() == 6);
}

TEST_CASE("reload answers and refusals keep their shape", "[admin][messages]") {
  CHECK(toJson(ReloadDoc{3}) == R"({"revision":3})");
  CHECK(toJson(ErrorDoc{"unauthorized", std::nullopt}) == R"({"error":"unauthorized"})");
  CHECK(toJson(ErrorDoc{"bad", std::vector<std::string>{}}) == R"({"details":[],"error":"bad"})");
  CHECK(toJson(ErrorDoc{"bad", std::vector<std::string>{"a:1:2: x"}}) ==
        R"({"details":["a:1:2: x"],"error":"bad"})");
}

TEST_CASE("every document reads back to what was written", "[admin][messages]") {
  const StatusDoc status = sampleStatus();
  auto status_back = parseStatus(toJson(status));
  REQUIRE(status_back);
  CHECK(*status_back == status);

  const StatsDoc stats = sampleStats();
  auto stats_back = parseStats(toJson(stats));
  REQUIRE(stats_back);
  CHECK(*stats_back == stats);

  CacheDoc cache;
  cache.enabled = true;
  cache.entries = 3;
  cache.bytes = 9000;
  cache.max_bytes = 1 << 20;
  cache.max_object = 1 << 16;
  cache.evictions = 2;
  cache.routes["shop"] = CacheRouteDoc{5, 1, 1, 2, 3, 4096};
  auto cache_back = parseCache(toJson(cache));
  REQUIRE(cache_back);
  CHECK(*cache_back == cache);
  auto purge_back = parsePurge(toJson(PurgeDoc{7}));
  REQUIRE(purge_back);
  CHECK(purge_back->purged == 7);

  auto reload_back = parseReload(toJson(ReloadDoc{12}));
  REQUIRE(reload_back);
  CHECK(reload_back->revision == 12);

  const ErrorDoc error{"loading the configuration: bad", std::vector<std::string>{"x", "y"}};
  auto error_back = parseError(toJson(error));
  REQUIRE(error_back);
  CHECK(*error_back == error);
  auto plain_back = parseError(toJson(ErrorDoc{"use GET", std::nullopt}));
  REQUIRE(plain_back);
  CHECK_FALSE(plain_back->details.has_value());
}

TEST_CASE("missing keys keep their defaults, and wrong shapes are errors", "[admin][messages]") {
  auto sparse = parseStatus(R"({"revision": 5, "routes": [{"name": "shop"}]})");
  REQUIRE(sparse);
  CHECK(sparse->revision == 5);
  CHECK(sparse->listeners.empty());
  REQUIRE(sparse->routes.size() == 1);
  CHECK(sparse->routes[0].name == "shop");
  CHECK(sparse->routes[0].rps == 0.0);

  auto not_object = parseStatus("[1, 2]");
  REQUIRE_FALSE(not_object);
  CHECK(not_object.error().message == "not a status document: not a JSON object");
  CHECK_FALSE(parseStatus("ready\n"));

  auto wrong_type = parseStatus(R"({"revision": "five"})");
  REQUIRE_FALSE(wrong_type);
  CHECK(wrong_type.error().message.rfind("not a status document: ", 0) == 0);

  auto not_array = parseStatus(R"({"listeners": {"http": 1}})");
  REQUIRE_FALSE(not_array);
  CHECK(not_array.error().message == "not a status document: \"listeners\" is not an array");

  auto bad_stats = parseStats(R"({"routes": {"shop": 3}})");
  REQUIRE_FALSE(bad_stats);
  CHECK(bad_stats.error().message == "not a stats document: \"shop\" is not an object");

  CHECK_FALSE(parseReload(R"({"revision": "2"})"));
  CHECK_FALSE(parseReload(R"({})"));
  CHECK_FALSE(parseError(R"({"details": []})"));
}

TEST_CASE("a refusal that is not all strings is kept as JSON text", "[admin][messages]") {
  auto odd = parseError(R"({"error": {"code": 7}, "details": ["a", 2]})");
  REQUIRE(odd);
  CHECK(odd->error == R"({"code":7})");
  CHECK(odd->details == std::optional<std::vector<std::string>>({"a", "2"}));
}
