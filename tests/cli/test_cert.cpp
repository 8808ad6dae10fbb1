// gw cert import|list|get|delete: certificates made elsewhere, checked, kept in the home and
// listed with their expiry; bad files refused with nothing changed.

#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tests/cli/cli_home.hpp"
#include "tests/support/test_ca.hpp"

namespace gw::test {
namespace {

struct CertFiles {
  TestCa ca;
  TempDir dir;
  std::filesystem::path cert(const std::string& name) const {
    return dir.path() / name / "cert.pem";
  }
  std::filesystem::path key(const std::string& name) const { return dir.path() / name / "key.pem"; }
};

}  // namespace

TEST_CASE("cert import serves a certificate made elsewhere, listed with its expiry",
          "[cli][cert]") {
  CliHome home;
  home.seed();
  CertFiles files;
  files.ca.issue(files.dir.path(), "made", {"shop.test", "www.shop.test"});

  const auto imported = home.gw({"cert", "import", "shop", "--cert", files.cert("made").string(),
                                 "--key", files.key("made").string(), "--gateway", "shop-ingress"});
  REQUIRE(imported.exit_code == 0);
  CHECK(imported.out.find("certificate \"shop\" imported") != std::string::npos);
  CHECK(home.config().find("issuer: imported") != std::string::npos);
  struct stat key_stat {};
  REQUIRE(::stat((home.path() / "certs" / "shop" / "key.pem").c_str(), &key_stat) == 0);
  CHECK((key_stat.st_mode & 0777) == 0600);

  const auto listed = home.gw({"cert", "list", "-o", "json"});
  REQUIRE(listed.exit_code == 0);
  const auto json = nlohmann::json::parse(listed.out);
  REQUIRE(json.size() == 1);
  CHECK(json[0]["name"] == "shop");
  CHECK(json[0]["domains"] == nlohmann::json({"shop.test", "www.shop.test"}));
  CHECK(json[0]["issuer"] == "imported");
  CHECK(json[0]["gateway"] == "shop-ingress");
  CHECK(json[0]["state"] == "expiring");  // the test CA's certificates last two days
  CHECK(json[0]["daysLeft"] >= 1);        // two days from now, less the seconds since
  CHECK(json[0]["daysLeft"] <= 2);
  CHECK(home.gw({"cert", "list"}).out.find("shop.test,www.shop.test") != std::string::npos);
  CHECK(home.gw({"cert", "get", "shop"}).out.find("renewedBy: nobody (imported)") !=
        std::string::npos);

  REQUIRE(home.gw({"cert", "delete", "shop"}).exit_code == 0);
  CHECK_FALSE(std::filesystem::exists(home.path() / "certs" / "shop"));
  CHECK(home.gw({"cert", "get", "shop"}).exit_code == 3);
}

TEST_CASE("cert import refuses bad files and changes nothing", "[cli][cert]") {
  CliHome home;
  home.seed();
  CertFiles files;
  files.ca.issue(files.dir.path(), "a", {"a.test"});
  files.ca.issue(files.dir.path(), "b", {"b.test"});
  const std::string before = home.config();

  const auto missing = home.gw(
      {"cert", "import", "x", "--cert", "/nonexistent.pem", "--key", files.key("a").string()});
  CHECK(missing.exit_code == 2);
  CHECK(missing.err.find("--cert /nonexistent.pem: no such file") != std::string::npos);

  const auto mismatched = home.gw({"cert", "import", "x", "--cert", files.cert("a").string(),
                                   "--key", files.key("b").string()});
  CHECK(mismatched.exit_code == 2);
  CHECK(mismatched.err.find("is not the key of") != std::string::npos);

  const auto not_a_chain = home.gw(
      {"cert", "import", "x", "--cert", files.key("a").string(), "--key", files.key("a").string()});
  CHECK(not_a_chain.exit_code == 2);
  CHECK(not_a_chain.err.find("not a PEM certificate chain") != std::string::npos);

  const auto not_a_key = home.gw({"cert", "import", "x", "--cert", files.cert("a").string(),
                                  "--key", files.cert("a").string()});
  CHECK(not_a_key.exit_code == 2);
  CHECK(not_a_key.err.find("not a PEM private key") != std::string::npos);

  const auto no_gateway = home.gw({"cert", "import", "x", "--cert", files.cert("a").string(),
                                   "--key", files.key("a").string(), "--gateway", "nope"});
  CHECK(no_gateway.exit_code == 3);

  CHECK(home.config() == before);
  CHECK_FALSE(std::filesystem::exists(home.path() / "certs" / "x"));
}

}  // namespace gw::test
