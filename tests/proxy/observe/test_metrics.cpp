#include <catch2/catch.hpp>
#include <random>
#include <set>
#include <sstream>

#include "tests/proxy/support/harness.hpp"
#include "tests/support/eventually.hpp"
#include "tests/support/process.hpp"

namespace gw::test {
namespace {

core::Config metricsConfig(std::uint16_t port, const EchoBackend& backend) {
  core::Config config = singleRoute(port, "alpha", backend.endpoint(), "alpha.test");
  return config;
}

Reply metrics(ProxyUnderTest& proxy) {
  return HttpClient(proxy.server().adminPort())
      .request("GET", "127.0.0.1", "/metrics", {{"Authorization", "Bearer " + proxy.token()}});
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// A request is counted once its answer is written, so a client can have the answer before
// the count exists: read /metrics until `part` shows up (bounded), then return it.
Reply metricsOnce(ProxyUnderTest& proxy, const std::string& part) {
  return eventuallyValue([&] { return metrics(proxy); },
                         [&](const Reply& reply) { return contains(reply.body, part); }, 5s)
      .value;
}

}  // namespace

TEST_CASE("/metrics is valid Prometheus text that promtool accepts", "[proxy][metrics]") {
  const RunResult which = run({"sh", "-c", "command -v promtool"});
  if (which.exit_code != 0) {
    FAIL("promtool is missing: run scripts/setup (it installs Debian's prometheus package)");
  }
  EchoBackend backend("alpha");
  const auto port = freePort();
  ProxyUnderTest proxy(metricsConfig(port, backend));
  HttpClient client(port);
  for (int i = 0; i < 3; ++i) {
    REQUIRE(client.get("alpha.test").status == 200);
  }
  REQUIRE(client.get("alpha.test", "/?status=503").status == 503);
  REQUIRE(client.get("nowhere.test").status == 404);

  const Reply reply = metricsOnce(proxy,
                                  "gw_requests_total{gateway=\"edge\",route=\"\",service=\"\","
                                  "code_class=\"4xx\"} 1\n");
  REQUIRE(reply.status == 200);
  CHECK(reply.header("content-type") == "text/plain; version=0.0.4; charset=utf-8");
  const std::string& text = reply.body;
  CHECK(contains(text,
                 "gw_requests_total{gateway=\"edge\",route=\"alpha\",service=\"alpha\","
                 "code_class=\"2xx\"} 3\n"));
  CHECK(contains(text,
                 "gw_requests_total{gateway=\"edge\",route=\"alpha\",service=\"alpha\","
                 "code_class=\"5xx\"} 1\n"));
  CHECK(contains(text,
                 "gw_requests_total{gateway=\"edge\",route=\"\",service=\"\","
                 "code_class=\"4xx\"} 1\n"));
  CHECK(contains(text, "gw_upstream_requests_total{service=\"alpha\",endpoint=\"" +
                           backend.endpoint() + "\",code_class=\"2xx\"} 3\n"));
  CHECK(contains(text, "gw_request_duration_seconds_count{gateway=\"edge\",route=\"alpha\"} 4\n"));
  CHECK(contains(
      text,
      "gw_request_duration_seconds_bucket{gateway=\"edge\",route=\"alpha\",le=\"+Inf\"} 4\n"));
  CHECK(contains(text, "gw_config_revision 1\n"));
  CHECK(contains(text, "gw_reloads_total 0\n"));
  CHECK(contains(text, "gw_connections_active "));
  CHECK(contains(text, "gw_build_info{version=\""));

  const RunResult checked = run({"promtool", "check", "metrics"}, {}, text, 30s);
  INFO(checked.out << checked.err);
  CHECK(checked.exit_code == 0);
}

TEST_CASE("/metrics needs the bearer token and counts reloads", "[proxy][metrics]") {
  EchoBackend backend("alpha");
  const auto port = freePort();
  ProxyUnderTest proxy(metricsConfig(port, backend));
  CHECK(HttpClient(proxy.server().adminPort()).get("127.0.0.1", "/metrics").status == 401);
  proxy.setConfig(metricsConfig(port, backend));
  REQUIRE(proxy.server().reload());
  const std::string text = metrics(proxy).body;
  CHECK(contains(text, "gw_config_revision 2\n"));
  CHECK(contains(text, "gw_reloads_total 1\n"));
}

TEST_CASE("a flood of distinct hosts and paths leaves /metrics bounded", "[proxy][metrics]") {
  EchoBackend backend("alpha");
  const auto port = freePort();
  ProxyUnderTest proxy(metricsConfig(port, backend), 1);
  HttpClient client(port);
  REQUIRE(client.get("alpha.test", "/first").status == 200);
  REQUIRE(client.get("nowhere.test", "/first").status == 404);
  const std::size_t before = metrics(proxy).body.size();

  std::mt19937_64 random(42);
  auto word = [&random] { return std::to_string(random()); };
  constexpr int kRequests = 5000;
  int sent = 0;
  const auto give_up = std::chrono::steady_clock::now() + 60s;
  for (; sent < kRequests && std::chrono::steady_clock::now() < give_up; ++sent) {
    if (sent % 2 == 0) {
      REQUIRE(client.get(word() + ".test", "/" + word()).status == 404);
    } else {
      REQUIRE(client.get("alpha.test", "/" + word() + "/" + word()).status == 200);
    }
  }
  REQUIRE(sent == kRequests);

  const std::string text = metrics(proxy).body;
  INFO("before " << before << " bytes, after " << text.size());
  // Only the counts grew, by a few digits each.
  CHECK(text.size() <= before + 1024);
  CHECK_FALSE(contains(text, ".test"));
  CHECK(contains(text,
                 "gw_requests_total{gateway=\"edge\",route=\"\",service=\"\","
                 "code_class=\"4xx\"} 2501\n"));
}

TEST_CASE("routes beyond the cap share the \"other\" label set", "[proxy][metrics]") {
  EchoBackend backend("alpha");
  const auto port = freePort();
  core::Config config;
  config.gateways.push_back(makeGateway("edge", {{core::Protocol::kHttp, port}}));
  config.services.push_back(makeService("alpha", {backend.endpoint()}));
  constexpr int kRoutes = 1010;
  for (int i = 0; i < kRoutes; ++i) {
    config.routes.push_back(makeRoute("r" + std::to_string(i), "edge",
                                      {"r" + std::to_string(i) + ".test"}, {{"alpha", 100}}));
  }
  ProxyUnderTest proxy(config, 1);
  HttpClient client(port);
  REQUIRE(client.get("r0.test").status == 200);
  REQUIRE(client.get("r1008.test").status == 200);
  REQUIRE(client.get("r1009.test").status == 200);

  const std::string text = metrics(proxy).body;
  std::set<std::string> routes;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    const std::string prefix = "gw_request_duration_seconds_count{gateway=\"";
    if (line.rfind(prefix, 0) == 0) {
      routes.insert(line.substr(0, line.rfind(' ')));
    }
  }
  CHECK(routes.size() == 1001);  // 1,000 named routes and "other"
  CHECK(contains(text, "gw_request_duration_seconds_count{gateway=\"edge\",route=\"r0\"} 1\n"));
  CHECK(contains(text, "gw_request_duration_seconds_count{gateway=\"other\",route=\"other\"} 2\n"));
}

}  // namespace gw::test
