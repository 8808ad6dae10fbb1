#include <catch2/catch.hpp>
#include <functional>
#include <string>
#include <vector>

#include "core/config/validate.hpp"
#include "tests/core/sample_config.hpp"

using namespace gw::core;
using namespace gw::core::testing;

TEST_CASE("the sample document is valid", "[validate]") { CHECK(problems(sample()).empty()); }

TEST_CASE("names must be non-empty, lower-case and unique per kind", "[validate]") {
  CHECK(problemsAfter([](Config& c) { c.services.push_back(c.services[0]); }) ==
        Lines{R"(services[2].name: duplicate service name "frontend")"});
  CHECK(problemsAfter([](Config& c) { c.gateways[0].name = ""; }) ==
        Lines{"gateways[0].name: must not be empty",
              R"(routes[0].gateway: no gateway named "shop-ingress")",
              R"(routes[1].gateway: no gateway named "shop-ingress")"});
  CHECK(problemsAfter([](Config& c) { c.routes[1].name = "Home_Page"; }) ==
        Lines{"routes[1].name: must be lower-case letters, digits, '.' and '-', starting with a "
              R"(letter or digit (got "Home_Page"))"});
  CHECK(problemsAfter([](Config& c) { c.routes[1].name = "shop"; }) ==
        Lines{R"(routes[1].name: duplicate route name "shop")"});
  CHECK(problemsAfter([](Config& c) { c.certificates.push_back(c.certificates[0]); }) ==
        Lines{R"(certificates[1].name: duplicate certificate name "shop.test")"});
  CHECK(problemsAfter([](Config& c) { c.gateways[0].listeners[1].name = "http"; }) ==
        Lines{R"(gateways[0].listeners[1].name: duplicate listener name "http")"});
}

TEST_CASE("a port is used by one listener per overlapping address", "[validate]") {
  CHECK(problemsAfter([](Config& c) {
          Gateway g;
          g.name = "admin";
          g.address = "127.0.0.1";
          g.listeners = {{"http", Protocol::kHttp, 8080}};
          c.gateways.push_back(g);
        }) == Lines{"gateways[1].listeners[0].port: 8080 is already used by "
                    "gateways[0].listeners[0] (shop-ingress/http)"});
  CHECK(problemsAfter([](Config& c) { c.gateways[0].listeners[1].port = 8080; }) ==
        Lines{"gateways[0].listeners[1].port: 8080 is already used by gateways[0].listeners[0] "
              "(shop-ingress/http)"});
  // Two specific addresses do not share a port.
  CHECK(problemsAfter([](Config& c) {
          c.gateways[0].address = "127.0.0.1";
          Gateway g;
          g.name = "other";
          g.address = "127.0.0.2";
          g.listeners = {{"http", Protocol::kHttp, 8080}};
          c.gateways.push_back(g);
        }).empty());
  CHECK(problemsAfter([](Config& c) { c.gateways[0].listeners[0].port = 0; }) ==
        Lines{"gateways[0].listeners[0].port: must be 1..65535 (got 0)"});
}

TEST_CASE("gateway address, replicas and service type are checked", "[validate]") {
  CHECK(
      problemsAfter([](Config& c) {
        c.gateways[0].address = "everywhere";
        c.gateways[0].replicas = {0, 0};
        c.gateways[0].service_type = "Ingress";
      }) ==
      Lines{
          R"(gateways[0].address: must be an IPv4 or IPv6 address (got "everywhere"))",
          "gateways[0].replicas.min: must be at least 1 (got 0)",
          R"(gateways[0].serviceType: must be one of ClusterIP, NodePort, LoadBalancer (got "Ingress"))"});
  CHECK(problemsAfter([](Config& c) {
          c.gateways[0].replicas = {3, 2};
        }) == Lines{"gateways[0].replicas.max: must be at least min (3) (got 2)"});
  CHECK(problemsAfter([](Config& c) { c.gateways[0].address = "::"; }).empty());
}

