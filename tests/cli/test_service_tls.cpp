// gw service add|update --tls, --tls-sni, --tls-ca-file, --tls-no-verify: the tls block they
// write, what `service get` shows, and how they fail.

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tests/cli/cli_home.hpp"
#include "tests/support/test_ca.hpp"

using gw::test::CliHome;
using nlohmann::json;

namespace {

json serviceJson(const CliHome& home, const std::string& name) {
  auto r = home.gw({"service", "get", name, "-o", "json"});
  REQUIRE(r.exit_code == 0);
  return json::parse(r.out);
}

}  // namespace

TEST_CASE("service flags turn TLS on, name the sni and CA, and turn verification off",
          "[cli][flags][tls]") {
  CliHome home;
  const gw::test::TestCa ca;
  const std::string ca_file = ca.rootFile().string();
  auto r = home.gw({"service", "add", "billing", "--endpoint", "127.0.0.1:9443", "--tls",
                    "--tls-sni", "billing.test", "--tls-ca-file", ca_file});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(home.config().find("  - name: billing\n    endpoints: [127.0.0.1:9443]\n    tls:\n"
                           "      sni: billing.test\n      caFile: " +
                           ca_file + "\n") != std::string::npos);
  CHECK(serviceJson(home, "billing")["tls"] ==
        json({{"sni", "billing.test"}, {"caFile", ca_file}}));
  const auto shown = home.gw({"service", "get", "billing"});
  CHECK(shown.out.find("tls:") != std::string::npos);
  CHECK(shown.out.find("sni: billing.test") != std::string::npos);

  REQUIRE(
      home.gw({"service", "update", "billing", "--tls-no-verify", "--tls-ca-file", ""}).exit_code ==
      0);
  CHECK(serviceJson(home, "billing")["tls"] == json({{"sni", "billing.test"}, {"verify", false}}));
  REQUIRE(home.gw({"service", "update", "billing", "--tls-no-verify=false", "--tls-sni", ""})
              .exit_code == 0);
  CHECK(serviceJson(home, "billing")["tls"] == json::object());  // TLS with every default

  REQUIRE(home.gw({"service", "update", "billing", "--tls=false"}).exit_code == 0);
  CHECK_FALSE(serviceJson(home, "billing").contains("tls"));
  CHECK(home.config().find("tls") == std::string::npos);

  // A --tls-* flag alone turns TLS on.
  REQUIRE(home.gw({"service", "update", "billing", "--tls-sni", "billing.internal"}).exit_code ==
          0);
  CHECK(serviceJson(home, "billing")["tls"] == json({{"sni", "billing.internal"}}));
}

TEST_CASE("bad TLS flags are refused and name what is wrong", "[cli][flags][tls]") {
  CliHome home;
  REQUIRE(home.gw({"service", "add", "billing", "--endpoint", "127.0.0.1:9443"}).exit_code == 0);
  const std::string before = home.config();

  auto r = home.gw({"service", "update", "billing", "--tls=false", "--tls-sni", "a.test"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("--tls=false cannot go with --tls-sni") != std::string::npos);

  r = home.gw({"service", "update", "billing", "--tls-ca-file", "/nonexistent/ca.pem"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("service \"billing\": tls.caFile: /nonexistent/ca.pem: no such file") !=
        std::string::npos);

  const auto not_pem = home.path() / "key.pem";
  gw::test::writeText(not_pem, "not a certificate\n");
  r = home.gw({"service", "update", "billing", "--tls", "--tls-ca-file", not_pem.string()});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("service \"billing\": tls.caFile: " + not_pem.string() +
                   ": not a PEM certificate") != std::string::npos);

  r = home.gw({"service", "update", "billing", "--tls-sni", "not a name"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find(R"(service "billing": tls.sni: must be a DNS name (got "not a name"))") !=
        std::string::npos);
  CHECK(home.config() == before);  // nothing was saved
}
