// A service's `tls` block: decoded with field-named errors, validated (sni a DNS name, caFile
// an absolute path to a PEM certificate), and written back.

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "core/config/document.hpp"
#include "core/config/validate.hpp"
#include "tests/core/sample_config.hpp"
#include "tests/support/process.hpp"
#include "tests/support/test_ca.hpp"

using namespace gw::core;
using namespace gw::core::testing;

namespace {

const std::string kHead =
    "apiVersion: gw/v1\nservices:\n  - name: billing\n    endpoints: [127.0.0.1:9443]\n";

std::vector<std::string> decodeErrors(const std::string& text) {
  auto decoded = decode(text, "config.yaml");
  REQUIRE_FALSE(decoded.ok());
  return decoded.error().details;
}

}  // namespace

TEST_CASE("a service's tls block decodes, and verify defaults to true", "[decode][tls]") {
  auto decoded =
      decode(kHead + "    tls: {sni: billing.internal, caFile: /etc/ca.pem}\n", "config.yaml");
  REQUIRE(decoded.ok());
  CHECK(decoded->config.services.at(0).tls == UpstreamTls{"billing.internal", "/etc/ca.pem", true});

  auto empty = decode(kHead + "    tls: {}\n", "config.yaml");
  REQUIRE(empty.ok());
  CHECK(empty->config.services.at(0).tls == UpstreamTls{});

  auto plain = decode(kHead, "config.yaml");
  REQUIRE(plain.ok());
  CHECK_FALSE(plain->config.services.at(0).tls.has_value());
}

TEST_CASE("tls errors name the field", "[decode][tls]") {
  CHECK(decodeErrors(kHead + "    tls: {verify: yes, caFile: [a], server: x}\n") ==
        Lines{
            R"(config.yaml:5:11: services[0].tls.verify: must be true or false (got "yes"))",
            R"(config.yaml:5:24: services[0].tls.caFile: must be a string (got a list))",
            R"(config.yaml:5:37: services[0].tls.server: unknown field)",
        });
  CHECK(decodeErrors(kHead + "    tls: true\n") ==
        Lines{R"(config.yaml:5:5: services[0].tls: must be a mapping (got "true"))"});
  CHECK(decodeErrors(kHead + "    tls: {snl: a.test}\n") ==
        Lines{R"(config.yaml:5:11: services[0].tls.snl: unknown field (did you mean "sni"?))"});
}

TEST_CASE("tls caFile is an absolute path to a PEM certificate, sni a DNS name",
          "[validate][tls]") {
  const gw::test::TempDir dir;
  const gw::test::TestCa ca;
  const std::string not_pem = (dir.path() / "key.pem").string();
  gw::test::writeText(not_pem,
                      "-----BEGIN PRIVATE KEY-----\nMC4CAQA=\n-----END PRIVATE KEY-----\n");
  const std::string missing = (dir.path() / "none.pem").string();

  CHECK(problemsAfter([&](Config& c) {
          c.services[0].tls = UpstreamTls{"billing.internal", ca.rootFile().string(), true};
          c.services[1].tls = UpstreamTls{};
        }).empty());
  CHECK(problemsAfter([&](Config& c) {
          c.services[0].tls = UpstreamTls{"", not_pem, true};
          c.services[1].tls = UpstreamTls{"Billing.Internal", missing, false};
        }) == Lines{"services[0].tls.caFile: " + not_pem + ": not a PEM certificate",
                    "services[1].tls.caFile: " + missing + ": no such file"});
  CHECK(problemsAfter([&](Config& c) {
          c.services[0].tls = UpstreamTls{"10.0.0.1:443", "ca.pem", true};
        }) == Lines{R"(services[0].tls.sni: must be a DNS name (got "10.0.0.1:443"))",
                    R"(services[0].tls.caFile: must be an absolute path (got "ca.pem"))"});
}

TEST_CASE("a tls block is written back with its defaults left out", "[encode][tls]") {
  Config c = sample();
  c.services[0].tls = UpstreamTls{};
  c.services[1].tls = UpstreamTls{"billing.internal", "/etc/gw/ca.pem", false};
  const std::string text = encodeYaml(c);
  CHECK(text.find("    tls: {}\n") != std::string::npos);
  CHECK(text.find("    tls:\n      sni: billing.internal\n      caFile: /etc/gw/ca.pem\n"
                  "      verify: false\n") != std::string::npos);
  auto decoded = decode(text, "config.yaml");
  REQUIRE(decoded.ok());
  CHECK(decoded->config.services[0].tls == c.services[0].tls);
  CHECK(decoded->config.services[1].tls == c.services[1].tls);
}
