#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tests/proxy/support/harness.hpp"
#include "tests/support/process.hpp"

namespace gw::test {
namespace {

core::Config adminConfig(std::uint16_t port, std::uint16_t tls_port, const EchoBackend& backend) {
  core::Config config;
  config.gateways.push_back(
      makeGateway("edge", {{core::Protocol::kHttp, port}, {core::Protocol::kHttps, tls_port}}));
  config.services.push_back(makeService("alpha", {backend.endpoint()}));
  config.routes.push_back(makeRoute("alpha", "edge", {"alpha.test"}, {{"alpha", 100}}));
  return config;
}

Reply admin(ProxyUnderTest& proxy, const std::string& method, const std::string& path,
            const std::string& token) {
  std::vector<std::pair<std::string, std::string>> headers;
  if (!token.empty()) {
    headers.emplace_back("Authorization", "Bearer " + token);
  }
  return HttpClient(proxy.server().adminPort()).request(method, "127.0.0.1", path, headers);
}

}  // namespace

TEST_CASE("the admin API needs the bearer token", "[proxy][admin]") {
  EchoBackend backend("alpha");
  ProxyUnderTest proxy(adminConfig(freePort(), freePort(), backend));

  CHECK(admin(proxy, "GET", "/ready", "").status == 200);
  CHECK(admin(proxy, "GET", "/v1/status", "").status == 401);
  CHECK(admin(proxy, "GET", "/v1/status", "wrong").status == 401);
  CHECK(admin(proxy, "GET", "/v1/status", proxy.token() + "x").status == 401);
  CHECK(admin(proxy, "POST", "/v1/reload", "").status == 401);
  CHECK(admin(proxy, "GET", "/v1/stats", "").status == 401);
  CHECK(admin(proxy, "GET", "/v1/status", proxy.token()).status == 200);
}

TEST_CASE("the admin API reports status and per-route stats", "[proxy][admin]") {
  EchoBackend backend("alpha");
  const auto port = freePort();
  const auto tls_port = freePort();
  ProxyUnderTest proxy(adminConfig(port, tls_port, backend));
  HttpClient client(port);
  for (int i = 0; i < 3; ++i) {
    REQUIRE(client.get("alpha.test").status == 200);
  }
  REQUIRE(client.get("alpha.test", "/?status=503").status == 503);
  REQUIRE(client.get("nowhere.test").status == 404);

  const auto status = nlohmann::json::parse(admin(proxy, "GET", "/v1/status", proxy.token()).body);
  CHECK(status["pid"].get<long>() > 0);
  CHECK(status["revision"] == 1);
  CHECK(status["threads"] == 2);
  CHECK(status["startedAt"].get<std::string>().size() == 20);
  REQUIRE(status["listeners"].size() == 2);
  for (const auto& listener : status["listeners"]) {
    CHECK(listener["gateway"] == "edge");
    CHECK(listener["address"] == "127.0.0.1");
    if (listener["protocol"] == "https") {
      CHECK(listener["port"] == tls_port);
      CHECK(listener["tls"] == "no certificate");
    } else {
      CHECK(listener["port"] == port);
    }
  }
  REQUIRE(status["routes"].size() == 1);
  CHECK(status["routes"][0]["name"] == "alpha");
  CHECK(status["routes"][0]["hosts"] == nlohmann::json::array({"alpha.test"}));
  CHECK(status["routes"][0]["requests"] == 4);

  const auto stats = nlohmann::json::parse(admin(proxy, "GET", "/v1/stats", proxy.token()).body);
  CHECK(stats["requests"] == 5);
  CHECK(stats["routes"]["alpha"]["requests"] == 4);
  CHECK(stats["routes"]["alpha"]["2xx"] == 3);
  CHECK(stats["routes"]["alpha"]["5xx"] == 1);
  CHECK(stats["routes"]["alpha"].contains("series"));

  // Filtered: one route, no series (a dashboard polling one route need not take them all).
  const auto one = nlohmann::json::parse(
      admin(proxy, "GET", "/v1/stats?route=alpha&series=false&service=none", proxy.token()).body);
  CHECK(one["routes"].size() == 1);
  CHECK(one["routes"]["alpha"]["requests"] == 4);
  CHECK_FALSE(one["routes"]["alpha"].contains("series"));
  CHECK(one["services"].empty());
  CHECK(one["gateways"].size() == 1);  // not filtered
  const auto none =
      nlohmann::json::parse(admin(proxy, "GET", "/v1/stats?route=beta", proxy.token()).body);
  CHECK(none["routes"].empty());
}

TEST_CASE("POST /v1/reload answers the revision or 422 with the errors", "[proxy][admin]") {
  EchoBackend backend("alpha");
  const auto port = freePort();
  ProxyUnderTest proxy(adminConfig(port, freePort(), backend));

  proxy.setConfig(adminConfig(port, freePort(), backend));
  const Reply ok = admin(proxy, "POST", "/v1/reload", proxy.token());
  CHECK(ok.status == 200);
  CHECK(nlohmann::json::parse(ok.body) == nlohmann::json{{"revision", 2}});

  proxy.failLoads(core::makeError(core::ErrorKind::kValidation, "config.yaml is invalid",
                                  {"config.yaml:3:5: routes[0].to: unknown service"}));
  const Reply refused = admin(proxy, "POST", "/v1/reload", proxy.token());
  CHECK(refused.status == 422);
  const auto body = nlohmann::json::parse(refused.body);
  CHECK(body["error"] == "loading the configuration: config.yaml is invalid");
  CHECK(body["details"] ==
        nlohmann::json::array({"config.yaml:3:5: routes[0].to: unknown service"}));
  CHECK(proxy.server().revision() == 2);
  CHECK(HttpClient(port).get("alpha.test").status == 200);
}

TEST_CASE("the admin API refuses a non-loopback address", "[proxy][admin]") {
  EchoBackend backend("alpha");
  core::Config config = adminConfig(freePort(), freePort(), backend);
  proxy::Options options;
  options.admin_address = "0.0.0.0:0";
  options.admin_token = "t";
  options.load = [shared = std::make_shared<const core::Config>(config)]()
      -> core::Result<std::shared_ptr<const core::Config>> { return shared; };
  const auto started = proxy::Server::start(options);
  REQUIRE_FALSE(started);
  CHECK(started.error().message.find("must be a loopback address") != std::string::npos);
}

}  // namespace gw::test
