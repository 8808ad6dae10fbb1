// gw status shows what a running proxy's routes are doing: requests per second over the
// last 10 s and the share of 5xx answers.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tests/integration/gw_home.hpp"
#include "tests/support/eventually.hpp"

using namespace gw::test;

TEST_CASE("status shows requests per second and the 5xx share per route", "[daemon][stats]") {
  EchoBackend backend("app");
  GwHome gw;
  REQUIRE(gw.gw({"install"}).exit_code == 0);
  REQUIRE(gw.gw({"service", "add", "app", "--endpoint", backend.endpoint()}).exit_code == 0);
  const auto port = freePort();
  REQUIRE(gw.createEdge(port).exit_code == 0);
  REQUIRE(gw.gw({"route", "add", "shop", "--gateway", "edge", "--host", "shop.test", "--to", "app"})
              .exit_code == 0);
  REQUIRE(fetchMany(port, "shop.test", "/", 15).size() == 15);
  REQUIRE(fetchMany(port, "shop.test", "/?status=503", 5).size() == 5);

  // The rates count finished seconds only: wait until the requests' seconds are over. Each
  // poll runs the CLI, so it polls less often than the default.
  const auto counted = eventuallyValue(
      [&] {
        const auto r = gw.gw({"status", "-o", "json"});
        REQUIRE(r.exit_code == 0);
        return nlohmann::json::parse(r.out)["routes"][0];
      },
      [](const nlohmann::json& route) {
        return route.value("rps", 0.0) >= 2.0;  // all 20 requests are in finished seconds
      },
      5s, 100ms);
  const nlohmann::json& route = counted.value;
  CHECK(route["name"] == "shop");
  CHECK(route["requests"] == 20);
  CHECK(route["rps"].get<double>() == Approx(2.0));
  CHECK(route["errorRate"].get<double>() == Approx(0.25));

  const auto text = gw.gw({"status"});
  REQUIRE(text.exit_code == 0);
  CHECK(text.out.find("REQ/S") != std::string::npos);
  CHECK(text.out.find("2.0") != std::string::npos);
  CHECK(text.out.find("25.0%") != std::string::npos);
}
