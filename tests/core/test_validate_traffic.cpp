#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "core/config/validate.hpp"
#include "tests/core/sample_config.hpp"

using namespace gw::core;
using namespace gw::core::testing;

TEST_CASE("endpoint weights are 1..100", "[validate]") {
  CHECK(problemsAfter([](Config& c) {
          c.services[1].endpoints[0].weight = 0;
          c.services[1].endpoints[1].weight = 100;
          c.services[1].endpoints[2].weight = 101;
        }) == Lines{"services[1].endpoints[0].weight: must be 1..100 (got 0)",
                    "services[1].endpoints[2].weight: must be 1..100 (got 101)"});
}

TEST_CASE("hashOn goes with loadBalancer hash and only with it", "[validate]") {
  CHECK(problemsAfter([](Config& c) { c.services[0].load_balancer = LbPolicy::kHash; }) ==
        Lines{"services[0].hashOn: required with loadBalancer: hash (client-ip, header:NAME or "
              "cookie:NAME)"});
  CHECK(problemsAfter([](Config& c) { c.services[0].hash_on = HashPolicy{}; }) ==
        Lines{"services[0].hashOn: only applies to loadBalancer: hash (got round-robin)"});
  CHECK(problemsAfter([](Config& c) {
          c.services[0].load_balancer = LbPolicy::kHash;
          c.services[0].hash_on = HashPolicy{HashPolicy::Source::kCookie, "my session"};
        }) == Lines{R"(services[0].hashOn: must name an HTTP token (got "cookie:my session"))"});
  CHECK(problemsAfter([](Config& c) {
          c.services[0].load_balancer = LbPolicy::kHash;
          c.services[0].hash_on = HashPolicy{HashPolicy::Source::kHeader, "x-user"};
        }).empty());
}

TEST_CASE("health checks and outlier detection need positive times and sane counts", "[validate]") {
  CHECK(problemsAfter([](Config& c) {
          c.services[0].health_check = HealthCheck{"/healthz", Millis(1000), Millis(0), 0, -1};
          c.services[0].outlier_detection = OutlierDetection{-1, 0, Millis(0), 101};
          c.services[0].connect_timeout = Millis(0);
        }) == Lines{"services[0].healthCheck.timeout: must be positive (got 0s)",
                    "services[0].healthCheck.healthyThreshold: must be at least 1 (got 0)",
                    "services[0].healthCheck.unhealthyThreshold: must be at least 1 (got -1)",
                    "services[0].outlierDetection.consecutive5xx: must be at least 0 (got -1)",
                    "services[0].outlierDetection.ejectionTime: must be positive (got 0s)",
                    "services[0].outlierDetection.maxEjectedPercent: must be 0..100 (got 101)",
                    "services[0].connectTimeout: must be positive (got 0s)"});
}

TEST_CASE("gateway limits and timeouts are positive", "[validate]") {
  CHECK(problemsAfter([](Config& c) {
          c.gateways[0].limits = {0, 0, 0, 0};
          c.gateways[0].timeouts = {Millis(0), Millis(-1)};
        }) == Lines{"gateways[0].limits.maxHeaderBytes: must be positive (got 0)",
                    "gateways[0].limits.maxHeaders: must be positive (got 0)",
                    "gateways[0].limits.maxUriBytes: must be positive (got 0)",
                    "gateways[0].limits.maxBodyBytes: must be positive (got 0)",
                    "gateways[0].timeouts.headerRead: must be positive (got 0s)",
                    "gateways[0].timeouts.idle: must be positive (got -1ms)"});
}

TEST_CASE("a route forwards, redirects or answers, exactly one of them", "[validate]") {
  const Redirect to_https{"https", "", {}, "", "", 301, true};
  CHECK(problemsAfter([&](Config& c) { c.routes[0].redirect = to_https; }) ==
        Lines{"routes[0]: has both redirect and destinations"});
  CHECK(problemsAfter([](Config& c) { c.routes[0].direct_response = DirectResponse{}; }) ==
        Lines{"routes[0]: has both directResponse and destinations"});
  CHECK(problemsAfter([&](Config& c) {
          c.routes[0].destinations.clear();
          c.routes[0].redirect = to_https;
          c.routes[0].direct_response = DirectResponse{};
        }) == Lines{"routes[0]: has both redirect and directResponse"});
  CHECK(problemsAfter([](Config& c) {
          c.routes[0].destinations.clear();
          c.routes[0].direct_response = DirectResponse{204, "", "text/plain"};
        }).empty());
}

