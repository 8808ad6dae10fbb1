#include <catch2/catch.hpp>
#include <map>
#include <random>

#include "core/routing/route_table.hpp"
#include "tests/core/routing/route_fixture.hpp"

using namespace gw::core;
using namespace gw::core::routing;
using namespace gw::core::routing::testing;

namespace {

const CompiledRoute& onlyRoute(const RouteTable& table) {
  const CompiledRoute* route = table.match(Request{"shop.test", "/"}.view());
  REQUIRE(route != nullptr);
  return *route;
}

}  // namespace

TEST_CASE("weighted choice follows each weight within 1% and never picks weight 0", "[router]") {
  auto split = makeRoute("shop", {"shop.test"}, "/");
  split.destinations = {{"frontend", 50}, {"frontendv2", 30}, {"dark", 0}, {"frontendv3", 20}};
  Config config;
  config.routes = {split};
  const auto table = RouteTable::build(config, kGateway);
  const CompiledRoute& route = onlyRoute(*table);

  constexpr int kPicks = 100'000;
  std::mt19937 prng(20240601);
  std::uniform_int_distribution<std::uint32_t> roll(0, 99);
  std::map<std::size_t, int> counts;
  for (int i = 0; i < kPicks; ++i) {
    ++counts[route.pickDestination(roll(prng))];
  }
  CHECK_FALSE(counts.contains(2));
  for (const auto& [index, weight] :
       std::vector<std::pair<std::size_t, int>>{{0, 50}, {1, 30}, {3, 20}}) {
    CAPTURE(index, weight);
    const double share = 100.0 * counts[index] / kPicks;
    CHECK(share == Approx(weight).margin(1.0));
  }
}

TEST_CASE("the pick table holds each destination exactly its weight, interleaved", "[router]") {
  auto split = makeRoute("shop", {"shop.test"}, "/");
  split.destinations = {{"frontend", 50}, {"frontendv2", 50}};
  Config config;
  config.routes = {split};
  const auto table = RouteTable::build(config, kGateway);
  const CompiledRoute& route = onlyRoute(*table);
  int first = 0;
  for (std::uint32_t roll = 0; roll < 100; ++roll) {
    first += route.pickDestination(roll) == 0 ? 1 : 0;
  }
  CHECK(first == 50);
  // A request counter as the roll alternates rather than sending 50 in a row to one side.
  CHECK(route.pickDestination(0) != route.pickDestination(1));
  // Rolls past 100 wrap around.
  CHECK(route.pickDestination(101) == route.pickDestination(1));
}

TEST_CASE("a single destination takes every roll", "[router]") {
  Config config;
  config.routes = {makeRoute("shop", {"shop.test"}, "/")};
  const auto table = RouteTable::build(config, kGateway);
  const CompiledRoute& route = onlyRoute(*table);
  for (std::uint32_t roll = 0; roll < 100; ++roll) {
    CHECK(route.pickDestination(roll) == 0);
  }
}

TEST_CASE("a redirect-only route still matches, with an all-zero pick table", "[router]") {
  auto redirect = makeRoute("to-https", {"shop.test"}, "/");
  redirect.destinations.clear();
  redirect.redirect = Redirect{"https", "shop.test", {}, "/", "", 302, false};
  Config config;
  config.routes = {redirect};
  const auto table = RouteTable::build(config, kGateway);
  const CompiledRoute& route = onlyRoute(*table);
  CHECK(route.route->redirect->host == "shop.test");
  CHECK(route.pick == std::array<std::uint8_t, 100>{});
}
