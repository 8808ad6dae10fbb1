// A gateway's https settings in the document: httpsRedirect, hsts and tls decoded, checked
// (every error naming its field) and encoded back exactly.

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "core/config/document.hpp"
#include "core/config/validate.hpp"
#include "tests/core/sample_config.hpp"
#include "tests/support/process.hpp"

using namespace gw::core;
using namespace gw::core::testing;

namespace {

constexpr std::chrono::seconds kYear{365LL * 24 * 3600};

std::string gatewayWith(const std::string& lines) {
  return "apiVersion: gw/v1\n"
         "gateways:\n"
         "  - name: shop-ingress\n"
         "    listeners: [{protocol: http, port: 8080}, {protocol: https, port: 8443}]\n" +
         lines;
}

GatewayTls autoTls() {
  GatewayTls tls;
  tls.mode = GatewayTls::Mode::kAuto;
  return tls;
}

Lines decodeErrors(const std::string& text) {
  auto decoded = decode(text, "config.yaml");
  REQUIRE_FALSE(decoded.ok());
  return decoded.error().details;
}

Lines loadErrors(const std::string& text) {
  auto loaded = loadDocument(text, "config.yaml");
  REQUIRE_FALSE(loaded.ok());
  return loaded.error().details;
}

}  // namespace

TEST_CASE("a gateway's httpsRedirect, hsts and tls decode into the model", "[decode][https]") {
  gw::test::TempDir dir;
  const std::string ca_file = (dir.path() / "ca.pem").string();
  gw::test::writeText(ca_file, "-----BEGIN CERTIFICATE-----\n");
  const std::string text = gatewayWith(
      "    httpsRedirect: true\n"
      "    hsts: {maxAge: 1y, includeSubdomains: true, preload: true}\n"
      "    tls: {mode: auto, issuer: acme, email: ops@shop.test,\n"
      "          acmeDirectory: \"https://127.0.0.1:14000/dir\", acmeCaFile: " +
      ca_file + ", challenge: http-01}\n");
  auto loaded = loadDocument(text, "config.yaml");
  REQUIRE(loaded.ok());
  const Gateway& g = loaded->gateways.at(0);
  CHECK(g.https_redirect);
  CHECK(g.hsts == Hsts{kYear, true, true});
  CHECK(g.tls == GatewayTls{GatewayTls::Mode::kAuto, Issuer::kAcme,
                            AcmeOrder{"https://127.0.0.1:14000/dir", ca_file, "ops@shop.test",
                                      "http-01", "", "", ""}});

  SECTION("and encode back to the same text and model") {
    const std::string encoded = encodeYaml(*loaded);
    CHECK(encoded.find("    httpsRedirect: true\n"
                       "    hsts:\n"
                       "      maxAge: 1y\n"
                       "      includeSubdomains: true\n"
                       "      preload: true\n"
                       "    tls:\n"
                       "      mode: auto\n"
                       "      issuer: acme\n"
                       "      acmeDirectory: https://127.0.0.1:14000/dir\n") != std::string::npos);
    CHECK(encoded.find("      email: ops@shop.test\n") != std::string::npos);
    auto again = loadDocument(encoded, "config.yaml");
    REQUIRE(again.ok());
    CHECK(again->gateways.at(0).https_redirect);
    CHECK(again->gateways.at(0).hsts == g.hsts);
    CHECK(again->gateways.at(0).tls == g.tls);
    CHECK(encodeYaml(*again) == encoded);
  }
}

TEST_CASE("the https settings are left out while at their defaults", "[encode][https]") {
  Config c = sample();
  for (const char* key : {"httpsRedirect", "hsts", "tls"}) {
    CHECK(encodeYaml(c).find(key) == std::string::npos);
  }
  c.gateways[0].hsts = Hsts{std::chrono::seconds(0), false, false};
  c.gateways[0].tls = GatewayTls{};
  const std::string text = encodeYaml(c);
  CHECK(text.find("    hsts:\n      maxAge: 0s\n    tls:\n      mode: manual\n") !=
        std::string::npos);
  CHECK(text.find("httpsRedirect") == std::string::npos);
  auto decoded = decode(text, "config.yaml");
  REQUIRE(decoded.ok());
  CHECK(decoded->config.gateways[0].hsts == c.gateways[0].hsts);  // 0s: forget the host
  CHECK(decoded->config.gateways[0].tls == GatewayTls{});
}

