#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "core/config/document.hpp"

using namespace gw::core;

namespace {

// Every diagnostic of a document that must not decode.
std::vector<std::string> errors(const std::string& text) {
  auto decoded = decode(text, "config.yaml");
  REQUIRE_FALSE(decoded.ok());
  CHECK(decoded.error().kind == ErrorKind::kValidation);
  return decoded.error().details;
}

using Lines = std::vector<std::string>;

}  // namespace

TEST_CASE("the sample document decodes into the model", "[decode]") {
  const std::string text = R"(apiVersion: gw/v1
revision: 7
proxy: {threads: 2}
gateways:
  - name: shop-ingress
    address: 0.0.0.0
    listeners: [{name: http, protocol: http, port: 8080}, {protocol: https, port: 8443}]
    replicas: {min: 1, max: 3}
    serviceType: LoadBalancer
services:
  - name: frontend
    endpoints: [127.0.0.1:9001, "[::1]:9002"]
    loadBalancer: least-request
    healthCheck: {path: /healthz, interval: 2s}
routes:
  - name: shop
    gateway: shop-ingress
    hosts: [shop.test]
    match: {path: /api, type: exact}
    methods: [GET, POST]
    headers: [{name: x-canary, value: "1"}]
    destinations: [{service: frontend, weight: 50}, {service: frontendv2}]
    timeout: 10s
    retries: {attempts: 2, on: [connect-failure, "502", 503]}
    redirect: https://example.com/
    rewrite: /v2
    priority: 10
certificates:
  - {name: shop.test, domains: [shop.test], issuer: internal, gateway: shop-ingress}
)";
  auto decoded = decode(text, "config.yaml");
  REQUIRE(decoded.ok());
  const Config& c = decoded->config;
  CHECK(c.api_version == "gw/v1");
  CHECK(c.revision == 7);
  CHECK(c.proxy.threads == 2);

  REQUIRE(c.gateways.size() == 1);
  const Gateway& g = c.gateways[0];
  CHECK(g.name == "shop-ingress");
  REQUIRE(g.listeners.size() == 2);
  CHECK(g.listeners[0].name == "http");
  CHECK(g.listeners[1].name == "https");  // defaults to the protocol
  CHECK(g.listeners[1].protocol == Protocol::kHttps);
  CHECK(g.listeners[1].port == 8443);
  CHECK(g.replicas.max == 3);
  CHECK(g.service_type == "LoadBalancer");

  REQUIRE(c.services.size() == 1);
  CHECK(c.services[0].endpoints == std::vector<Endpoint>{{"127.0.0.1:9001", 1}, {"[::1]:9002", 1}});
  CHECK(c.services[0].load_balancer == LbPolicy::kLeastRequest);
  REQUIRE(c.services[0].health_check);
  CHECK(c.services[0].health_check->path == "/healthz");
  CHECK(c.services[0].health_check->interval == Millis(2000));

  REQUIRE(c.routes.size() == 1);
  const Route& r = c.routes[0];
  CHECK(r.match.path == "/api");
  CHECK(r.match.type == MatchType::kExact);
  CHECK(r.methods == Lines{"GET", "POST"});
  REQUIRE(r.headers.size() == 1);
  CHECK(r.headers[0].value == "1");
  REQUIRE(r.destinations.size() == 2);
  CHECK(r.destinations[0].weight == 50);
  CHECK(r.destinations[1].weight == 100);  // the default
  CHECK(r.timeout == Millis(10'000));
  CHECK(r.retries.attempts == 2);
  CHECK(r.retries.on == Lines{"connect-failure", "502", "503"});
  CHECK(r.redirect == Redirect{"https", "example.com", {}, "/", "", 302, true});
  CHECK(r.rewrite == Rewrite{"/v2", "", ""});
  CHECK(r.priority == 10);

  REQUIRE(c.certificates.size() == 1);
  CHECK(c.certificates[0].issuer == Issuer::kInternal);
  CHECK(c.certificates[0].gateway == "shop-ingress");
}

TEST_CASE("decode records the line and column of every field", "[decode]") {
  const std::string text = R"(apiVersion: gw/v1
routes:
  - name: shop
    gateway: shop-ingress
    destinations:
      - service: frontend
        weight: 50
      - {service: frontendv2, weight: 50}
)";
  auto decoded = decode(text, "config.yaml");
  REQUIRE(decoded.ok());
  const auto& positions = decoded->source.positions;
  auto pos = [&](const std::string& path) {
    auto it = positions.find(path);
    REQUIRE(it != positions.end());
    return std::pair(it->second.line, it->second.col);
  };
  CHECK(decoded->source.file == "config.yaml");
  CHECK(pos("apiVersion") == std::pair(1, 1));
  CHECK(pos("routes") == std::pair(2, 1));
  CHECK(pos("routes[0]") == std::pair(3, 5));
  CHECK(pos("routes[0].gateway") == std::pair(4, 5));
  CHECK(pos("routes[0].destinations[0].weight") == std::pair(7, 9));
  CHECK(pos("routes[0].destinations[1]") == std::pair(8, 9));
  CHECK(pos("routes[0].destinations[1].weight") == std::pair(8, 31));
}

