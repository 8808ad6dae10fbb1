// gw gateway create and update with the https flags: the document they write, get showing
// it, and values that do not fit exiting 2 with the field named and nothing saved.

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tests/cli/cli_home.hpp"

using gw::test::CliHome;
using nlohmann::json;

namespace {

json gatewayJson(const CliHome& home, const std::string& name) {
  auto r = home.gw({"gateway", "get", name, "-o", "json"});
  REQUIRE(r.exit_code == 0);
  return json::parse(r.out);
}

}  // namespace

TEST_CASE("gateway create writes the redirect, HSTS and tls settings", "[cli][gateway]") {
  CliHome home;
  gw::test::TempDir dir;
  gw::test::writeText(dir.path() / "ca.pem", "-----BEGIN CERTIFICATE-----\n");
  auto r = home.gw({"gateway",
                    "create",
                    "shop-ingress",
                    "--port",
                    "http:8080",
                    "--port",
                    "https:8443",
                    "--https-redirect",
                    "--hsts",
                    "1y",
                    "--hsts-include-subdomains",
                    "--hsts-preload",
                    "--tls",
                    "auto",
                    "--tls-issuer",
                    "acme",
                    "--tls-email",
                    "ops@shop.test",
                    "--tls-acme-directory",
                    "https://127.0.0.1:14000/dir",
                    "--tls-acme-ca-file",
                    (dir.path() / "ca.pem").string()});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(home.config().find("    httpsRedirect: true\n"
                           "    hsts:\n"
                           "      maxAge: 1y\n"
                           "      includeSubdomains: true\n"
                           "      preload: true\n"
                           "    tls:\n"
                           "      mode: auto\n"
                           "      issuer: acme\n"
                           "      acmeDirectory: https://127.0.0.1:14000/dir\n"
                           "      acmeCaFile: " +
                           (dir.path() / "ca.pem").string() +
                           "\n"
                           "      email: ops@shop.test\n") != std::string::npos);
  const json gateway = gatewayJson(home, "shop-ingress");
  CHECK(gateway["httpsRedirect"] == true);
  CHECK(gateway["hsts"] == json{{"maxAge", "1y"}, {"includeSubdomains", true}, {"preload", true}});
  CHECK(gateway["tls"]["mode"] == "auto");
  CHECK(gateway["tls"]["acmeCaFile"] == (dir.path() / "ca.pem").string());
  // The table view shows them too.
  const auto table = home.gw({"gateway", "get", "shop-ingress"});
  CHECK(table.out.find("httpsRedirect: true\nhsts:\n  maxAge: 1y\n") != std::string::npos);
  CHECK(table.out.find("tls:\n  mode: auto\n") != std::string::npos);
}

TEST_CASE("gateway update turns the redirect and HSTS on and off, keeping the rest",
          "[cli][gateway]") {
  CliHome home;
  home.seed();
  REQUIRE(home.gw({"gateway", "update", "shop-ingress", "--https-redirect", "--hsts", "180d"})
              .exit_code == 0);
  json gateway = gatewayJson(home, "shop-ingress");
  CHECK(gateway["httpsRedirect"] == true);
  CHECK(gateway["hsts"] == json{{"maxAge", "180d"}});
  CHECK(gateway["listeners"].size() == 2);  // not given: kept

  auto r = home.gw({"gateway", "update", "shop-ingress", "--hsts-include-subdomains"});
  REQUIRE(r.exit_code == 0);
  CHECK(r.out == "gateway \"shop-ingress\" updated (revision 6)\n");
  CHECK(gatewayJson(home, "shop-ingress")["hsts"] ==
        json{{"maxAge", "180d"}, {"includeSubdomains", true}});

  REQUIRE(home.gw({"gateway", "update", "shop-ingress", "--no-https-redirect", "--no-hsts"})
              .exit_code == 0);
  gateway = gatewayJson(home, "shop-ingress");
  CHECK_FALSE(gateway.contains("httpsRedirect"));
  CHECK_FALSE(gateway.contains("hsts"));

  SECTION(
      "tls settings change one at a time; leaving acme drops its directory, internal all ACME "
      "settings") {
    REQUIRE(home.gw({"gateway", "update", "shop-ingress", "--tls", "auto", "--tls-issuer", "acme",
                     "--tls-acme-directory", "https://ca.test/dir"})
                .exit_code == 0);
    REQUIRE(
        home.gw({"gateway", "update", "shop-ingress", "--tls-email", "ops@shop.test"}).exit_code ==
        0);
    CHECK(gatewayJson(home, "shop-ingress")["tls"] ==
          json{{"mode", "auto"},
               {"issuer", "acme"},
               {"email", "ops@shop.test"},
               {"acmeDirectory", "https://ca.test/dir"}});
    REQUIRE(home.gw({"gateway", "update", "shop-ingress", "--tls-issuer", "internal"}).exit_code ==
            0);
    CHECK(gatewayJson(home, "shop-ingress")["tls"] ==
          json{{"mode", "auto"}, {"issuer", "internal"}});  // it orders nothing from a CA
  }

  SECTION("a relative CA file is stored absolute") {
    gw::test::TempDir dir;
    gw::test::writeText(dir.path() / "ca.pem", "pem");
    auto relative = gw::test::run(
        {"sh", "-c",
         "cd '" + dir.path().string() + "' && '" + GW_BINARY +
             "' gateway update shop-ingress --tls manual --tls-acme-ca-file ./ca.pem"},
        {"GW_HOME=" + home.path().string(), "NO_COLOR=1"});
    INFO(relative.err);
    REQUIRE(relative.exit_code == 0);
    CHECK(gatewayJson(home, "shop-ingress")["tls"]["acmeCaFile"] ==
          (dir.path() / "ca.pem").string());
  }
}

