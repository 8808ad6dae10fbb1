// What list, get, update, explain and version print, in each output format.

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tests/cli/cli_home.hpp"

using gw::test::CliHome;

TEST_CASE("list commands print JSON arrays of the document's objects", "[cli][output]") {
  CliHome home;
  home.seed();
  auto [group, first] = GENERATE(table<std::string, std::string>({
      {"gateway", "shop-ingress"},
      {"service", "frontend"},
      {"route", "shop"},
  }));
  auto r = home.gw({group, "list", "-o", "json"});
  REQUIRE(r.exit_code == 0);
  auto json = nlohmann::json::parse(r.out);
  REQUIRE(json.is_array());
  REQUIRE(!json.empty());
  CHECK(json[0]["name"] == first);
}

TEST_CASE("list commands print an empty JSON array for an empty home", "[cli][output]") {
  CliHome home;
  for (const char* group : {"gateway", "service", "route"}) {
    auto r = home.gw({group, "list", "-o", "json"});
    CHECK(r.exit_code == 0);
    CHECK(nlohmann::json::parse(r.out) == nlohmann::json::array());
  }
}

TEST_CASE("route list shows gateway, hosts, match and weighted destinations", "[cli][output]") {
  CliHome home;
  home.seed();
  REQUIRE(home.gw({"route", "update", "shop", "--to", "frontend=50", "--to", "frontendv2=50"})
              .exit_code == 0);
  auto r = home.gw({"route", "list"});
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.rfind("NAME  GATEWAY       HOSTS      PATH  MATCH   DESTINATIONS\n", 0) == 0);
  CHECK(r.out.find("shop  shop-ingress  shop.test  /     prefix  frontend=50,frontendv2=50\n") !=
        std::string::npos);
}

TEST_CASE("route update replaces the given flags and keeps the rest", "[cli][output]") {
  CliHome home;
  home.seed();
  auto r = home.gw({"route", "update", "shop", "--to", "frontend=50", "--to", "frontendv2=50"});
  CHECK(r.exit_code == 0);
  CHECK(r.out == "route \"shop\" updated (revision 5)\n");
  auto route = nlohmann::json::parse(home.gw({"route", "get", "shop", "-o", "json"}).out);
  CHECK(route["gateway"] == "shop-ingress");
  CHECK(route["hosts"] == nlohmann::json::array({"shop.test"}));
  CHECK(route["destinations"][0]["weight"] == 50);
  CHECK(route["destinations"][1]["service"] == "frontendv2");

  SECTION("a single --to takes the whole weight again") {
    REQUIRE(home.gw({"route", "update", "shop", "--to", "frontend"}).exit_code == 0);
    auto list = home.gw({"route", "list"});
    CHECK(list.out.find("frontend=100\n") != std::string::npos);
  }
}

TEST_CASE("get -o yaml prints the object with the document's field names", "[cli][output]") {
  CliHome home;
  home.seed();
  auto r = home.gw({"route", "get", "shop", "-o", "yaml"});
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.rfind("name: shop\n", 0) == 0);
  CHECK(r.out.find("gateway: shop-ingress\n") != std::string::npos);
  CHECK(r.out.find("hosts:\n  - shop.test\n") != std::string::npos);
  CHECK(r.out.find("destinations:\n  - service: frontend\n") != std::string::npos);
}

TEST_CASE("route explain names the winner and why the others lost", "[cli][output]") {
  CliHome home;
  home.seed();
  REQUIRE(home.gw({"route", "add", "home", "--gateway", "shop-ingress", "--host", "shop.test",
                   "--path", "/", "--match", "exact", "--to", "frontendv2"})
              .exit_code == 0);

  SECTION("the exact path wins at /") {
    auto r = home.gw({"route", "explain", "http://shop.test:8080/", "-o", "json"});
    REQUIRE(r.exit_code == 0);
    auto json = nlohmann::json::parse(r.out);
    CHECK(json["gateway"] == "shop-ingress");
    CHECK(json["hostRule"] == "shop.test");
    CHECK(json["winner"] == "home");
    REQUIRE(json["candidates"].size() == 2);
    CHECK(json["candidates"][0]["route"] == "home");
  }
  SECTION("the prefix wins elsewhere, in the table too") {
    auto r = home.gw({"route", "explain", "http://shop.test:8080/cart"});
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.find("winner:     shop\n") != std::string::npos);
  }
  SECTION("no route for another host exits 3") {
    auto r = home.gw({"route", "explain", "http://other.test:8080/"});
    CHECK(r.exit_code == 3);
    CHECK(r.err.rfind("error: no route of gateway \"shop-ingress\" matches GET", 0) == 0);
  }
  SECTION("a port no gateway listens on needs --gateway when there are several") {
    REQUIRE(home.gw({"gateway", "create", "admin", "--port", "http:9090"}).exit_code == 0);
    auto r = home.gw({"route", "explain", "http://shop.test:7777/"});
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("no gateway listens on port 7777") != std::string::npos);
    CHECK(home.gw({"route", "explain", "http://shop.test:7777/", "--gateway", "shop-ingress"})
              .exit_code == 0);
  }
}

