#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>

#include "core/config/document.hpp"
#include "core/config/validate.hpp"

using namespace gw::core;

namespace {

// Every field set away from its default, so a field the encoder forgets cannot go unnoticed.
Config everything() {
  Config c;
  c.revision = 7;
  c.proxy.threads = 2;
  Gateway g;
  g.name = "shop-ingress";
  g.address = "10.0.0.1";
  g.listeners = {{"web", Protocol::kHttp, 8080}, {"https", Protocol::kHttps, 8443}};
  g.replicas = {2, 5};
  g.service_type = "LoadBalancer";
  c.gateways.push_back(g);
  Service s;
  s.name = "frontend";
  s.endpoints = {"127.0.0.1:9001", "[::1]:9002"};
  s.load_balancer = LbPolicy::kHash;
  s.health_check = HealthCheck{"/healthz", Millis(2500)};
  c.services.push_back(s);
  s = {};
  s.name = "frontendv2";
  s.endpoints = {"127.0.0.1:9003"};
  s.health_check = HealthCheck{};
  c.services.push_back(s);
  Route r;
  r.name = "shop";
  r.gateway = "shop-ingress";
  r.hosts = {"shop.test", "*.shop.test", "*"};
  r.match = {"^/api/.*", MatchType::kRegex};
  r.methods = {"GET", "POST"};
  r.headers = {{"x-canary", "1"}, {"x-flag", "yes"}, {"x-empty", ""}, {"x-quote", "a \"b\" #c"}};
  r.destinations = {{"frontend", 40}, {"frontendv2", 60}};
  r.timeout = Millis(1500);
  r.retries = {2, {"connect-failure", "502", "503"}};
  r.redirect = "https://example.com/a?b=c";
  r.rewrite = "/v2";
  r.priority = -3;
  c.routes.push_back(r);
  c.certificates.push_back(
      {"shop.test", {"shop.test", "*.shop.test"}, Issuer::kAcme, "shop-ingress"});
  return c;
}

void checkSame(const Config& a, const Config& b) {
  CHECK(a.api_version == b.api_version);
  CHECK(a.revision == b.revision);
  CHECK(a.proxy.threads == b.proxy.threads);
  REQUIRE(a.gateways.size() == b.gateways.size());
  for (std::size_t i = 0; i < a.gateways.size(); ++i) {
    const Gateway& x = a.gateways[i];
    const Gateway& y = b.gateways[i];
    CHECK(x.name == y.name);
    CHECK(x.address == y.address);
    REQUIRE(x.listeners.size() == y.listeners.size());
    for (std::size_t l = 0; l < x.listeners.size(); ++l) {
      CHECK(x.listeners[l].name == y.listeners[l].name);
      CHECK(x.listeners[l].protocol == y.listeners[l].protocol);
      CHECK(x.listeners[l].port == y.listeners[l].port);
    }
    CHECK(x.replicas.min == y.replicas.min);
    CHECK(x.replicas.max == y.replicas.max);
    CHECK(x.service_type == y.service_type);
  }
  REQUIRE(a.services.size() == b.services.size());
  for (std::size_t i = 0; i < a.services.size(); ++i) {
    const Service& x = a.services[i];
    const Service& y = b.services[i];
    CHECK(x.name == y.name);
    CHECK(x.endpoints == y.endpoints);
    CHECK(x.load_balancer == y.load_balancer);
    REQUIRE(x.health_check.has_value() == y.health_check.has_value());
    if (x.health_check) {
      CHECK(x.health_check->path == y.health_check->path);
      CHECK(x.health_check->interval == y.health_check->interval);
    }
  }
  REQUIRE(a.routes.size() == b.routes.size());
  for (std::size_t i = 0; i < a.routes.size(); ++i) {
    const Route& x = a.routes[i];
    const Route& y = b.routes[i];
    CHECK(x.name == y.name);
    CHECK(x.gateway == y.gateway);
    CHECK(x.hosts == y.hosts);
    CHECK(x.match.path == y.match.path);
    CHECK(x.match.type == y.match.type);
    CHECK(x.methods == y.methods);
    REQUIRE(x.headers.size() == y.headers.size());
    for (std::size_t h = 0; h < x.headers.size(); ++h) {
      CHECK(x.headers[h].name == y.headers[h].name);
      CHECK(x.headers[h].value == y.headers[h].value);
    }
    REQUIRE(x.destinations.size() == y.destinations.size());
    for (std::size_t d = 0; d < x.destinations.size(); ++d) {
      CHECK(x.destinations[d].service == y.destinations[d].service);
      CHECK(x.destinations[d].weight == y.destinations[d].weight);
    }
    CHECK(x.timeout == y.timeout);
    CHECK(x.retries.attempts == y.retries.attempts);
    CHECK(x.retries.on == y.retries.on);
    CHECK(x.redirect == y.redirect);
    CHECK(x.rewrite == y.rewrite);
    CHECK(x.priority == y.priority);
  }
  REQUIRE(a.certificates.size() == b.certificates.size());
  for (std::size_t i = 0; i < a.certificates.size(); ++i) {
    CHECK(a.certificates[i].name == b.certificates[i].name);
    CHECK(a.certificates[i].domains == b.certificates[i].domains);
    CHECK(a.certificates[i].issuer == b.certificates[i].issuer);
    CHECK(a.certificates[i].gateway == b.certificates[i].gateway);
  }
}

}  // namespace