TEST_CASE("a service needs endpoints of the form HOST:PORT", "[validate]") {
  CHECK(problemsAfter([](Config& c) {
          c.services[0].endpoints =
              endpointsAt({"127.0.0.1:9001", "x", "127.0.0.1:0", "bad host:80", "127.0.0.1:9001"});
        }) == Lines{R"(services[0].endpoints[1]: must be HOST:PORT (got "x"))",
                    R"(services[0].endpoints[2]: must be HOST:PORT (got "127.0.0.1:0"))",
                    R"(services[0].endpoints[3]: must be HOST:PORT (got "bad host:80"))",
                    R"(services[0].endpoints[4]: duplicate endpoint "127.0.0.1:9001")"});
  CHECK(problemsAfter([](Config& c) { c.services[0].endpoints.clear(); }) ==
        Lines{"services[0].endpoints: at least one endpoint is required"});
  CHECK(problemsAfter([](Config& c) {
          c.services[0].health_check = HealthCheck{"healthz", Millis(0), Millis(1000), 2, 3};
        }) == Lines{R"(services[0].healthCheck.path: must start with '/' (got "healthz"))",
                    "services[0].healthCheck.interval: must be positive (got 0s)"});
}

TEST_CASE("a route refers to a gateway and services that exist", "[validate]") {
  CHECK(problemsAfter([](Config& c) { c.routes[0].gateway = "nope"; }) ==
        Lines{R"(routes[0].gateway: no gateway named "nope")"});
  CHECK(problemsAfter([](Config& c) { c.routes[0].destinations[1].service = "frontendv3"; }) ==
        Lines{R"(routes[0].destinations[1].service: no service named "frontendv3")"});
  CHECK(problemsAfter([](Config& c) { c.certificates[0].gateway = "nope"; }) ==
        Lines{R"(certificates[0].gateway: no gateway named "nope")"});
}

TEST_CASE("weights are 0..100 and sum to 100", "[validate]") {
  CHECK(problemsAfter([](Config& c) { c.routes[1].destinations[0].weight = 150; }) ==
        Lines{"routes[1].destinations[0].weight: must be 0..100 (got 150)",
              "routes[1].destinations: weights must sum to 100 (got 150)"});
  CHECK(
      problemsAfter([](Config& c) { c.routes[0].destinations[1].service = "frontend"; }) ==
      Lines{
          R"(routes[0].destinations[1].service: "frontend" is already a destination of this route)"});
  CHECK(problemsAfter([](Config& c) { c.routes[0].destinations[0].weight = 40; }) ==
        Lines{"routes[0].destinations: weights must sum to 100 (got 90)"});
  CHECK(problemsAfter([](Config& c) {
          c.routes[0].destinations = {{"frontend", 0}, {"frontendv2", 100}};
        }).empty());
}

TEST_CASE("a route needs a destination unless it redirects or answers itself", "[validate]") {
  CHECK(problemsAfter([](Config& c) { c.routes[1].destinations.clear(); }) ==
        Lines{"routes[1].destinations: at least one destination is required (or a redirect, a "
              "directResponse or an aggregate)"});
  CHECK(problemsAfter([](Config& c) {
          c.routes[1].destinations.clear();
          c.routes[1].redirect = Redirect{"https", "example.com", {}, "/", "", 302, false};
        }).empty());
}

TEST_CASE("route hosts are lower-case DNS names, *.suffix or *", "[validate]") {
  CHECK(
      problemsAfter([](Config& c) {
        c.routes[0].hosts = {"Shop.Test", "*.shop.test", "*",          "shop..test",
                             "-a.test",   "shop.test",   "*.shop.test"};
      }) ==
      Lines{
          R"(routes[0].hosts[0]: must be a lower-case DNS name, "*.suffix" or "*" (got "Shop.Test"))",
          R"(routes[0].hosts[3]: must be a lower-case DNS name, "*.suffix" or "*" (got "shop..test"))",
          R"(routes[0].hosts[4]: must be a lower-case DNS name, "*.suffix" or "*" (got "-a.test"))",
          R"(routes[0].hosts[6]: duplicate host "*.shop.test")"});
}

TEST_CASE("match paths start with a slash and regexes compile", "[validate]") {
  CHECK(problemsAfter([](Config& c) { c.routes[0].match.path = "api"; }) ==
        Lines{R"(routes[0].match.path: must start with '/' (got "api"))"});
  CHECK(problemsAfter([](Config& c) {
          c.routes[0].match = {"^/api/(v1|v2/", MatchType::kRegex};
        }) ==
        Lines{"routes[0].match.path: invalid regex: Mismatched '(' and ')' in regular expression"});
  CHECK(problemsAfter([](Config& c) {
          c.routes[0].match = {"^/api/v[12]/.*$", MatchType::kRegex};
        }).empty());
}

