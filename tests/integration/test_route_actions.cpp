// Route actions and endpoint health through a running proxy, configured with the CLI.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tests/integration/gw_home.hpp"

using namespace gw::test;

TEST_CASE("a route with --direct-response answers its body through the proxy",
          "[direct-response]") {
  GwHome gw;
  const auto port = freePort();
  REQUIRE(gw.gw({"install"}).exit_code == 0);
  REQUIRE(gw.createEdge(port).exit_code == 0);
  REQUIRE(waitForPort(port));
  auto r = gw.gw({"route", "add", "hello", "--gateway", "edge", "--host", "shop.test",
                  "--direct-response", "200", "--body", "hi"});
  REQUIRE(r.exit_code == 0);

  auto answer = httpGet(port, "shop.test", "/anything");
  CHECK(answer.status == 200);
  CHECK(answer.body == "hi");
  CHECK(answer.header("content-type") == "text/plain");

  REQUIRE(gw.gw({"route", "update", "hello", "--direct-response", "503", "--body",
                 "{\"down\":true}", "--content-type", "application/json"})
              .exit_code == 0);
  answer = httpGet(port, "shop.test", "/");
  CHECK(answer.status == 503);
  CHECK(answer.body == "{\"down\":true}");
  CHECK(answer.header("content-type") == "application/json");
}

TEST_CASE("service get shows the running proxy's view of each endpoint", "[health]") {
  EchoBackend backend("app");
  GwHome gw;
  REQUIRE(gw.gw({"install"}).exit_code == 0);
  REQUIRE(gw.gw({"service", "add", "app", "--endpoint", backend.endpoint() + "=4"}).exit_code == 0);
  auto r = gw.gw({"service", "get", "app", "-o", "json"});
  REQUIRE(r.exit_code == 0);
  const auto status = nlohmann::json::parse(r.out)["status"];
  CHECK(status["proxy"] == "running");
  REQUIRE(status["endpoints"].size() == 1);
  CHECK(status["endpoints"][0]["address"] == backend.endpoint());
  CHECK(status["endpoints"][0]["weight"] == 4);
  CHECK(status["endpoints"][0]["health"] == "healthy");
  CHECK(status["endpoints"][0]["inFlight"] == 0);
}