TEST_CASE("the https settings' syntax errors name their field and position", "[decode][https]") {
  CHECK(decodeErrors(gatewayWith("    httpsRedirect: yes\n")) ==
        Lines{R"(config.yaml:5:5: gateways[0].httpsRedirect: must be true or false (got "yes"))"});
  CHECK(decodeErrors(gatewayWith("    tls: {mode: x}\n")) ==
        Lines{R"(config.yaml:5:11: gateways[0].tls.mode: must be one of auto, manual (got "x"))"});
  CHECK(decodeErrors(gatewayWith("    tls: {mode: auto, issuer: imported}\n")) ==
        Lines{"config.yaml:5:23: gateways[0].tls.issuer: must be one of letsencrypt, "
              R"(letsencrypt-staging, acme, internal (got "imported"))"});
  CHECK(decodeErrors(gatewayWith("    tls: {issuer: internal}\n")) ==
        Lines{"config.yaml:5:5: gateways[0].tls.mode: missing required field"});
  CHECK(decodeErrors(gatewayWith("    hsts: {maxAge: soon}\n")) ==
        Lines{"config.yaml:5:12: gateways[0].hsts.maxAge: must be a duration such as 1y, 180d "
              R"(or 3600s (got "soon"))"});
  CHECK(decodeErrors(gatewayWith("    hsts: {maxAge: 1500ms}\n")) ==
        Lines{"config.yaml:5:12: gateways[0].hsts.maxAge: must be whole seconds (got 1500ms)"});
  CHECK(decodeErrors(gatewayWith("    hsts: {maxAge: 1y, includeSubDomains: true}\n")) ==
        Lines{"config.yaml:5:24: gateways[0].hsts.includeSubDomains: unknown field (did you "
              R"(mean "includeSubdomains"?))"});
}

TEST_CASE("a negative maxAge is a range error at its position", "[validate][https]") {
  CHECK(loadErrors(gatewayWith("    hsts: {maxAge: -1s}\n")) ==
        Lines{"config.yaml:5:12: gateways[0].hsts.maxAge: must be 0 or more (got -1s)"});
}

TEST_CASE("httpsRedirect, hsts and tls auto need an https listener", "[validate][https]") {
  const auto http_only = [](Config& c) { c.gateways[0].listeners.pop_back(); };
  CHECK(problemsAfter([&](Config& c) {
          http_only(c);
          c.gateways[0].https_redirect = true;
        }) == Lines{"gateways[0].httpsRedirect: needs an https listener"});
  CHECK(problemsAfter([&](Config& c) {
          http_only(c);
          c.gateways[0].hsts = Hsts{kYear};
        }) == Lines{"gateways[0].hsts: needs an https listener (it is sent on https answers "
                    "only)"});
  CHECK(problemsAfter([&](Config& c) {
          http_only(c);
          c.gateways[0].tls = autoTls();
        }) == Lines{"gateways[0].tls.mode: auto needs an https listener"});
  // Manual mode only stores the settings: no listener needed yet.
  CHECK(problemsAfter([&](Config& c) {
          http_only(c);
          c.gateways[0].tls = GatewayTls{};
        }).empty());
  CHECK(problemsAfter([](Config& c) {
          c.gateways[0].https_redirect = true;
          c.gateways[0].hsts = Hsts{kYear};
          c.gateways[0].tls = autoTls();
        }).empty());
}

