#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <numeric>

#include "tests/proxy/support/harness.hpp"
#include "tests/support/eventually.hpp"
#include "tests/support/process.hpp"

namespace gw::test {
namespace {

// Service alpha (alpha.test) with two endpoints, service beta (beta.test) with one.
struct StatsSetup {
  EchoBackend a1{"a1"};
  EchoBackend a2{"a2"};
  EchoBackend b{"b"};
  std::uint16_t port = freePort();

  core::Config config() const {
    core::Config config;
    config.gateways.push_back(makeGateway("edge", {{core::Protocol::kHttp, port}}));
    config.services.push_back(makeService("alpha", {a1.endpoint(), a2.endpoint()}));
    config.services.push_back(makeService("beta", {b.endpoint()}));
    config.routes.push_back(makeRoute("alpha", "edge", {"alpha.test"}, {{"alpha", 100}}));
    config.routes.push_back(makeRoute("beta", "edge", {"beta.test"}, {{"beta", 100}}));
    return config;
  }
};

nlohmann::json adminJson(ProxyUnderTest& proxy, const std::string& path) {
  const Reply reply =
      HttpClient(proxy.server().adminPort())
          .request("GET", "127.0.0.1", path, {{"Authorization", "Bearer " + proxy.token()}});
  REQUIRE(reply.status == 200);
  return nlohmann::json::parse(reply.body);
}

// A request is counted once its answer is written, so the client can have the last answer
// before it is counted: read /v1/stats until `requests` have been (bounded), and return it.
nlohmann::json statsAfter(ProxyUnderTest& proxy, int requests) {
  return eventuallyValue(
             [&] { return adminJson(proxy, "/v1/stats"); },
             [&](const nlohmann::json& stats) { return stats["requests"].get<int>() >= requests; },
             5s)
      .value;
}

// The second the stats sampler has closed last, plus one (a series' "end").
long long seriesEnd(ProxyUnderTest& proxy) {
  return adminJson(proxy, "/v1/stats?series=1")["routes"]["alpha"]["series"]["end"]
      .get<long long>();
}

std::uint64_t sum(const nlohmann::json& values) {
  std::uint64_t total = 0;
  for (const auto& v : values) {
    total += v.get<std::uint64_t>();
  }
  return total;
}

}  // namespace

TEST_CASE("stats count requests per gateway, route, service and endpoint by status class",
          "[proxy][stats]") {
  StatsSetup setup;
  ProxyUnderTest proxy(setup.config());
  HttpClient client(setup.port);
  for (int i = 0; i < 4; ++i) {
    REQUIRE(client.get("alpha.test").status == 200);
  }
  for (int i = 0; i < 2; ++i) {
    REQUIRE(client.get("alpha.test", "/?status=503").status == 503);
  }
  REQUIRE(client.get("beta.test", "/?status=404").status == 404);
  REQUIRE(client.get("beta.test").status == 200);
  REQUIRE(client.get("beta.test", "/?status=301").status == 301);
  REQUIRE(client.get("nowhere.test").status == 404);

  const auto stats = statsAfter(proxy, 10);
  CHECK(stats["requests"] == 10);
  const auto& edge = stats["gateways"]["edge"];
  CHECK(edge["requests"] == 10);
  CHECK(edge["2xx"] == 5);
  CHECK(edge["3xx"] == 1);
  CHECK(edge["4xx"] == 2);
  CHECK(edge["5xx"] == 2);

  const auto& alpha = stats["routes"]["alpha"];
  CHECK(alpha["gateway"] == "edge");
  CHECK(alpha["requests"] == 6);
  CHECK(alpha["2xx"] == 4);
  CHECK(alpha["5xx"] == 2);
  CHECK(alpha["4xx"] == 0);
  CHECK(stats["routes"]["beta"]["requests"] == 3);

  const auto& service = stats["services"]["alpha"];
  CHECK(service["requests"] == 6);
  CHECK(service["5xx"] == 2);
  const auto& endpoints = service["endpoints"];
  REQUIRE(endpoints.contains(setup.a1.endpoint()));
  REQUIRE(endpoints.contains(setup.a2.endpoint()));
  CHECK(endpoints[setup.a1.endpoint()]["requests"].get<int>() +
            endpoints[setup.a2.endpoint()]["requests"].get<int>() ==
        6);
  CHECK(endpoints[setup.a1.endpoint()]["requests"].get<int>() >
        0);  // one keep-alive client: both used
  CHECK(endpoints[setup.a2.endpoint()]["requests"].get<int>() > 0);
  const auto& beta = stats["services"]["beta"];
  CHECK(beta["3xx"] == 1);
  CHECK(beta["4xx"] == 1);
  CHECK(beta["endpoints"][setup.b.endpoint()]["requests"] == 3);
}

TEST_CASE("latency percentiles reflect slow upstream answers", "[proxy][stats]") {
  StatsSetup setup;
  ProxyUnderTest proxy(setup.config());
  HttpClient client(setup.port);
  for (int i = 0; i < 4; ++i) {
    REQUIRE(client.get("alpha.test", "/?delay=200ms").status == 200);
  }
  for (int i = 0; i < 10; ++i) {
    REQUIRE(client.get("beta.test").status == 200);
  }

  const auto stats = statsAfter(proxy, 14);
  const auto& slow = stats["routes"]["alpha"]["latencyMs"];
  CHECK(slow["p50"].get<double>() >= 200.0);
  CHECK(slow["p90"].get<double>() >= slow["p50"].get<double>());
  CHECK(slow["p99"].get<double>() >= slow["p90"].get<double>());
  CHECK(slow["p99"].get<double>() < 1000.0);
  const auto& fast = stats["routes"]["beta"]["latencyMs"];
  CHECK(fast["p50"].get<double>() > 0.0);
  CHECK(fast["p50"].get<double>() < 100.0);
  CHECK(stats["services"]["alpha"]["latencyMs"]["p50"].get<double>() >= 200.0);
  CHECK(stats["gateways"]["edge"]["latencyMs"]["p99"].get<double>() >= 200.0);
}

TEST_CASE("the per-second series sums to the request count", "[proxy][stats]") {
  StatsSetup setup;
  ProxyUnderTest proxy(setup.config());
  HttpClient client(setup.port);
  int errors = 0;
  const auto send = [&](int from, int to) {
    for (int i = from; i < to; ++i) {
      const bool fail = i % 4 == 0;
      errors += fail ? 1 : 0;
      REQUIRE(client.get("alpha.test", fail ? "/?status=503" : "/").status == (fail ? 503 : 200));
    }
  };
  // Half the requests, then the other half once the sampler has closed a second that holds
  // the first half: the counts fall into at least two slots.
  send(0, 10);
  statsAfter(proxy, 10);
  const long long first_end = seriesEnd(proxy);
  REQUIRE(eventually([&] { return seriesEnd(proxy) > first_end; }, 5s));
  send(10, 20);

  const auto stats = statsAfter(proxy, 20);
  const auto& series = stats["routes"]["alpha"]["series"];
  CHECK(series["requests"].size() == 900);
  CHECK(series["errors"].size() == 900);
  CHECK(sum(series["requests"]) == 20);
  CHECK(sum(series["errors"]) == static_cast<std::uint64_t>(errors));
  std::size_t used_slots = 0;
  for (const auto& n : series["requests"]) {
    used_slots += n.get<std::uint64_t>() > 0 ? 1 : 0;
  }
  CHECK(used_slots >= 2);
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  CHECK(std::abs(series["end"].get<long long>() - now) <= 2);
  CHECK(sum(stats["gateways"]["edge"]["series"]["requests"]) == 20);
  CHECK(sum(stats["services"]["alpha"]["series"]["requests"]) == 20);

  const auto recent = adminJson(proxy, "/v1/stats?series=10");
  CHECK(recent["routes"]["alpha"]["series"]["requests"].size() == 10);
}

TEST_CASE("stats survive a reload for routes that still exist", "[proxy][stats]") {
  StatsSetup setup;
  auto config = setup.config();
  ProxyUnderTest proxy(config);
  HttpClient client(setup.port);
  for (int i = 0; i < 3; ++i) {
    REQUIRE(client.get("alpha.test").status == 200);
    REQUIRE(client.get("beta.test").status == 200);
  }

  config.routes.pop_back();  // beta goes
  config.routes.push_back(makeRoute("gamma", "edge", {"gamma.test"}, {{"beta", 100}}));
  proxy.setConfig(config);
  REQUIRE(proxy.server().reload());
  REQUIRE(HttpClient(setup.port).get("alpha.test").status == 200);

  const auto stats = statsAfter(proxy, 7);
  CHECK(stats["routes"]["alpha"]["requests"] == 4);
  CHECK(stats["routes"]["gamma"]["requests"] == 0);
  CHECK_FALSE(stats["routes"].contains("beta"));
  CHECK(stats["services"]["beta"]["requests"] == 3);  // the service stayed
  CHECK(sum(stats["routes"]["alpha"]["series"]["requests"]) == 4);
}

TEST_CASE("status reports requests per second and the error rate per route", "[proxy][stats]") {
  StatsSetup setup;
  ProxyUnderTest proxy(setup.config());
  HttpClient client(setup.port);
  for (int i = 0; i < 20; ++i) {
    REQUIRE(client.get("alpha.test", i % 4 == 0 ? "/?status=503" : "/").status > 0);
  }
  // The rate counts finished seconds only: wait until the requests' seconds are over.
  const nlohmann::json alpha =
      eventuallyValue(
          [&] {
            const nlohmann::json status = adminJson(proxy, "/v1/status");
            nlohmann::json found;
            for (const auto& route : status["routes"]) {
              if (route["name"] == "alpha") {
                found = route;
              }
            }
            return found;
          },
          [](const nlohmann::json& route) {  // all 20 counted
            return route.contains("rps") && route["rps"].get<double>() >= 2.0;
          },
          5s)
          .value;
  REQUIRE(alpha.contains("rps"));
  CHECK(alpha["rps"].get<double>() == Approx(2.0));
  CHECK(alpha["errorRate"].get<double>() == Approx(0.25));
  CHECK(alpha["requests"] == 20);
}

}  // namespace gw::test
