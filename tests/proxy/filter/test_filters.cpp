// Today's route actions as filters, built from a route the way a snapshot builds them, and
// run against an Exchange without sockets.

#include <string>
#include <vector>

#include "core/config/model.hpp"
#include "proxy/filter/build.hpp"
#include "tests/proxy/exchange/exchange_fixture.hpp"

namespace gw::test {
namespace {

using proxy::Exchange;
using proxy::filter::FilterChain;
using proxy::filter::Status;
namespace http = boost::beast::http;

struct Built {
  core::Config config;
  proxy::filter::StateRegistry states;
  std::vector<std::string> problems;
  FilterChain chain;

  explicit Built(core::Route route) {
    config.routes.push_back(std::move(route));
    chain = proxy::filter::buildChain(config, nullptr, config.routes.back(), states, problems);
  }
};

core::Route prefixRoute(std::string prefix) {
  core::Route route;
  route.name = "shop";
  route.gateway = "edge";
  route.match.path = std::move(prefix);
  route.match.type = core::MatchType::kPrefix;
  return route;
}

}  // namespace

TEST_CASE("a route that only forwards has an empty chain", "[filter][build]") {
  core::Route route = prefixRoute("/");
  route.destinations = {{"frontend", 100}};
  Built built(route);
  CHECK(built.chain.empty());
  CHECK(built.problems.empty());
}

TEST_CASE("request header edits and a rewrite change the request, and the log keeps the old path",
          "[filter][build]") {
  core::Route route = prefixRoute("/api");
  route.rewrite = core::Rewrite{"/v2", "", ""};
  route.request_headers.set = {{"x-tenant", "blue"}};
  route.request_headers.remove = {"x-debug"};
  Built built(route);
  REQUIRE(built.chain.size() == 2);
  Exchange exchange;
  parseInto(exchange,
            "GET /api/items?page=2 HTTP/1.1\r\nHost: shop.test\r\nx-debug: 1\r\n"
            "x-tenant: red\r\n\r\n");
  TestHost host;
  REQUIRE(built.chain.runRequest(exchange, host) == Status::kContinue);
  CHECK(exchange.request().target() == "/v2/items?page=2");
  CHECK(exchange.original_path == "/api/items");
  CHECK(exchange.request()["x-tenant"] == "blue");
  CHECK(exchange.request().count("x-debug") == 0);
  CHECK_FALSE(built.chain.hasResponseHooks());
}

TEST_CASE("a redirect answers with the listener's scheme and the route's response edits",
          "[filter][build]") {
  core::Route route = prefixRoute("/old");
  core::Redirect redirect;
  redirect.prefix = "/new";
  redirect.code = 301;
  route.redirect = redirect;
  route.response_headers.add = {{"cache-control", "no-store"}};
  Built built(route);
  Exchange exchange;
  parseInto(exchange, "GET /old/page?q=1 HTTP/1.1\r\nHost: shop.test:8443\r\n\r\n");
  exchange.https = true;
  TestHost host;
  REQUIRE(built.chain.runRequest(exchange, host) == Status::kAnswer);
  built.chain.runResponse(exchange, exchange.local, false);
  CHECK(exchange.local.result_int() == 301);
  CHECK(exchange.local[http::field::location] == "https://shop.test:8443/new/page?q=1");
  CHECK(exchange.local[http::field::cache_control] == "no-store");
}

TEST_CASE("a direct response answers without an upstream", "[filter][build]") {
  core::Route route = prefixRoute("/");
  route.direct_response = core::DirectResponse{503, "down for maintenance\n", "text/plain"};
  Built built(route);
  Exchange exchange;
  parseInto(exchange, "GET / HTTP/1.1\r\nHost: shop.test\r\n\r\n");
  TestHost host;
  REQUIRE(built.chain.runRequest(exchange, host) == Status::kAnswer);
  CHECK(exchange.local.result_int() == 503);
  CHECK(exchange.local.body() == "down for maintenance\n");
  CHECK(exchange.local[http::field::content_type] == "text/plain");
}

TEST_CASE("response header edits apply to an upstream's answer", "[filter][build]") {
  core::Route route = prefixRoute("/");
  route.destinations = {{"frontend", 100}};
  route.response_headers.set = {{"server", "gw"}};
  route.response_headers.remove = {"x-powered-by"};
  Built built(route);
  Exchange exchange;
  parseInto(exchange, "GET / HTTP/1.1\r\nHost: shop.test\r\n\r\n");
  TestHost host;
  REQUIRE(built.chain.runRequest(exchange, host) == Status::kContinue);
  http::response_header<> head;
  head.set(http::field::server, "origin/1.0");
  head.set("x-powered-by", "php");
  built.chain.runResponse(exchange, head, true);
  CHECK(head[http::field::server] == "gw");
  CHECK(head.count("x-powered-by") == 0);
}

TEST_CASE("a rewrite whose regex does not compile is a build problem", "[filter][build]") {
  core::Route route = prefixRoute("/");
  route.rewrite = core::Rewrite{"", "([", "x"};
  Built built(route);
  CHECK(built.chain.empty());
  REQUIRE(built.problems.size() == 1);
  CHECK(built.problems[0].rfind("route shop: rewrite regex ([ does not compile", 0) == 0);
}

}  // namespace gw::test
