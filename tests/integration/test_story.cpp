// The story from DESIGN.md, typed as a user types it, against real backends on 127.0.0.1.
#include <catch2/catch.hpp>
#include <map>

#include "tests/integration/gw_home.hpp"

using namespace gw::test;

namespace {

std::map<std::string, int> countBodies(const std::vector<std::string>& answers) {
  std::map<std::string, int> counts;
  for (const auto& a : answers) {
    ++counts[a];
  }
  return counts;
}

}  // namespace

TEST_CASE("the story: install, route, split 50/50, exact / to v2, uninstall", "[story]") {
  EchoBackend frontend("frontend");
  EchoBackend frontendv2("frontendv2");
  GwHome gw;
  const auto http = freePort();
  const auto https = freePort();

  auto r = gw.gw({"install"});
  REQUIRE(r.exit_code == 0);
  const auto pid = gw.proxyPid();
  REQUIRE(processAlive(pid));

  REQUIRE(gw.gw({"service", "add", "frontend", "--endpoint", frontend.endpoint()}).exit_code == 0);
  REQUIRE(gw.gw({"service", "add", "frontendv2", "--endpoint", frontendv2.endpoint()}).exit_code ==
          0);
  r = gw.gw({"gateway", "create", "shop-ingress", "--port", "http:" + std::to_string(http),
             "--port", "https:" + std::to_string(https), "--address", "127.0.0.1"});
  REQUIRE(r.exit_code == 0);
  REQUIRE(waitForPort(http));
  r = gw.gw({"route", "add", "shop", "--gateway", "shop-ingress", "--host", "shop.test", "--to",
             "frontend"});
  REQUIRE(r.exit_code == 0);

  SECTION("every step answers as the story says") {
    auto a = httpGet(http, "shop.test", "/product/1");
    CHECK(a.status == 200);
    CHECK(a.body == "frontend\n");

    // Another host has no route: the gateway answers itself, with a reason code.
    a = httpGet(http, "other.test", "/");
    CHECK(a.status == 404);
    CHECK(a.header("x-gw-error") == "no_route");

    REQUIRE(gw.gw({"route", "update", "shop", "--to", "frontend=50", "--to", "frontendv2=50"})
                .exit_code == 0);
    const auto counts = countBodies(fetchMany(http, "shop.test", "/product/1", 400));
    CHECK(counts.size() == 2);
    CHECK(counts.at("frontend|200") > 140);  // 200 expected; 6 sigma is about 60
    CHECK(counts.at("frontendv2|200") > 140);
    CHECK(counts.at("frontend|200") + counts.at("frontendv2|200") == 400);

    REQUIRE(gw.gw({"route", "add", "home", "--gateway", "shop-ingress", "--host", "shop.test",
                   "--path", "/", "--match", "exact", "--to", "frontendv2"})
                .exit_code == 0);
    REQUIRE(gw.gw({"route", "update", "shop", "--to", "frontend"}).exit_code == 0);
    CHECK(countBodies(fetchMany(http, "shop.test", "/", 20)) ==
          std::map<std::string, int>{{"frontendv2|200", 20}});
    CHECK(countBodies(fetchMany(http, "shop.test", "/cart", 20)) ==
          std::map<std::string, int>{{"frontend|200", 20}});

    // explain agrees with what the proxy did.
    r = gw.gw({"route", "explain", "http://shop.test:" + std::to_string(http) + "/"});
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("home") != std::string::npos);

    // The https listener has no certificate yet: it refuses TLS cleanly and keeps running.
    const auto tls =
        run({"curl", "-sk", "--max-time", "5", "https://127.0.0.1:" + std::to_string(https) + "/"});
    CHECK(tls.exit_code != 0);
    CHECK(tls.exit_code != 28);  // refused at once, not a timeout
    CHECK(httpGet(http, "shop.test", "/cart").body == "frontend\n");

    r = gw.gw({"status", "-o", "json"});
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("\"running\": true") != std::string::npos);
  }

  SECTION("uninstall stops the proxy and frees every port") {
    REQUIRE(gw.gw({"uninstall"}).exit_code == 0);
    CHECK_FALSE(processAlive(pid));
    CHECK(waitForPortClosed(http, 2s));
    CHECK_FALSE(portOpen(https));
    CHECK_FALSE(std::filesystem::exists(gw.file("proxy.pid")));
    // The document stays: the user's configuration is not runtime state.
    CHECK(gw.config().find("shop-ingress") != std::string::npos);
  }
}
