#include <catch2/catch.hpp>

#include "core/routing/route_table.hpp"
#include "tests/core/routing/route_fixture.hpp"

using namespace gw::core;
using namespace gw::core::routing;
using namespace gw::core::routing::testing;

namespace {

// The table points into its Config, so the returned pointer owns both.
std::shared_ptr<const RouteTable> tableOf(std::vector<Route> routes) {
  struct Owner {
    Config config;
    std::shared_ptr<const RouteTable> table;
  };
  auto owner = std::make_shared<Owner>();
  owner->config.routes = std::move(routes);
  owner->table = RouteTable::build(owner->config, kGateway);
  return {owner, owner->table.get()};
}

}  // namespace

TEST_CASE("exact path beats regex, which beats the longest prefix", "[router]") {
  const auto table = tableOf({
      makeRoute("catch-all", {"shop.test"}, "/"),
      makeRoute("api", {"shop.test"}, "/api"),
      makeRoute("versioned", {"shop.test"}, "/api/v[0-9]+/.*", MatchType::kRegex),
      makeRoute("status", {"shop.test"}, "/api/v1/status", MatchType::kExact),
  });
  CHECK(winner(*table, {"shop.test", "/api/v1/status"}) == "status");
  CHECK(winner(*table, {"shop.test", "/api/v1/orders"}) == "versioned");
  CHECK(winner(*table, {"shop.test", "/api/orders"}) == "api");
  CHECK(winner(*table, {"shop.test", "/about"}) == "catch-all");
}

TEST_CASE("a longer prefix beats a shorter one", "[router]") {
  const auto table = tableOf({
      makeRoute("root", {"shop.test"}, "/"),
      makeRoute("api", {"shop.test"}, "/api"),
      makeRoute("api-v1", {"shop.test"}, "/api/v1"),
  });
  CHECK(winner(*table, {"shop.test", "/api/v1/orders"}) == "api-v1");
  CHECK(winner(*table, {"shop.test", "/api/v1"}) == "api-v1");
  CHECK(winner(*table, {"shop.test", "/api/v2"}) == "api");
  CHECK(winner(*table, {"shop.test", "/"}) == "root");
}

TEST_CASE("prefixes match whole path segments only", "[router]") {
  const auto routes = tableOf({
      makeRoute("root", {"shop.test"}, "/"),
      makeRoute("api", {"shop.test"}, "/api"),
      makeRoute("docs", {"shop.test"}, "/docs/"),
  });
  const auto [path, expected] = GENERATE(table<std::string, std::string>({
      {"/api", "api"},
      {"/api/", "api"},
      {"/api/x", "api"},
      {"/api/x/y", "api"},
      {"/apix", "root"},
      {"/ap", "root"},
      {"/docs/", "docs"},
      {"/docs/intro", "docs"},
      {"/docs", "root"},
      {"/docsx/", "root"},
      {"", "root"},
  }));
  CAPTURE(path);
  CHECK(winner(*routes, {"shop.test", path}) == expected);
}

TEST_CASE("exact paths compare the whole path", "[router]") {
  const auto table = tableOf({makeRoute("home", {"shop.test"}, "/", MatchType::kExact)});
  CHECK(winner(*table, {"shop.test", "/"}) == "home");
  CHECK(winner(*table, {"shop.test", "/index.html"}).empty());
  CHECK(winner(*table, {"shop.test", ""}) == "home");
}

TEST_CASE("a higher priority overrides path precedence", "[router]") {
  auto maintenance = makeRoute("maintenance", {"shop.test"}, "/");
  maintenance.priority = 10;
  auto low = makeRoute("legacy", {"shop.test"}, "/legacy/.*", MatchType::kRegex);
  low.priority = -1;
  const auto table = tableOf({
      makeRoute("home", {"shop.test"}, "/", MatchType::kExact),
      makeRoute("api", {"shop.test"}, "/api"),
      maintenance,
      low,
      makeRoute("legacy-prefix", {"shop.test"}, "/legacy"),
  });
  CHECK(winner(*table, {"shop.test", "/"}) == "maintenance");
  CHECK(winner(*table, {"shop.test", "/api/x"}) == "maintenance");
  // Priority 0 (unset) beats -1 even though a regex outranks a prefix at equal priority.
  CHECK(winner(*table, {"shop.test", "/legacy/page"}) == "maintenance");
}

TEST_CASE("a negative priority loses to an unset one of any match type", "[router]") {
  auto low = makeRoute("low-exact", {"shop.test"}, "/a/b", MatchType::kExact);
  low.priority = -5;
  const auto table = tableOf({low, makeRoute("short", {"shop.test"}, "/a")});
  CHECK(winner(*table, {"shop.test", "/a/b"}) == "short");
}

TEST_CASE("an exact host beats the longest wildcard, which beats *", "[router]") {
  const auto table = tableOf({
      makeRoute("exact", {"a.shop.test"}, "/"),
      makeRoute("wild-shop", {"*.shop.test"}, "/"),
      makeRoute("wild-test", {"*.test"}, "/"),
      makeRoute("any", {}, "/"),
  });
  CHECK(winner(*table, {"a.shop.test", "/"}) == "exact");
  CHECK(winner(*table, {"b.shop.test", "/"}) == "wild-shop");
  CHECK(winner(*table, {"a.b.shop.test", "/"}) == "wild-shop");
  CHECK(winner(*table, {"shop.test", "/"}) == "wild-test");
  CHECK(winner(*table, {"example.com", "/"}) == "any");
  CHECK(winner(*table, {"", "/"}) == "any");
}

