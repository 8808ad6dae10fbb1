// Active health checks and passive outlier detection through the proxy, with gw-echo
// backends that stop, restart, fail or refuse.

#include <catch2/catch.hpp>
#include <optional>

#include "tests/proxy/balancer/balancer_support.hpp"
#include "tests/proxy/support/bad_backend.hpp"

namespace gw::test {
namespace {

core::HealthCheck fastCheck(int healthy_threshold, int unhealthy_threshold) {
  core::HealthCheck check;
  check.path = "/healthz";
  check.interval = 200ms;
  check.timeout = 200ms;
  check.healthy_threshold = healthy_threshold;
  check.unhealthy_threshold = unhealthy_threshold;
  return check;
}

core::OutlierDetection outliers(int consecutive_5xx, int consecutive_connect_failures,
                                std::chrono::milliseconds ejection_time, int max_percent) {
  core::OutlierDetection od;
  od.consecutive_5xx = consecutive_5xx;
  od.consecutive_connect_failures = consecutive_connect_failures;
  od.ejection_time = ejection_time;
  od.max_ejected_percent = max_percent;
  return od;
}

}  // namespace

TEST_CASE("an endpoint that stops gets no traffic after one check interval, and returns",
          "[health]") {
  const auto a_port = freePort();
  std::optional<EchoProcess> a(std::in_place, "a", a_port);
  const std::string a_endpoint = a->endpoint();
  EchoProcess b("b");
  const auto port = freePort();
  core::Service service =
      weightedService("svc", core::LbPolicy::kRoundRobin, {{a_endpoint, 1}, {b.endpoint(), 1}});
  service.health_check = fastCheck(2, 1);
  ProxyUnderTest proxy(oneServiceConfig(port, service));

  HttpClient client(port);
  CHECK(countBackends(client, 10)["a"] == 5);

  a.reset();  // stopped: connections are refused from now on
  // The next probe fails (unhealthy_threshold 1): one interval, plus whatever a busy
  // machine adds.
  REQUIRE(
      eventually([&] { return endpointStatus(proxy, "svc", a_endpoint)["healthy"] == false; }, 5s));
  auto seen = countBackends(client, 40);
  CHECK(seen["b"] == 40);
  CHECK(endpointStatus(proxy, "svc", a_endpoint)["healthy"] == false);

  a.emplace("a", a_port);
  CHECK(
      eventually([&] { return endpointStatus(proxy, "svc", a_endpoint)["healthy"] == true; }, 3s));
  seen = countBackends(client, 10);
  CHECK(seen["a"] == 5);
  CHECK(seen["b"] == 5);
}

TEST_CASE("a reload keeps an endpoint's health, and dropping the check restores it", "[health]") {
  EchoProcess b("b");
  const DeadPort dead;
  const std::string down = dead.endpoint();
  const auto port = freePort();
  core::Service service =
      weightedService("svc", core::LbPolicy::kRoundRobin, {{down, 1}, {b.endpoint(), 1}});
  service.health_check = fastCheck(2, 1);
  core::Config config = oneServiceConfig(port, service);
  ProxyUnderTest proxy(config);
  REQUIRE(eventually([&] { return endpointStatus(proxy, "svc", down)["healthy"] == false; }, 3s));

  config.routes.push_back(makeRoute("other", "edge", {"other.test"}, {{"svc", 100}}));
  proxy.setConfig(config);
  REQUIRE(proxy.server().reload());
  HttpClient client(port);
  CHECK(countBackends(client, 20)["b"] == 20);  // still known down: no request is lost on it
  CHECK(endpointStatus(proxy, "svc", down)["healthy"] == false);

  config.services[0].health_check.reset();
  proxy.setConfig(config);
  REQUIRE(proxy.server().reload());
  CHECK(eventually([&] { return endpointStatus(proxy, "svc", down)["healthy"] == true; }, 3s));
}

TEST_CASE("when every endpoint is down the gateway answers 503 no_healthy_upstream", "[health]") {
  const auto port = freePort();
  const DeadPort dead;
  core::Service service =
      weightedService("svc", core::LbPolicy::kRoundRobin, {{dead.endpoint(), 1}});
  service.health_check = fastCheck(2, 1);
  ProxyUnderTest proxy(oneServiceConfig(port, service));
  HttpClient client(port);
  REQUIRE(eventually([&] { return client.get("lb.test").status == 503; }, 3s));
  const Reply reply = client.get("lb.test");
  CHECK(reply.status == 503);
  CHECK(reply.header("x-gw-error") == "no_healthy_upstream");
}

TEST_CASE("an endpoint answering 5xx is ejected after the streak and returns after the time",
          "[health]") {
  EchoProcess bad("bad", 0, {"--status", "503"});
  EchoProcess good("good");
  const auto port = freePort();
  core::Service service = weightedService("svc", core::LbPolicy::kRoundRobin,
                                          {{bad.endpoint(), 1}, {good.endpoint(), 1}});
  service.outlier_detection = outliers(3, 0, 800ms, 50);
  ProxyUnderTest proxy(oneServiceConfig(port, service), 1);

  HttpClient client(port);
  const auto started = std::chrono::steady_clock::now();
  auto seen = countBackends(client, 30);
  CHECK(seen["bad"] == 3);  // the third 503 in a row ejects it
  CHECK(seen["good"] == 27);
  const bool still_ejected = std::chrono::steady_clock::now() - started < 800ms;
  if (still_ejected) {
    CHECK(endpointStatus(proxy, "svc", bad.endpoint())["ejected"] == true);
  }

  // The ejection began after `started`, so it cannot end before started + 800ms; when it
  // ends exactly is the balancer's unit test, on a clock it drives (test_balancer.cpp).
  REQUIRE(eventually(
      [&] { return endpointStatus(proxy, "svc", bad.endpoint())["ejected"] == false; }, 5s));
  CHECK(std::chrono::steady_clock::now() - started >= 800ms);
  CHECK(countBackends(client, 4)["bad"] >= 1);
}

TEST_CASE("an endpoint refusing connections is ejected after consecutive connect failures",
          "[health]") {
  EchoProcess good("good");
  const DeadPort dead;
  const std::string down = dead.endpoint();
  const auto port = freePort();
  core::Service service =
      weightedService("svc", core::LbPolicy::kRoundRobin, {{down, 1}, {good.endpoint(), 1}});
  service.outlier_detection = outliers(0, 2, 30s, 50);
  ProxyUnderTest proxy(oneServiceConfig(port, service), 1);

  HttpClient client(port);
  auto seen = countBackends(client, 20);
  CHECK(seen[""] == 2);  // two 502 upstream_connect answers, then it is out
  CHECK(seen["good"] == 18);
  CHECK(endpointStatus(proxy, "svc", down)["ejected"] == true);
}

TEST_CASE("an endpoint that drops connections without answering is ejected as a 5xx streak",
          "[health]") {
  BadBackend silent("", 8);  // accepts, reads the request, closes: 502 upstream_reset
  EchoProcess good("good");
  const auto port = freePort();
  core::Service service = weightedService("svc", core::LbPolicy::kRoundRobin,
                                          {{silent.endpoint(), 1}, {good.endpoint(), 1}});
  service.outlier_detection = outliers(2, 0, 30s, 50);
  ProxyUnderTest proxy(oneServiceConfig(port, service), 1);

  HttpClient client(port);
  auto seen = countBackends(client, 20);
  CHECK(seen[""] == 2);  // two 502 upstream_reset answers in a row, then it is out
  CHECK(seen["good"] == 18);
  CHECK(endpointStatus(proxy, "svc", silent.endpoint())["ejected"] == true);
}

TEST_CASE("outlier detection never ejects more than max_ejected_percent of a service", "[health]") {
  EchoProcess one("one", 0, {"--status", "503"});
  EchoProcess two("two", 0, {"--status", "503"});
  const auto port = freePort();
  core::Service service = weightedService("svc", core::LbPolicy::kRoundRobin,
                                          {{one.endpoint(), 1}, {two.endpoint(), 1}});
  service.outlier_detection = outliers(2, 0, 30s, 50);
  ProxyUnderTest proxy(oneServiceConfig(port, service), 1);

  HttpClient client(port);
  for (int i = 0; i < 20; ++i) {
    const Reply reply = client.get("lb.test");
    CHECK(reply.status == 503);
    CHECK(reply.header("x-gw-error").empty());  // the backend's answer, never "no healthy"
  }
  int ejected = 0;
  const nlohmann::json status = adminStatus(proxy);
  for (const auto& endpoint : status["services"][0]["endpoints"]) {
    ejected += endpoint["ejected"] == true ? 1 : 0;
  }
  CHECK(ejected == 1);
}

}  // namespace gw::test