TEST_CASE("methods and header names are HTTP tokens", "[validate]") {
  CHECK(problemsAfter([](Config& c) {
          c.routes[0].methods = {"GET", "GE T"};
          c.routes[0].headers = {{"x-canary", "1"}, {"x canary", "1"}};
        }) == Lines{R"(routes[0].methods[1]: must be an HTTP method (got "GE T"))",
                    R"(routes[0].headers[1].name: must be an HTTP header name (got "x canary"))"});
}

TEST_CASE("timeouts, retries and rewrites are checked", "[validate]") {
  CHECK(problemsAfter([](Config& c) {
          c.routes[0].timeout = Millis(0);
          c.routes[0].retries.attempts = 11;
          c.routes[0].retries.on = {"connect-failure", "502", "5xx", "often", "200"};
          c.routes[0].rewrite = Rewrite{"v2", "", ""};
        }) == Lines{"routes[0].timeout: must be positive (got 0s)",
                    "routes[0].retries.attempts: must be 0..10 (got 11)",
                    // NOLINTNEXTLINE(bugprone-suspicious-missing-comma): one line, split
                    "routes[0].retries.on[3]: must be connect-failure, reset, timeout, 5xx or a "
                    R"(status code 400..599 (got "often"))",
                    "routes[0].retries.on[4]: must be connect-failure, reset, timeout, 5xx or a "
                    R"(status code 400..599 (got "200"))",
                    R"(routes[0].rewrite: must start with '/' (got "v2"))"});
}

TEST_CASE("certificates need valid domains", "[validate]") {
  CHECK(problemsAfter([](Config& c) { c.certificates[0].domains.clear(); }) ==
        Lines{"certificates[0].domains: at least one domain is required"});
  CHECK(
      problemsAfter([](Config& c) {
        c.certificates[0].domains = {"*", "shop test"};
      }) ==
      Lines{
          R"(certificates[0].domains[0]: must be a lower-case DNS name or "*.suffix" (got "*"))",
          R"(certificates[0].domains[1]: must be a lower-case DNS name or "*.suffix" (got "shop test"))"});
}

TEST_CASE("how an ACME certificate is ordered is checked field by field", "[validate]") {
  CHECK(
      problemsAfter([](Config& c) {
        AcmeOrder& o = c.certificates[0].acme;
        c.certificates[0].issuer = Issuer::kAcme;
        o.directory = "http://ca.test/dir";
        o.ca_file = "ca.pem";
        o.email = "ops at shop";
        o.challenge = "dns-02";
        o.key_type = "dsa";
      }) ==
      Lines{
          R"(certificates[0].acmeDirectory: must be an https:// URL (got "http://ca.test/dir"))",
          R"(certificates[0].acmeCaFile: must be an absolute path (got "ca.pem"))",
          R"(certificates[0].email: must be an email address (got "ops at shop"))",
          R"(certificates[0].challenge: must be one of http-01, tls-alpn-01, dns-01 (got "dns-02"))",
          R"(certificates[0].keyType: must be one of ecdsa-p256, ecdsa-p384, rsa2048, rsa4096 (got "dsa"))",
          "certificates[0].dnsHook: only used with challenge dns-01",
          "certificates[0].domains[1]: a wildcard name can only be proved with challenge dns-01"});
  CHECK(problemsAfter([](Config& c) {
          c.certificates[0].issuer = Issuer::kAcme;
          c.certificates[0].acme.dns_hook.clear();
        }) == Lines{"certificates[0].acmeDirectory: required with issuer acme",
                    "certificates[0].dnsHook: required with challenge dns-01"});
  CHECK(problemsAfter([](Config& c) { c.certificates[0].issuer = Issuer::kInternal; }) ==
        Lines{"certificates[0].issuer: ACME settings are only for ACME issuers (this one is "
              "internal)"});
}

TEST_CASE("apiVersion and proxy settings are checked", "[validate]") {
  CHECK(problemsAfter([](Config& c) {
          c.api_version = "gw/v2";
          c.proxy.threads = -1;
        }) == Lines{R"(apiVersion: must be "gw/v1" (got "gw/v2"))",
                    "proxy.threads: must be 0 (one per core) or more (got -1)"});
}