TEST_CASE("an unknown key is an error that suggests the closest known key", "[decode]") {
  CHECK(errors(R"(apiVersion: gw/v1
routes:
  - name: shop
    gateway: shop-ingress
    hots: [shop.test]
    load_balancer: random
    colour: blue
)") == Lines{
           R"(config.yaml:5:5: routes[0].hots: unknown field (did you mean "hosts"?))",
           R"(config.yaml:6:5: routes[0].load_balancer: unknown field)",
           R"(config.yaml:7:5: routes[0].colour: unknown field)",
       });
  CHECK(errors("apiVersion: gw/v1\ngatways: []\n") ==
        Lines{R"(config.yaml:2:1: gatways: unknown field (did you mean "gateways"?))"});
  CHECK(
      errors("apiVersion: gw/v1\nservices:\n  - name: a\n    endpoints: [a:1]\n"
             "    healthcheck: {}\n") ==
      Lines{
          R"(config.yaml:5:5: services[0].healthcheck: unknown field (did you mean "healthCheck"?))"});
}

TEST_CASE("a value of the wrong type names what was expected and what came", "[decode]") {
  CHECK(
      errors(R"(apiVersion: gw/v1
gateways:
  - name: shop-ingress
    listeners:
      - protocol: http
        port: abc
      - {protocol: ftp, port: 70000}
      - {protocol: http, port: "8080"}
services:
  - name: [frontend]
    endpoints: 127.0.0.1:9001
    loadBalancer: fastest
routes:
  - name: shop
    gateway: shop-ingress
    timeout: soon
    priority: high
    destinations: [{service: frontend, weight: half}]
)") ==
      Lines{
          R"(config.yaml:6:9: gateways[0].listeners[0].port: must be an integer 1..65535 (got "abc"))",
          R"(config.yaml:7:10: gateways[0].listeners[1].protocol: must be one of http, https (got "ftp"))",
          R"(config.yaml:7:25: gateways[0].listeners[1].port: must be an integer 1..65535 (got 70000))",
          R"(config.yaml:8:26: gateways[0].listeners[2].port: must be an integer 1..65535 (got "8080"))",
          R"(config.yaml:10:5: services[0].name: must be a string (got a list))",
          R"(config.yaml:11:5: services[0].endpoints: must be a list (got "127.0.0.1:9001"))",
          R"(config.yaml:12:5: services[0].loadBalancer: must be one of round-robin, least-request, random, hash (got "fastest"))",
          R"(config.yaml:16:5: routes[0].timeout: must be a duration such as 10s, 250ms, 2m or 1h (got "soon"))",
          R"(config.yaml:17:5: routes[0].priority: must be an integer (got "high"))",
          R"(config.yaml:18:40: routes[0].destinations[0].weight: must be an integer 0..100 (got "half"))",
      });
}

TEST_CASE("every missing required field is reported", "[decode]") {
  auto decoded = decode(R"(apiVersion: gw/v1
gateways:
  - listeners: [{protocol: http}]
services:
  - name: web
routes:
  - hosts: [a.test]
    destinations: [{weight: 100}]
)",
                        "config.yaml");
  REQUIRE_FALSE(decoded.ok());
  CHECK(decoded.error().message == "config.yaml: invalid document (6 errors)");
  CHECK(decoded.error().details ==
        Lines{
            "config.yaml:3:5: gateways[0].name: missing required field",
            "config.yaml:3:17: gateways[0].listeners[0].port: missing required field",
            "config.yaml:5:5: services[0].endpoints: missing required field",
            "config.yaml:7:5: routes[0].name: missing required field",
            "config.yaml:7:5: routes[0].gateway: missing required field",
            "config.yaml:8:20: routes[0].destinations[0].service: missing required field",
        });
}

TEST_CASE("apiVersion is required and must be gw/v1", "[decode]") {
  CHECK(errors("gateways: []\n") == Lines{"config.yaml:1:1: apiVersion: missing required field"});
  CHECK(errors("apiVersion: gw/v2\n") ==
        Lines{R"(config.yaml:1:1: apiVersion: must be "gw/v1" (got "gw/v2"))"});
  CHECK(errors("") ==
        Lines{"config.yaml:1:1: the document is empty (it needs at least apiVersion: gw/v1)"});
  CHECK(errors("- a\n- b\n") == Lines{"config.yaml:1:1: must be a mapping (got a list)"});
}

TEST_CASE("a YAML syntax error points at its line and column", "[decode]") {
  CHECK(errors("apiVersion: gw/v1\nroutes: [a, b\nservices: []\n") ==
        Lines{"config.yaml:3:9: invalid YAML: end of sequence flow not found"});
  CHECK(errors("apiVersion: gw/v1\nroutes: a: b\n") ==
        Lines{"config.yaml:2:10: invalid YAML: illegal map value"});
}

TEST_CASE("a repeated key is reported where it repeats", "[decode]") {
  CHECK(errors("apiVersion: gw/v1\nservices:\n  - name: a\n    endpoints: [a:1]\n"
               "    name: b\n") == Lines{"config.yaml:5:5: services[0].name: repeated field"});
}

TEST_CASE("decode leaves cross-references and ranges to validation", "[decode]") {
  auto decoded = decode(R"(apiVersion: gw/v1
routes:
  - name: shop
    gateway: nope
    destinations: [{service: nowhere, weight: 150}]
)",
                        "config.yaml");
  REQUIRE(decoded.ok());
  CHECK(decoded->config.routes[0].destinations[0].weight == 150);
}

TEST_CASE("JSON is a document too", "[decode]") {
  auto decoded =
      decode(R"({"apiVersion": "gw/v1", "services": [{"name": "a", "endpoints": ["a:1"]}]})",
             "config.json");
  REQUIRE(decoded.ok());
  CHECK(decoded->config.services.at(0).endpoints == std::vector<Endpoint>{{"a:1", 1}});
}