TEST_CASE("a wildcard does not match its own apex", "[router]") {
  const auto table = tableOf({makeRoute("wild", {"*.shop.test"}, "/")});
  CHECK(winner(*table, {"shop.test", "/"}).empty());
  CHECK(winner(*table, {".shop.test", "/"}).empty());
  CHECK(winner(*table, {"x.shop.test", "/"}) == "wild");
}

TEST_CASE("a host with its own routes is not caught by * when none matches", "[router]") {
  const auto table = tableOf({
      makeRoute("api", {"shop.test"}, "/api"),
      makeRoute("fallback", {"*"}, "/"),
  });
  CHECK(winner(*table, {"shop.test", "/api/x"}) == "api");
  CHECK(winner(*table, {"shop.test", "/other"}).empty());
  CHECK(winner(*table, {"other.test", "/other"}) == "fallback");
}

TEST_CASE("host case, port and a trailing dot are ignored", "[router]") {
  const auto table = tableOf({
      makeRoute("shop", {"Shop.Test"}, "/"),
      makeRoute("loopback", {"::1"}, "/"),
      makeRoute("wild", {"*.Example.COM"}, "/"),
  });
  CHECK(winner(*table, {"shop.test", "/"}) == "shop");
  CHECK(winner(*table, {"SHOP.TEST:8080", "/"}) == "shop");
  CHECK(winner(*table, {"shop.test.", "/"}) == "shop");
  CHECK(winner(*table, {"[::1]:80", "/"}) == "loopback");
  CHECK(winner(*table, {"[::1]", "/"}) == "loopback");
  CHECK(winner(*table, {"WWW.example.com:443", "/"}) == "wild");
}

TEST_CASE("stripPort removes a port and IPv6 brackets only", "[router]") {
  CHECK(stripPort("shop.test:8080") == "shop.test");
  CHECK(stripPort("shop.test") == "shop.test");
  CHECK(stripPort("[::1]:80") == "::1");
  CHECK(stripPort("[::1]") == "::1");
  CHECK(stripPort("::1") == "::1");
  CHECK(stripPort("127.0.0.1:9000") == "127.0.0.1");
  CHECK(stripPort("").empty());
}

TEST_CASE("a host longer than 255 bytes matches only *", "[router]") {
  const std::string long_host = std::string(300, 'a') + ".test";
  const auto table = tableOf({
      makeRoute("wild", {"*.test"}, "/"),
      makeRoute("any", {}, "/"),
  });
  CHECK(winner(*table, {long_host, "/"}) == "any");
}

TEST_CASE("methods are case-sensitive tokens and an empty list allows any", "[router]") {
  auto writes = makeRoute("writes", {"shop.test"}, "/api");
  writes.methods = {"POST", "PUT"};
  const auto table = tableOf({writes, makeRoute("reads", {"shop.test"}, "/")});
  CHECK(winner(*table, {"shop.test", "/api/x", "POST"}) == "writes");
  CHECK(winner(*table, {"shop.test", "/api/x", "PUT"}) == "writes");
  CHECK(winner(*table, {"shop.test", "/api/x", "GET"}) == "reads");
  CHECK(winner(*table, {"shop.test", "/api/x", "post"}) == "reads");
}

TEST_CASE("headers match by case-insensitive name and exact value", "[router]") {
  auto canary = makeRoute("canary", {"shop.test"}, "/");
  canary.headers = {HeaderMatch{"X-Canary", "on"}, HeaderMatch{"x-region", "eu"}};
  canary.priority = 1;
  const auto table = tableOf({canary, makeRoute("stable", {"shop.test"}, "/")});
  Request request{"shop.test", "/", "GET", {{"x-canary", "on"}, {"X-REGION", "eu"}}};
  CHECK(winner(*table, request) == "canary");
  request.headers[0].second = "ON";
  CHECK(winner(*table, request) == "stable");
  request.headers = {{"x-canary", "on"}};
  CHECK(winner(*table, request) == "stable");
  // A proxy that offers no header lookup can never satisfy a header match.
  CHECK(table->match(RequestView{"shop.test", "/", "GET"})->name == "stable");
}

TEST_CASE("a regex must match the whole path", "[router]") {
  const auto table = tableOf({makeRoute("ids", {"shop.test"}, "/items/[0-9]+", MatchType::kRegex)});
  CHECK(winner(*table, {"shop.test", "/items/42"}) == "ids");
  CHECK(winner(*table, {"shop.test", "/items/42/reviews"}).empty());
  CHECK(winner(*table, {"shop.test", "/v2/items/42"}).empty());
}

TEST_CASE("a regex that does not compile matches nothing", "[router]") {
  const auto table = tableOf({
      makeRoute("broken", {"shop.test"}, "/items/(", MatchType::kRegex),
      makeRoute("root", {"shop.test"}, "/"),
  });
  CHECK(winner(*table, {"shop.test", "/items/("}) == "root");
}

TEST_CASE("only the named gateway's routes are compiled", "[router]") {
  auto other = makeRoute("other", {"shop.test"}, "/", MatchType::kExact);
  other.gateway = "admin-ingress";
  Config config;
  config.routes = {other, makeRoute("shop", {"shop.test"}, "/")};
  const auto table = RouteTable::build(config, kGateway);
  CHECK(table->size() == 1);
  CHECK(winner(*table, {"shop.test", "/"}) == "shop");
  CHECK(table->match(Request{"shop.test", "/"}.view())->index == 1);
  CHECK(RouteTable::build(config, "")->size() == 2);
}

TEST_CASE("a route listing a host twice is one candidate", "[router]") {
  const auto table = tableOf({makeRoute("shop", {"shop.test", "SHOP.test"}, "/")});
  const Request request{"shop.test", "/x"};
  CHECK(table->explain(request.view()).candidates.size() == 1);
}