TEST_CASE("decoding the YAML encoding gives back every field", "[encode]") {
  const Config c = everything();
  CHECK(validate(c).empty());
  const std::string text = encodeYaml(c);
  auto decoded = decode(text, "config.yaml");
  REQUIRE(decoded.ok());
  checkSame(decoded->config, c);
  CHECK(encodeYaml(decoded->config) == text);
}

TEST_CASE("decoding the JSON encoding gives back every field", "[encode]") {
  const Config c = everything();
  const std::string json = encodeJson(c);
  CHECK(nlohmann::json::parse(json)["routes"][0]["destinations"][1]["weight"] == 60);
  auto decoded = decode(json, "config.json");
  REQUIRE(decoded.ok());
  checkSame(decoded->config, c);
}

TEST_CASE("the encoding is canonical: fixed key order, defaults left out", "[encode]") {
  Config c;
  Gateway g;
  g.name = "shop-ingress";
  g.listeners = {{"http", Protocol::kHttp, 8080}};
  c.gateways.push_back(g);
  Service s;
  s.name = "frontend";
  s.endpoints = {"127.0.0.1:9001"};
  c.services.push_back(s);
  Route r;
  r.name = "shop";
  r.gateway = "shop-ingress";
  r.hosts = {"shop.test"};
  r.destinations = {{"frontend", 100}};
  c.routes.push_back(r);
  c.certificates.push_back({"shop.test", {"shop.test"}, Issuer::kLetsEncrypt, ""});
  CHECK(encodeYaml(c) == R"(apiVersion: gw/v1
gateways:
  - name: shop-ingress
    listeners:
      - protocol: http
        port: 8080
services:
  - name: frontend
    endpoints: [127.0.0.1:9001]
routes:
  - name: shop
    gateway: shop-ingress
    hosts: [shop.test]
    destinations:
      - service: frontend
certificates:
  - name: shop.test
    domains: [shop.test]
)");
  CHECK(encodeYaml(Config{}) == "apiVersion: gw/v1\n");
  CHECK(encodeJson(Config{}) == "{\n  \"apiVersion\": \"gw/v1\"\n}\n");
}

TEST_CASE("strings a YAML reader would take for numbers, booleans or aliases are quoted",
          "[encode]") {
  const std::string text = encodeYaml(everything());
  CHECK(text.find(R"(hosts: [shop.test, "*.shop.test", "*"])") != std::string::npos);
  CHECK(text.find(R"(value: "1")") != std::string::npos);
  CHECK(text.find(R"(value: "yes")") != std::string::npos);
  CHECK(text.find(R"(value: "")") != std::string::npos);
  CHECK(text.find(R"(value: "a \"b\" #c")") != std::string::npos);
  CHECK(text.find(R"(on: [connect-failure, "502", "503"])") != std::string::npos);
  CHECK(text.find("redirect: \"https://example.com/a?b=c\"") != std::string::npos);
  CHECK(text.find("timeout: 1500ms") != std::string::npos);
  CHECK(text.find("healthCheck: {}") != std::string::npos);
}

TEST_CASE("long lists of scalars are written one item per line", "[encode]") {
  Config c;
  Service s;
  s.name = "many";
  for (int i = 0; i < 8; ++i) {
    s.endpoints.push_back("backend-" + std::to_string(i) + ".internal:8080");
  }
  c.services.push_back(s);
  const std::string text = encodeYaml(c);
  CHECK(text.find("    endpoints:\n      - backend-0.internal:8080\n      - backend-1") !=
        std::string::npos);
  auto decoded = decode(text, "x");
  REQUIRE(decoded.ok());
  CHECK(decoded->config.services[0].endpoints == s.endpoints);
}