TEST_CASE("version prints the version, as text and as JSON", "[cli][output]") {
  auto text = gw::test::gwRun({"version"});
  CHECK(text.exit_code == 0);
  CHECK(text.out == "gw 0.1.0\n");
  auto json = gw::test::gwRun({"version", "-o", "json"});
  CHECK(nlohmann::json::parse(json.out)["version"] == "0.1.0");
  CHECK(gw::test::gwRun({"--version"}).out == "gw 0.1.0\n");
}

TEST_CASE("a changing command with -o json prints the object as saved and the revision",
          "[cli][output]") {
  CliHome home;
  home.seed();
  auto r = home.gw({"route", "update", "shop", "--timeout", "5s", "-o", "json"});
  REQUIRE(r.exit_code == 0);
  auto out = nlohmann::json::parse(r.out);
  CHECK(out["kind"] == "route");
  CHECK(out["name"] == "shop");
  CHECK(out["action"] == "updated");
  CHECK(out["changed"] == true);
  CHECK(out["revision"] == out["previousRevision"].get<int>() + 1);
  CHECK(out["object"]["timeout"] == "5s");
  CHECK(out["object"]["hosts"] == nlohmann::json::array({"shop.test"}));

  auto same = home.gw({"route", "update", "shop", "--timeout", "5s", "-o", "json"});
  CHECK(nlohmann::json::parse(same.out)["action"] == "unchanged");
  auto gone = home.gw({"route", "delete", "shop", "-o", "yaml"});
  REQUIRE(gone.exit_code == 0);
  CHECK(gone.out.find("action: deleted\n") != std::string::npos);
  CHECK(gone.out.find("object: null\n") != std::string::npos);
  // A refused change prints no data, only the error.
  auto refused = home.gw({"service", "update", "frontend", "--endpoint", "bad", "-o", "json"});
  CHECK(refused.exit_code == 2);
  CHECK(refused.out.empty());
}

TEST_CASE("config show, validate and diff speak -o json", "[cli][output]") {
  CliHome home;
  home.seed();
  auto shown = home.gw({"config", "show", "-o", "json"});
  REQUIRE(shown.exit_code == 0);
  CHECK(nlohmann::json::parse(shown.out)["routes"][0]["name"] == "shop");

  auto valid = home.gw({"config", "validate", "-o", "json"});
  CHECK(valid.exit_code == 0);
  CHECK(nlohmann::json::parse(valid.out)["valid"] == true);
  auto invalid = home.gw({"config", "validate", "-f", "-", "-o", "json"},
                         "apiVersion: gw/v1\nroutes:\n  - name: x\n    gateway: nope\n");
  CHECK(invalid.exit_code == 2);
  const auto verdict = nlohmann::json::parse(invalid.out);
  CHECK(verdict["valid"] == false);
  CHECK(verdict["errors"][0] == "-:4:5: routes[0].gateway: no gateway named \"nope\"");

  std::string next = home.gw({"config", "export"}).out;
  next.replace(next.find("127.0.0.1:9001"), 14, "127.0.0.1:9009");
  auto diff = home.gw({"config", "diff", "-f", "-", "-o", "json"}, next);
  CHECK(diff.exit_code == 0);
  const auto changes = nlohmann::json::parse(diff.out);
  CHECK(changes["changed"] == true);
  CHECK(changes["changes"] ==
        nlohmann::json::parse(R"([{"kind": "service", "name": "frontend", "action": "changed"}])"));
  CHECK(changes["diff"].get<std::string>().find("+    endpoints: [127.0.0.1:9009]") !=
        std::string::npos);
}
