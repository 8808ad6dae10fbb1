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
  c.proxy.access_log = false;
  Gateway g;
  g.name = "shop-ingress";
  g.address = "10.0.0.1";
  g.listeners = {{"web", Protocol::kHttp, 8080}, {"https", Protocol::kHttps, 8443}};
  g.replicas = {2, 5};
  g.service_type = "LoadBalancer";
  g.limits = {4096, 50, 2048, 64 * 1024};
  g.timeouts = {Millis(5000), Millis(30'000)};
  g.https_redirect = true;
  g.hsts = Hsts{std::chrono::seconds(63'072'000), true, true};
  g.tls = GatewayTls{GatewayTls::Mode::kAuto, Issuer::kLetsEncryptStaging,
                     AcmeOrder{"", "", "ops@shop.test", "tls-alpn-01", "ecdsa-p384", "", ""}};
  c.gateways.push_back(g);
  Service s;
  s.name = "frontend";
  s.endpoints = {{"127.0.0.1:9001", 1}, {"[::1]:9002", 3}};
  s.load_balancer = LbPolicy::kHash;
  s.hash_on = HashPolicy{HashPolicy::Source::kCookie, "session"};
  s.health_check = HealthCheck{"/healthz", Millis(2500), Millis(500), 1, 4};
  s.outlier_detection = OutlierDetection{3, 0, Millis(10'000), 30};
  s.connect_timeout = Millis(750);
  s.tls = UpstreamTls{"frontend.internal", "", false};
  c.services.push_back(s);
  s = {};
  s.name = "frontendv2";
  s.endpoints = {{"127.0.0.1:9003", 1}};
  s.health_check = HealthCheck{};
  s.outlier_detection = OutlierDetection{};
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
  r.retries = {2, {"connect-failure", "502", "503"}, Millis(400), true, 35};
  r.rewrite = Rewrite{"", "^/api/(.*)$", "/v2/$1"};
  r.request_headers = {{{"x-env", "prod"}, {"x-two", "2"}}, {{"x-set", "on"}}, {"cookie"}};
  r.response_headers = {{}, {{"cache-control", "no-store"}}, {"server", "x-powered-by"}};
  r.mirror = Mirror{"frontendv2", 10};
  r.priority = -3;
  c.routes.push_back(r);
  r = {};
  r.name = "moved";
  r.gateway = "shop-ingress";
  r.hosts = {"old.shop.test"};
  r.redirect = Redirect{"https", "example.com", 8443, "", "/new", 308, false};
  r.rewrite = Rewrite{"/v2", "", ""};
  c.routes.push_back(r);
  r = {};
  r.name = "gone";
  r.gateway = "shop-ingress";
  r.hosts = {"gone.shop.test"};
  r.redirect = Redirect{"https", "example.com", {}, "/a?b=c", "", 302, true};
  c.routes.push_back(r);
  r = {};
  r.name = "ping";
  r.gateway = "shop-ingress";
  r.hosts = {"ping.shop.test"};
  r.direct_response = DirectResponse{503, "down for maintenance\n", "text/html"};
  c.routes.push_back(r);
  AcmeOrder order{"https://ca.test/directory",
                  "/etc/gw/ca.pem",
                  "ops@shop.test",
                  "dns-01",
                  "rsa2048",
                  "shortlived",
                  "/usr/local/bin/dns-hook"};
  c.certificates.push_back(
      {"shop.test", {"shop.test", "*.shop.test"}, Issuer::kAcme, "shop-ingress", order});
  return c;
}

void checkSame(const Config& a, const Config& b) {
  CHECK(a.api_version == b.api_version);
  CHECK(a.revision == b.revision);
  CHECK(a.proxy.threads == b.proxy.threads);
  CHECK(a.proxy.access_log == b.proxy.access_log);
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
    CHECK(x.limits == y.limits);
    CHECK(x.timeouts == y.timeouts);
    CHECK(x.https_redirect == y.https_redirect);
    CHECK(x.hsts == y.hsts);
    CHECK(x.tls == y.tls);
  }
  REQUIRE(a.services.size() == b.services.size());
  for (std::size_t i = 0; i < a.services.size(); ++i) {
    const Service& x = a.services[i];
    const Service& y = b.services[i];
    CHECK(x.name == y.name);
    CHECK(x.endpoints == y.endpoints);
    CHECK(x.load_balancer == y.load_balancer);
    CHECK(x.hash_on == y.hash_on);
    CHECK(x.health_check == y.health_check);
    CHECK(x.outlier_detection == y.outlier_detection);
    CHECK(x.connect_timeout == y.connect_timeout);
    CHECK(x.tls == y.tls);
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
    CHECK(x.retries == y.retries);
    CHECK(x.redirect == y.redirect);
    CHECK(x.rewrite == y.rewrite);
    CHECK(x.request_headers == y.request_headers);
    CHECK(x.response_headers == y.response_headers);
    CHECK(x.direct_response == y.direct_response);
    CHECK(x.mirror == y.mirror);
    CHECK(x.priority == y.priority);
  }
  REQUIRE(a.certificates.size() == b.certificates.size());
  for (std::size_t i = 0; i < a.certificates.size(); ++i) {
    CHECK(a.certificates[i].name == b.certificates[i].name);
    CHECK(a.certificates[i].domains == b.certificates[i].domains);
    CHECK(a.certificates[i].issuer == b.certificates[i].issuer);
    CHECK(a.certificates[i].gateway == b.certificates[i].gateway);
    CHECK(a.certificates[i].acme == b.certificates[i].acme);
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
  s.endpoints = {{"127.0.0.1:9001", 1}};
  c.services.push_back(s);
  Route r;
  r.name = "shop";
  r.gateway = "shop-ingress";
  r.hosts = {"shop.test"};
  r.destinations = {{"frontend", 100}};
  c.routes.push_back(r);
  c.certificates.push_back({"shop.test", {"shop.test"}, Issuer::kLetsEncrypt, "", {}});
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
  CHECK(text.find(R"("on": [connect-failure, "502", "503"])") != std::string::npos);
  CHECK(text.find("redirect: \"https://example.com/a?b=c\"") != std::string::npos);
  CHECK(text.find("timeout: 1500ms") != std::string::npos);
  CHECK(text.find("healthCheck: {}") != std::string::npos);
}

TEST_CASE("long lists of scalars are written one item per line", "[encode]") {
  Config c;
  Service s;
  s.name = "many";
  for (int i = 0; i < 8; ++i) {
    s.endpoints.push_back({"backend-" + std::to_string(i) + ".internal:8080", 1});
  }
  c.services.push_back(s);
  const std::string text = encodeYaml(c);
  CHECK(text.find("    endpoints:\n      - backend-0.internal:8080\n      - backend-1") !=
        std::string::npos);
  auto decoded = decode(text, "x");
  REQUIRE(decoded.ok());
  CHECK(decoded->config.services[0].endpoints == s.endpoints);
}

TEST_CASE("the new fields are written short when they can be", "[encode]") {
  const std::string text = encodeYaml(everything());
  CHECK(text.find(R"(    endpoints:
      - 127.0.0.1:9001
      - address: "[::1]:9002"
        weight: 3
)") != std::string::npos);
  CHECK(text.find("    hashOn: cookie:session\n") != std::string::npos);
  CHECK(text.find(R"(    requestHeaders:
      add:
        x-env: prod
        x-two: "2"
      set:
        x-set: "on"
      remove: [cookie]
)") != std::string::npos);
  CHECK(text.find(R"(    redirect:
      scheme: https
      host: example.com
      port: 8443
      prefix: /new
      code: 308
      keepQuery: false
    rewrite: /v2
)") != std::string::npos);
  CHECK(text.find("    redirect: \"https://example.com/a?b=c\"\n") != std::string::npos);
  CHECK(text.find(R"(    directResponse:
      status: 503
      body: "down for maintenance\n"
      contentType: text/html
)") != std::string::npos);
  CHECK(text.find("    mirror:\n      service: frontendv2\n      percent: 10\n") !=
        std::string::npos);
  CHECK(text.find("    outlierDetection: {}\n") != std::string::npos);
  CHECK(text.find("proxy:\n  threads: 2\n  accessLog: false\n") != std::string::npos);
}