TEST_CASE("two routes that would tie for a request are an error", "[validate]") {
  const std::string tie =
      R"(routes[2]: same host, match and priority as routes[0] ("shop"): set a priority to break the tie)";
  auto with_copy = [](const std::function<void(Route&)>& change) {
    return problemsAfter([&](Config& c) {
      Route copy = c.routes[0];
      copy.name = "copy";
      change(copy);
      c.routes.push_back(copy);
    });
  };
  SECTION("same everything") {
    CHECK(with_copy([](Route&) {}) == Lines{tie});
  }
  SECTION("hosts are compared case-insensitively and need only one in common") {
    CHECK(with_copy([](Route& r) { r.hosts = {"other.test", "shop.test"}; }) == Lines{tie});
  }
  SECTION("no hosts ties with *, and only with *") {
    Lines got = problemsAfter([](Config& c) {
      c.routes[0].hosts = {"*"};
      Route copy = c.routes[0];
      copy.name = "copy";
      copy.hosts.clear();
      c.routes.push_back(copy);
    });
    CHECK(got == Lines{tie});
    CHECK(with_copy([](Route& r) { r.hosts = {"*"}; }).empty());
    CHECK(with_copy([](Route& r) { r.hosts = {"*.test"}; }).empty());
  }
  SECTION("methods and headers are compared as sets") {
    Lines got = problemsAfter([](Config& c) {
      c.routes[0].methods = {"GET", "POST"};
      c.routes[0].headers = {{"X-Canary", "1"}, {"x-user", "a"}};
      Route copy = c.routes[0];
      copy.name = "copy";
      copy.methods = {"POST", "GET"};
      copy.headers = {{"x-user", "a"}, {"x-canary", "1"}};
      c.routes.push_back(copy);
    });
    CHECK(got == Lines{tie});
  }
  SECTION("an unset priority is priority 0") {
    CHECK(with_copy([](Route& r) { r.priority = 0; }) == Lines{tie});
  }
  SECTION("any difference breaks the tie") {
    CHECK(with_copy([](Route& r) { r.priority = 1; }).empty());
    CHECK(with_copy([](Route& r) { r.match.path = "/api"; }).empty());
    CHECK(with_copy([](Route& r) { r.match.type = MatchType::kRegex; }).empty());
    CHECK(with_copy([](Route& r) { r.methods = {"GET"}; }).empty());
    CHECK(with_copy([](Route& r) { r.headers = {{"x-canary", "1"}}; }).empty());
    CHECK(with_copy([](Route& r) { r.hosts = {"other.test"}; }).empty());
  }
  SECTION("routes on different gateways never tie") {
    Lines got = problemsAfter([](Config& c) {
      Gateway g;
      g.name = "other";
      g.listeners = {{"http", Protocol::kHttp, 9090}};
      c.gateways.push_back(g);
      Route copy = c.routes[0];
      copy.name = "copy";
      copy.gateway = "other";
      c.routes.push_back(copy);
    });
    CHECK(got.empty());
  }
}

TEST_CASE("validation errors point at the file, line and column", "[validate]") {
  const std::string text = R"(apiVersion: gw/v1
gateways:
  - name: shop-ingress
    listeners: [{protocol: http, port: 8080}]
services:
  - name: frontend
    endpoints: [127.0.0.1:9001, x]
routes:
  - name: shop
    gateway: nope
    hosts: [shop.test]
    destinations:
      - service: frontend
        weight: 150
)";
  auto loaded = loadDocument(text, "config.yaml");
  REQUIRE_FALSE(loaded.ok());
  CHECK(loaded.error().kind == ErrorKind::kValidation);
  CHECK(loaded.error().message == "config.yaml: invalid document (4 errors)");
  CHECK(loaded.error().details ==
        Lines{R"(config.yaml:7:33: services[0].endpoints[1]: must be HOST:PORT (got "x"))",
              R"(config.yaml:10:5: routes[0].gateway: no gateway named "nope")",
              "config.yaml:14:9: routes[0].destinations[0].weight: must be 0..100 (got 150)",
              "config.yaml:12:5: routes[0].destinations: weights must sum to 100 (got 150)"});
}

TEST_CASE("loadDocument returns the model of a valid document", "[validate]") {
  auto loaded = loadDocument("apiVersion: gw/v1\nrevision: 3\n", "config.yaml");
  REQUIRE(loaded.ok());
  CHECK(loaded->revision == 3);
}

TEST_CASE("validationError counts the diagnostics and lists each", "[validate]") {
  const std::vector<Diagnostic> diagnostics{
      {"routes[0].gateway", "no gateway named \"x\"", "", {}}};
  const Error e = validationError("route add", diagnostics);
  CHECK(e.kind == ErrorKind::kValidation);
  CHECK(e.message == "route add: 1 error");
  CHECK(e.details == Lines{R"(routes[0].gateway: no gateway named "x")"});
  CHECK(exitCode(e.kind) == 2);
}
