#include <catch2/catch.hpp>

#include "core/routing/route_table.hpp"
#include "tests/core/routing/route_fixture.hpp"

using namespace gw::core;
using namespace gw::core::routing;
using namespace gw::core::routing::testing;

namespace {

// 100 hosts x 100 routes: per host 80 prefixes two levels deep, 19 exact paths, one regex.
Config largeConfig() {
  Config config;
  config.routes.reserve(10'000);
  for (int h = 0; h < 100; ++h) {
    const std::string host = "h" + std::to_string(h) + ".test";
    const std::string tag = std::to_string(h) + "-";
    for (int p = 0; p < 40; ++p) {
      const std::string base = "/svc" + std::to_string(p);
      config.routes.push_back(makeRoute("p" + tag + std::to_string(p), {host}, base));
      config.routes.push_back(
          makeRoute("q" + tag + std::to_string(p), {host}, base + "/v" + std::to_string(p % 3)));
    }
    for (int e = 0; e < 19; ++e) {
      config.routes.push_back(makeRoute("e" + tag + std::to_string(e), {host},
                                        "/svc" + std::to_string(e) + "/health", MatchType::kExact));
    }
    config.routes.push_back(
        makeRoute("r" + tag, {host}, "/svc[0-9]+/items/[0-9]+", MatchType::kRegex));
  }
  return config;
}

}  // namespace

TEST_CASE("a table of 10,000 routes answers every kind of lookup right", "[router]") {
  const Config config = largeConfig();
  const auto table = RouteTable::build(config, kGateway);
  REQUIRE(table->size() == 10'000);

  for (int h = 0; h < 100; h += 7) {
    const std::string host = "H" + std::to_string(h) + ".test:8080";
    const std::string tag = std::to_string(h) + "-";
    for (int p = 0; p < 40; p += 3) {
      const std::string base = "/svc" + std::to_string(p);
      const std::string version = "/v" + std::to_string(p % 3);
      CAPTURE(host, base);
      CHECK(winner(*table, {host, base}) == "p" + tag + std::to_string(p));
      CHECK(winner(*table, {host, base + "/other/deep/path"}) == "p" + tag + std::to_string(p));
      CHECK(winner(*table, {host, base + version + "/x"}) == "q" + tag + std::to_string(p));
      CHECK(winner(*table, {host, base + "/items/7"}) == "r" + tag);
      const std::string health =
          p < 19 ? "e" + tag + std::to_string(p) : "p" + tag + std::to_string(p);
      CHECK(winner(*table, {host, base + "/health"}) == health);
      CHECK(winner(*table, {host, base + "x"}).empty());
    }
  }
  CHECK(winner(*table, {"h100.test", "/svc1"}).empty());
}