TEST_CASE("redirects use a known code and scheme and well-formed parts", "[validate]") {
  auto redirecting = [](Redirect r) {
    return problemsAfter([&](Config& c) {
      c.routes[0].destinations.clear();
      c.routes[0].redirect = r;
    });
  };
  CHECK(
      redirecting({"ftp", "bad host", 0, "docs", "", 200, true}) ==
      Lines{
          R"(routes[0].redirect.scheme: must be http or https (got "ftp"))",
          R"(routes[0].redirect.host: must be a host name, an IPv4 address or [IPv6] (got "bad host"))",
          "routes[0].redirect.port: must be 1..65535 (got 0)",
          R"(routes[0].redirect.path: must start with '/' (got "docs"))",
          "routes[0].redirect.code: must be 301, 302, 303, 307 or 308 (got 200)"});
  CHECK(redirecting({"", "", {}, "/a", "/b", 307, true}) ==
        Lines{"routes[0].redirect: has both path and prefix"});
  CHECK(problemsAfter([](Config& c) {
          c.routes[1].destinations.clear();
          c.routes[1].redirect = Redirect{"", "", {}, "", "/b", 308, true};
        }) == Lines{"routes[1].redirect.prefix: needs a prefix match (match.type is exact)"});
  CHECK(redirecting({"", "", {}, "", "", 302, true}) ==
        Lines{"routes[0].redirect: sends the request back to itself (set scheme, host, port, "
              "path or prefix)"});
  CHECK(redirecting({"https", "[::1]", 8443, "", "/new", 303, false}).empty());
}

TEST_CASE("rewrites are a prefix or a compiling regex with a substitution", "[validate]") {
  auto rewriting = [](Rewrite r) {
    return problemsAfter([&](Config& c) { c.routes[0].rewrite = r; });
  };
  CHECK(rewriting({"", "", ""}) == Lines{R"(routes[0].rewrite: must start with '/' (got ""))"});
  CHECK(rewriting({"/v2", "", "/x"}) == Lines{"routes[0].rewrite.substitution: needs a regex"});
  CHECK(rewriting({"/v2", "^/(a", "v2"}) ==
        Lines{"routes[0].rewrite: has both prefix and regex",
              "routes[0].rewrite.regex: invalid regex: Mismatched '(' and ')' in regular "
              "expression",
              R"(routes[0].rewrite.substitution: must start with '/' (got "v2"))"});
  // A regex rewrite applies to the whole path, whatever the route's match type.
  CHECK(rewriting({"", "^/api/(.*)$", "/v2/$1"}).empty());
}

TEST_CASE("header changes name HTTP tokens and values stay on one line", "[validate]") {
  CHECK(problemsAfter([](Config& c) {
          c.routes[0].request_headers.add = {{"x ok", "1"}, {"x-fine", "a\r\nx-evil: 1"}};
          c.routes[0].response_headers.set = {{"", "1"}};
          c.routes[0].response_headers.remove = {"server", "x:y"};
        }) ==
        Lines{R"(routes[0].requestHeaders.add: "x ok" is not an HTTP header name)",
              "routes[0].requestHeaders.add.x-fine: must not contain line breaks",
              R"(routes[0].responseHeaders.set: "" is not an HTTP header name)",
              R"(routes[0].responseHeaders.remove[1]: must be an HTTP header name (got "x:y"))"});
}

TEST_CASE("direct responses, mirrors and retry settings are checked", "[validate]") {
  CHECK(problemsAfter([](Config& c) {
          c.routes[0].destinations.clear();
          c.routes[0].direct_response = DirectResponse{199, "hi", ""};
          c.routes[1].mirror = Mirror{"shadow", 101};
          c.routes[1].retries.per_try_timeout = Millis(0);
          c.routes[1].retries.budget_percent = -5;
        }) == Lines{"routes[0].directResponse.status: must be 200..599 (got 199)",
                    R"(routes[0].directResponse.contentType: must be a media type (got ""))",
                    "routes[1].retries.perTryTimeout: must be positive (got 0s)",
                    "routes[1].retries.budgetPercent: must be 0..100 (got -5)",
                    R"(routes[1].mirror.service: no service named "shadow")",
                    "routes[1].mirror.percent: must be 0..100 (got 101)"});
  CHECK(problemsAfter([](Config& c) { c.routes[1].mirror = Mirror{"frontend", 0}; }).empty());
}

TEST_CASE("errors in the new sections point at their line", "[validate]") {
  const std::string text = R"(apiVersion: gw/v1
gateways:
  - name: edge
    listeners: [{protocol: http, port: 8080}]
services:
  - name: api
    endpoints: [{address: 127.0.0.1:9001, weight: 0}]
routes:
  - name: api
    gateway: edge
    destinations: [{service: api}]
    mirror: {service: x}
    redirect: {scheme: https, code: 200}
)";
  auto loaded = loadDocument(text, "config.yaml");
  REQUIRE_FALSE(loaded.ok());
  CHECK(loaded.error().details ==
        Lines{"config.yaml:7:43: services[0].endpoints[0].weight: must be 1..100 (got 0)",
              "config.yaml:9:5: routes[0]: has both redirect and destinations",
              "config.yaml:13:31: routes[0].redirect.code: must be 301, 302, 303, 307 or 308 "
              "(got 200)",
              R"(config.yaml:12:14: routes[0].mirror.service: no service named "x")"});
}

TEST_CASE("a gateway's write timeout is positive", "[validate]") {
  CHECK(problemsAfter([](Config& c) { c.gateways[0].timeouts.write = Millis(0); }) ==
        Lines{"gateways[0].timeouts.write: must be positive (got 0s)"});
}