TEST_CASE("gateway https flags that do not fit exit 2, name the field and change nothing",
          "[cli][gateway]") {
  CliHome home;
  home.seed();
  REQUIRE(home.gw({"gateway", "create", "plain", "--port", "http:9080"}).exit_code == 0);
  const std::string before = home.config();
  auto [args, expected] = GENERATE(table<std::vector<std::string>, std::string>({
      {{"gateway", "update", "plain", "--https-redirect"},
       "  gateway \"plain\": httpsRedirect: needs an https listener\n"},
      {{"gateway", "update", "plain", "--tls", "auto"},
       "  gateway \"plain\": tls.mode: auto needs an https listener\n"},
      {{"gateway", "update", "shop-ingress", "--hsts", "30d", "--hsts-preload",
        "--hsts-include-subdomains"},
       "  gateway \"shop-ingress\": hsts.preload: the preload list needs maxAge 1y or more (got "
       "30d)\n"},
      {{"gateway", "update", "shop-ingress", "--tls", "auto", "--tls-issuer", "acme"},
       "  gateway \"shop-ingress\": tls.acmeDirectory: required with issuer acme\n"},
      {{"gateway", "update", "shop-ingress", "--tls", "manual", "--tls-acme-ca-file",
        "/nonexistent/ca.pem"},
       "error: --tls-acme-ca-file /nonexistent/ca.pem: no such file\n"},
      {{"gateway", "update", "shop-ingress", "--tls", "auto", "--tls-email", "ops"},
       "  gateway \"shop-ingress\": tls.email: must be an email address (got \"ops\")\n"},
      {{"gateway", "update", "shop-ingress", "--hsts", "soon"},
       "error: invalid --hsts \"soon\": expected a duration like 10s, 250ms, 2m, 1h, 7d or 1y\n"},
      {{"gateway", "update", "shop-ingress", "--hsts", "1500ms"},
       "error: invalid --hsts \"1500ms\": expected whole seconds, like 1y, 180d or 3600s\n"},
      {{"gateway", "update", "shop-ingress", "--hsts-preload"},
       "error: --hsts-preload needs --hsts MAX_AGE (or a gateway with HSTS)\n"},
      {{"gateway", "update", "shop-ingress", "--tls-email", "ops@shop.test"},
       "error: --tls-email needs --tls auto|manual (or a gateway with tls settings)\n"},
      {{"gateway", "update", "shop-ingress", "--tls", "sometimes"}, "--tls"},
      {{"gateway", "update", "shop-ingress", "--tls", "auto", "--tls-issuer", "imported"},
       "--tls-issuer"},
      {{"gateway", "update", "shop-ingress", "--hsts", "1y", "--no-hsts"},
       "error: --hsts excludes --no-hsts\n"},
      {{"gateway", "create", "edge", "--port", "http:7080", "--https-redirect"},
       "  gateway \"edge\": httpsRedirect: needs an https listener\n"},
  }));
  auto r = home.gw(args);
  INFO(r.err);
  CHECK(r.exit_code == 2);
  CHECK(r.err.find(expected) != std::string::npos);
  CHECK(home.config() == before);
}

TEST_CASE("gateway update of a gateway that does not exist exits 3", "[cli][gateway]") {
  CliHome home;
  home.seed();
  const std::string before = home.config();
  auto r = home.gw({"gateway", "update", "nope", "--https-redirect"});
  CHECK(r.exit_code == 3);
  CHECK(r.err == "error: no gateway \"nope\"\n");
  CHECK(home.config() == before);
}
