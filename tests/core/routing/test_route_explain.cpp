#include <catch2/catch.hpp>

#include "core/routing/route_table.hpp"
#include "tests/core/routing/route_fixture.hpp"

using namespace gw::core;
using namespace gw::core::routing;
using namespace gw::core::routing::testing;

namespace {

Config shopConfig() {
  Config config;
  auto writes = makeRoute("writes", {"shop.test"}, "/api");
  writes.methods = {"POST"};
  auto canary = makeRoute("canary", {"shop.test"}, "/");
  canary.headers = {HeaderMatch{"x-canary", "on"}};
  canary.priority = 5;
  config.routes = {
      makeRoute("shop", {"shop.test"}, "/"),
      makeRoute("home", {"shop.test"}, "/", MatchType::kExact),
      writes,
      canary,
      makeRoute("fallback", {}, "/"),
  };
  return config;
}

std::vector<std::pair<std::string, std::string>> reasons(const Explanation& explanation) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const Candidate& candidate : explanation.candidates) {
    out.emplace_back(candidate.route, candidate.reason);
  }
  return out;
}

using Reasons = std::vector<std::pair<std::string, std::string>>;

}  // namespace

TEST_CASE("explain lists the host rule's routes in precedence order with a reason each",
          "[router]") {
  const Config config = shopConfig();
  const auto table = RouteTable::build(config, kGateway);

  SECTION("an exact path wins and the rest are not reached") {
    const Request request{"Shop.Test:8080", "/"};
    const Explanation explanation = table->explain(request.view());
    CHECK(explanation.host_rule == "shop.test");
    REQUIRE(explanation.winner != nullptr);
    CHECK(explanation.winner->name == "home");
    CHECK(reasons(explanation) == Reasons{
                                      {"canary", "header x-canary missing"},
                                      {"home", "wins: exact path \"/\""},
                                      {"writes", "not reached: \"home\" won first"},
                                      {"shop", "not reached: \"home\" won first"},
                                  });
    CHECK(explanation.candidates[1].matched);
    CHECK_FALSE(explanation.candidates[0].matched);
    CHECK(explanation.summary == "route \"home\" (host rule \"shop.test\")");
  }

  SECTION("a path, a method and a header value that do not match say so") {
    const Request request{"shop.test", "/api/orders", "GET", {{"X-Canary", "off"}}};
    const Explanation explanation = table->explain(request.view());
    CHECK(reasons(explanation) == Reasons{
                                      {"canary", "header x-canary is \"off\", not \"on\""},
                                      {"home", "path does not match (exact path \"/\")"},
                                      {"writes", "method GET not in [POST]"},
                                      {"shop", "wins: prefix \"/\""},
                                  });
  }

  SECTION("priority shows in the winning reason") {
    const Request request{"shop.test", "/", "GET", {{"x-canary", "on"}}};
    const Explanation explanation = table->explain(request.view());
    REQUIRE_FALSE(explanation.candidates.empty());
    CHECK(explanation.candidates[0].reason == "wins: prefix \"/\" (priority 5)");
  }
}

TEST_CASE("explain names the * rule for a host without routes of its own", "[router]") {
  const Config config = shopConfig();
  const auto table = RouteTable::build(config, kGateway);
  const Explanation explanation = table->explain(Request{"other.test", "/x"}.view());
  CHECK(explanation.host_rule == "*");
  CHECK(reasons(explanation) == Reasons{{"fallback", "wins: prefix \"/\""}});
}

TEST_CASE("explain says when no host rule matches", "[router]") {
  Config config;
  config.routes = {makeRoute("shop", {"shop.test"}, "/")};
  const auto table = RouteTable::build(config, kGateway);
  const Explanation explanation = table->explain(Request{"Other.Test:80", "/"}.view());
  CHECK(explanation.host_rule.empty());
  CHECK(explanation.winner == nullptr);
  CHECK(explanation.candidates.empty());
  CHECK(explanation.summary ==
        "no route: no route serves host \"other.test\" (no exact, wildcard or \"*\" host rule "
        "matches it)");
}

TEST_CASE("explain says when the host rule has no matching route", "[router]") {
  Config config;
  config.routes = {makeRoute("api", {"shop.test"}, "/api"), makeRoute("fallback", {}, "/")};
  const auto table = RouteTable::build(config, kGateway);
  const Explanation explanation = table->explain(Request{"shop.test", "/apix"}.view());
  CHECK(explanation.winner == nullptr);
  CHECK(reasons(explanation) == Reasons{{"api", "path does not match (prefix \"/api\")"}});
  CHECK(explanation.summary ==
        "no route: none of the 1 routes of host rule \"shop.test\" matches \"/apix\"");
}

TEST_CASE("explain reports a regex that does not compile", "[router]") {
  Config config;
  config.routes = {makeRoute("broken", {"shop.test"}, "/items/(", MatchType::kRegex)};
  const auto table = RouteTable::build(config, kGateway);
  const Explanation explanation = table->explain(Request{"shop.test", "/items/("}.view());
  CHECK(reasons(explanation) == Reasons{{"broken", "regex \"/items/(\" does not compile"}});
}

TEST_CASE("explain and match always agree on the winner", "[router]") {
  Config config;
  const std::vector<std::string> hosts = {"shop.test", "*.shop.test", "*"};
  const std::vector<std::string> paths = {"/", "/api", "/api/", "/api/v1", "/a"};
  int n = 0;
  for (const auto& host : hosts) {
    for (const auto& path : paths) {
      for (const MatchType type : {MatchType::kPrefix, MatchType::kExact}) {
        auto route = makeRoute("r" + std::to_string(n), {host}, path, type);
        route.priority = (n % 7 == 0) ? std::optional<int>(n % 3) : std::nullopt;
        if (n % 5 == 0) {
          route.methods = {"POST"};
        }
        config.routes.push_back(route);
        ++n;
      }
    }
    config.routes.push_back(
        makeRoute("re" + std::to_string(n++), {host}, "/api/v[0-9]+", MatchType::kRegex));
  }
  const auto table = RouteTable::build(config, kGateway);
  const std::vector<std::string> request_hosts = {"shop.test", "a.shop.test", "x.test", ""};
  const std::vector<std::string> request_paths = {
      "/", "/api", "/api/", "/api/v1", "/api/v2", "/api/v1/x", "/apix", "/a/b", ""};
  for (const auto& host : request_hosts) {
    for (const auto& path : request_paths) {
      for (const std::string method : {"GET", "POST"}) {
        const Request request{host, path, method};
        CAPTURE(host, path, method);
        CHECK(table->match(request.view()) == table->explain(request.view()).winner);
      }
    }
  }
}
