#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "core/config/document.hpp"

using namespace gw::core;

namespace {

using Lines = std::vector<std::string>;

std::vector<std::string> errors(const std::string& text) {
  auto decoded = decode(text, "config.yaml");
  REQUIRE_FALSE(decoded.ok());
  return decoded.error().details;
}

Config decoded(const std::string& text) {
  auto result = decode(text, "config.yaml");
  REQUIRE(result.ok());
  return result->config;
}

}  // namespace

TEST_CASE("services decode weights, hashing, health and outlier settings", "[decode]") {
  const Config c = decoded(R"(apiVersion: gw/v1
services:
  - name: api
    endpoints:
      - 10.0.0.1:8080
      - {address: 10.0.0.2:8080, weight: 3}
    loadBalancer: hash
    hashOn: header:x-user
    healthCheck: {path: /healthz, interval: 2s, timeout: 300ms, healthyThreshold: 1,
                  unhealthyThreshold: 5}
    outlierDetection: {consecutive5xx: 4, consecutiveConnectFailures: 0, ejectionTime: 1m,
                       maxEjectedPercent: 25}
    connectTimeout: 500ms
)");
  const Service& s = c.services.at(0);
  CHECK(s.endpoints == std::vector<Endpoint>{{"10.0.0.1:8080", 1}, {"10.0.0.2:8080", 3}});
  CHECK(s.load_balancer == LbPolicy::kHash);
  CHECK(s.hash_on == HashPolicy{HashPolicy::Source::kHeader, "x-user"});
  CHECK(s.health_check == HealthCheck{"/healthz", Millis(2000), Millis(300), 1, 5});
  CHECK(s.outlier_detection == OutlierDetection{4, 0, Millis(60'000), 25});
  CHECK(s.connect_timeout == Millis(500));
}

TEST_CASE("hashOn names the client IP, a header or a cookie", "[decode]") {
  auto hash_on = [](const std::string& value) {
    return decoded(
               "apiVersion: gw/v1\nservices:\n  - name: a\n    endpoints: [a:1]\n"
               "    hashOn: " +
               value + "\n")
        .services.at(0)
        .hash_on;
  };
  CHECK(hash_on("client-ip") == HashPolicy{HashPolicy::Source::kClientIp, ""});
  CHECK(hash_on("cookie:session") == HashPolicy{HashPolicy::Source::kCookie, "session"});
  CHECK(errors("apiVersion: gw/v1\nservices:\n  - name: a\n    endpoints: [a:1]\n"
               "    hashOn: \"header:\"\n") ==
        Lines{"config.yaml:5:5: services[0].hashOn: must be one of client-ip, header:NAME, "
              R"(cookie:NAME (got "header:"))"});
}

TEST_CASE("routes decode retries, rewrites, header changes and mirrors", "[decode]") {
  const Config c = decoded(R"(apiVersion: gw/v1
routes:
  - name: api
    gateway: edge
    destinations: [{service: api}]
    retries: {attempts: 3, on: [5xx, reset], perTryTimeout: 2s, nonIdempotent: true,
              budgetPercent: 50}
    rewrite: {regex: "^/v1/(.*)$", substitution: /v2/$1}
    requestHeaders:
      add: {x-env: prod, x-team: "7"}
      set: {x-forwarded-proto: https}
      remove: [cookie]
    responseHeaders: {remove: [server]}
    mirror: {service: shadow, percent: 5}
  - name: old
    gateway: edge
    destinations: [{service: api}]
    rewrite: {prefix: /v2}
)");
  const Route& r = c.routes.at(0);
  CHECK(r.retries == RetryPolicy{3, {"5xx", "reset"}, Millis(2000), true, 50});
  CHECK(r.rewrite == Rewrite{"", "^/v1/(.*)$", "/v2/$1"});
  CHECK(r.request_headers == HeaderOps{{{"x-env", "prod"}, {"x-team", "7"}},
                                       {{"x-forwarded-proto", "https"}},
                                       {"cookie"}});
  CHECK(r.response_headers == HeaderOps{{}, {}, {"server"}});
  CHECK(r.mirror == Mirror{"shadow", 5});
  CHECK(c.routes.at(1).rewrite == Rewrite{"/v2", "", ""});
}

TEST_CASE("a redirect is a URL or the parts of the Location to replace", "[decode]") {
  const Config c = decoded(R"(apiVersion: gw/v1
routes:
  - name: moved
    gateway: edge
    redirect: https://example.com:8443/new?from=old
  - name: to-https
    gateway: edge
    redirect: {scheme: https, port: 443, code: 301}
  - name: docs
    gateway: edge
    redirect: {host: docs.example.com, prefix: /guide, code: 308, keepQuery: false}
)");
  CHECK(c.routes.at(0).redirect ==
        Redirect{"https", "example.com", 8443, "/new?from=old", "", 302, true});
  CHECK(c.routes.at(1).redirect == Redirect{"https", "", 443, "", "", 301, true});
  CHECK(c.routes.at(2).redirect == Redirect{"", "docs.example.com", {}, "", "/guide", 308, false});
}

TEST_CASE("a direct response and the gateway's limits and timeouts decode", "[decode]") {
  const Config c = decoded(R"(apiVersion: gw/v1
proxy: {threads: 1, accessLog: false}
gateways:
  - name: edge
    limits: {maxHeaderBytes: 8192, maxHeaders: 50, maxUriBytes: 2048, maxBodyBytes: 1048576}
    timeouts: {headerRead: 5s, idle: 2m}
routes:
  - name: ping
    gateway: edge
    directResponse: {status: 200, body: pong, contentType: application/json}
  - name: teapot
    gateway: edge
    directResponse: {status: 418}
)");
  CHECK_FALSE(c.proxy.access_log);
  CHECK(c.gateways.at(0).limits == Limits{8192, 50, 2048, 1048576});
  CHECK(c.gateways.at(0).timeouts == GatewayTimeouts{Millis(5000), Millis(120'000)});
  CHECK(c.routes.at(0).direct_response == DirectResponse{200, "pong", "application/json"});
  CHECK(c.routes.at(1).direct_response == DirectResponse{418, "", "text/plain"});
}

TEST_CASE("the new sections check their keys and types where they are written", "[decode]") {
  CHECK(
      errors(R"(apiVersion: gw/v1
proxy: {accessLog: sometimes}
gateways:
  - name: edge
    limits: {maxBodyBytes: -1, maxHeader: 10}
    timeouts: {idle: forever}
services:
  - name: api
    endpoints: [{address: 10.0.0.1:80, weight: heavy}, [a]]
    healthCheck: {healthyThreshold: two}
    outlierDetection: {consecutive5xx: 3, ejectTime: 10s}
routes:
  - name: api
    gateway: edge
    retries: {nonIdempotent: yes}
    redirect: example.com/new
    rewrite: [/v2]
    requestHeaders: {add: [x-a], delete: [x-b]}
    directResponse: {body: hi}
    mirror: {percent: 10}
)") ==
      Lines{
          R"(config.yaml:2:9: proxy.accessLog: must be true or false (got "sometimes"))",
          R"(config.yaml:5:14: gateways[0].limits.maxBodyBytes: must be a non-negative integer (got -1))",
          R"(config.yaml:5:32: gateways[0].limits.maxHeader: unknown field (did you mean "maxHeaders"?))",
          R"(config.yaml:6:16: gateways[0].timeouts.idle: must be a duration such as 10s, 250ms, 2m or 1h (got "forever"))",
          R"(config.yaml:9:40: services[0].endpoints[0].weight: must be an integer 1..100 (got "heavy"))",
          R"(config.yaml:9:56: services[0].endpoints[1]: must be HOST:PORT or a mapping with address and weight (got a list))",
          R"(config.yaml:10:19: services[0].healthCheck.healthyThreshold: must be an integer (got "two"))",
          R"(config.yaml:11:43: services[0].outlierDetection.ejectTime: unknown field (did you mean "ejectionTime"?))",
          R"(config.yaml:15:15: routes[0].retries.nonIdempotent: must be true or false (got "yes"))",
          R"(config.yaml:16:5: routes[0].redirect: must be an http:// or https:// URL (got "example.com/new"))",
          R"(config.yaml:17:5: routes[0].rewrite: must be a path prefix or a mapping (got a list))",
          R"(config.yaml:18:22: routes[0].requestHeaders.add: must be a mapping of header names to values (got a list))",
          R"(config.yaml:18:34: routes[0].requestHeaders.delete: unknown field)",
          R"(config.yaml:19:5: routes[0].directResponse.status: missing required field)",
          R"(config.yaml:20:5: routes[0].mirror.service: missing required field)",
      });
}

TEST_CASE("a gateway's write timeout decodes and encodes back", "[decode]") {
  const Config c = decoded(R"(apiVersion: gw/v1
gateways:
  - name: edge
    timeouts: {write: 15s}
)");
  CHECK(c.gateways.at(0).timeouts.write == Millis(15'000));
  CHECK(c.gateways.at(0).timeouts.idle == GatewayTimeouts{}.idle);
  CHECK(encodeYaml(c).find("    timeouts:\n      write: 15s\n") != std::string::npos);
  CHECK(encodeYaml(decoded("apiVersion: gw/v1\ngateways:\n  - name: edge\n")).find("write") ==
        std::string::npos);  // the default is not written
}