TEST_CASE("hsts: maxAge 0 or more, and preload only as the preload list takes it",
          "[validate][https]") {
  CHECK(problemsAfter([](Config& c) { c.gateways[0].hsts = Hsts{std::chrono::seconds(-1)}; }) ==
        Lines{"gateways[0].hsts.maxAge: must be 0 or more (got -1s)"});
  CHECK(
      problemsAfter([](Config& c) { c.gateways[0].hsts = Hsts{std::chrono::seconds(0)}; }).empty());
  CHECK(problemsAfter([](Config& c) {
          c.gateways[0].hsts = Hsts{std::chrono::hours(24 * 30), false, true};
        }) == Lines{"gateways[0].hsts.preload: the preload list needs maxAge 1y or more (got 30d)",
                    "gateways[0].hsts.preload: the preload list needs includeSubdomains: true"});
  CHECK(problemsAfter([](Config& c) {
          c.gateways[0].hsts = Hsts{kYear, false, true};
        }) == Lines{"gateways[0].hsts.preload: the preload list needs includeSubdomains: true"});
  CHECK(problemsAfter([](Config& c) { c.gateways[0].hsts = Hsts{kYear, true, true}; }).empty());
}

TEST_CASE("tls: the issuer's settings are checked", "[validate][https]") {
  const auto tls = [](auto&& change) {
    return problemsAfter([&](Config& c) {
      GatewayTls t = autoTls();
      change(t);
      c.gateways[0].tls = t;
    });
  };
  CHECK(tls([](GatewayTls& t) { t.issuer = Issuer::kAcme; }) ==
        Lines{"gateways[0].tls.acmeDirectory: required with issuer acme"});
  CHECK(tls([](GatewayTls& t) { t.acme.directory = "https://ca.test/dir"; }) ==
        Lines{"gateways[0].tls.acmeDirectory: only used with issuer acme (the issuer is "
              "letsencrypt)"});
  CHECK(
      tls([](GatewayTls& t) {
        t.issuer = Issuer::kAcme;
        t.acme.directory = "http://ca.test/dir";
      }) ==
      Lines{
          R"(gateways[0].tls.acmeDirectory: must be an https:// URL (got "http://ca.test/dir"))"});
  CHECK(tls([](GatewayTls& t) { t.issuer = Issuer::kImported; }) ==
        Lines{"gateways[0].tls.issuer: must be one of letsencrypt, letsencrypt-staging, acme, "
              R"(internal (got "imported"))"});
  CHECK(tls([](GatewayTls& t) { t.acme.ca_file = "ca.pem"; }) ==
        Lines{R"(gateways[0].tls.acmeCaFile: must be an absolute path (got "ca.pem"))"});
  // A CA file that goes missing later must not stop the document from loading: the order
  // that needs it fails and says so.
  CHECK(tls([](GatewayTls& t) { t.acme.ca_file = "/nonexistent/ca.pem"; }).empty());
  CHECK(tls([](GatewayTls& t) { t.acme.challenge = "dns-01"; }) ==
        Lines{"gateways[0].tls.dnsHook: required with challenge dns-01"});
  CHECK(tls([](GatewayTls& t) {
          t.issuer = Issuer::kInternal;
          t.acme.email = "ops@shop.test";
        }) == Lines{"gateways[0].tls.issuer: ACME settings are only for ACME issuers (this one "
                    "is internal)"});
  CHECK(tls([](GatewayTls& t) { t.acme.challenge = "http-02"; }) ==
        Lines{"gateways[0].tls.challenge: must be one of http-01, tls-alpn-01, dns-01 (got "
              R"("http-02"))"});
  CHECK(tls([](GatewayTls& t) { t.acme.email = "ops"; }) ==
        Lines{R"(gateways[0].tls.email: must be an email address (got "ops"))"});
  CHECK(tls([](GatewayTls& t) {
          t.issuer = Issuer::kLetsEncryptStaging;
          t.acme.email = "ops@shop.test";
          t.acme.challenge = "dns-01";
          t.acme.dns_hook = "/usr/local/bin/dns-hook";
        }).empty());
}
