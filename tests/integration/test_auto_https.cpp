// Automatic HTTPS: a gateway set to `--tls auto` gets a certificate from the CA for every
// concrete host of its routes, with no `gw cert issue`, and for a new route's host as soon
// as the route is added; a wildcard host without a DNS hook is left alone.

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <set>

#include "tests/integration/https_story.hpp"
#include "tests/support/eventually.hpp"

namespace gw::test {

TEST_CASE("a gateway with --tls auto gets certificates for its routes' hosts by itself",
          "[https][auto]") {
  HttpsStory story;
  const auto updated = story.gw.gw(
      {"gateway", "update", "shop-ingress", "--tls", "auto", "--tls-issuer", "acme",
       "--tls-acme-directory", story.pebble.env("PEBBLE_DIRECTORY_URL"), "--tls-acme-ca-file",
       story.pebble.env("PEBBLE_API_CA"), "--tls-email", "ops@shop.test"});
  INFO(updated.err);
  REQUIRE(updated.exit_code == 0);

  for (const std::string host : {"shop.test", "www.shop.test"}) {
    CHECK(eventually([&] { return story.curl(host, story.pebble.rootCa()).out == "frontend\n"; },
                     30s));
  }

  // A new route's host gets its certificate without anything else typed; a wildcard host
  // cannot be proved without a DNS hook and is skipped.
  REQUIRE(story.gw
              .gw({"route", "add", "api", "--gateway", "shop-ingress", "--host", "api.shop.test",
                   "--host", "*.apps.test", "--to", "frontend"})
              .exit_code == 0);
  CHECK(eventually(
      [&] { return story.curl("api.shop.test", story.pebble.rootCa()).out == "frontend\n"; }, 30s));

  const auto listed = story.gw.gw({"cert", "list", "-o", "json"});
  REQUIRE(listed.exit_code == 0);
  std::set<std::string> names;
  for (const auto& cert : nlohmann::json::parse(listed.out)) {
    names.insert(cert["name"].get<std::string>());
    CHECK(cert["state"] == "valid");
    CHECK(cert["issuer"] == "acme");
  }
  CHECK(names ==
        std::set<std::string>{"auto/api.shop.test", "auto/shop.test", "auto/www.shop.test"});

  SECTION("gw cert renew renews an automatic certificate like any other") {
    const auto renewed = story.gw.gw({"cert", "renew", "auto/shop.test", "--force"});
    INFO(renewed.err);
    CHECK(renewed.exit_code == 0);
    CHECK(story.curl("shop.test", story.pebble.rootCa()).out == "frontend\n");
  }
}

}  // namespace gw::test
