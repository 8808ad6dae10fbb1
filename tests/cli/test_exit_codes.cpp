// Exit codes and error messages scripts rely on: 0 ok, 1 runtime, 2 usage or validation,
// 3 not found; a refused change leaves the document as it was.

#include <catch2/catch.hpp>

#include "tests/cli/cli_home.hpp"

using gw::test::CliHome;

TEST_CASE("an unknown command exits 2 and names it", "[cli][exit]") {
  CliHome home;
  auto r = home.gw({"frobnicate"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.rfind("error: unknown command \"frobnicate\"", 0) == 0);
  CHECK(r.out.empty());
}

TEST_CASE("a group without its subcommand exits 2 and lists the choices", "[cli][exit]") {
  CliHome home;
  auto r = home.gw({"route"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("add, update, list, get, delete, explain") != std::string::npos);
}

TEST_CASE("a missing required flag exits 2 and names the flag", "[cli][exit]") {
  CliHome home;
  auto r = home.gw({"route", "add", "shop", "--host", "shop.test", "--to", "frontend"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("--gateway is required") != std::string::npos);
  CHECK(home.config().empty());
}

TEST_CASE("getting or deleting what does not exist exits 3", "[cli][exit]") {
  CliHome home;
  home.seed();
  auto [args, message] = GENERATE(table<std::vector<std::string>, std::string>({
      {{"route", "get", "nope"}, "error: no route \"nope\""},
      {{"route", "delete", "nope"}, "error: no route \"nope\""},
      {{"service", "get", "nope"}, "error: no service \"nope\""},
      {{"gateway", "delete", "nope"}, "error: no gateway \"nope\""},
  }));
  const std::string before = home.config();
  auto r = home.gw(args);
  CHECK(r.exit_code == 3);
  CHECK(r.err == message + "\n");
  CHECK(home.config() == before);
}

TEST_CASE("a missing -f file exits 2, a list for a missing gateway exits 3", "[cli][exit]") {
  CliHome home;
  home.seed();
  for (const char* verb : {"apply", "diff", "validate"}) {
    INFO(verb);
    auto r = home.gw({"config", verb, "-f", "missing.yaml"});
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("missing.yaml: No such file or directory") != std::string::npos);
  }
  auto listed = home.gw({"route", "list", "--gateway", "nope"});
  CHECK(listed.exit_code == 3);
  CHECK(listed.err == "error: no gateway \"nope\"\n");
  CHECK(listed.out.empty());
}

TEST_CASE("a weight over 100 exits 2 naming the route and field and changes nothing",
          "[cli][exit]") {
  CliHome home;
  home.seed();
  const std::string before = home.config();
  auto r = home.gw({"route", "update", "shop", "--to", "frontend=150"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.rfind("error: ", 0) == 0);
  CHECK(r.err.find("\n  route \"shop\": destinations[0].weight: ") != std::string::npos);
  CHECK(home.config() == before);
}

TEST_CASE("a route naming a missing gateway is refused, naming the route and field",
          "[cli][exit]") {
  CliHome home;
  home.seed();
  const std::string before = home.config();
  auto r =
      home.gw({"route", "add", "x", "--gateway", "nope", "--host", "x.test", "--to", "frontend"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("  route \"x\": gateway: no gateway named \"nope\"\n") != std::string::npos);
  CHECK(home.config() == before);
}

TEST_CASE("flag values that do not parse are usage errors naming the flag", "[cli][exit]") {
  CliHome home;
  home.seed();
  auto [args, expected] = GENERATE(table<std::vector<std::string>, std::string>({
      {{"route", "update", "shop", "--to", "a=b"}, "error: invalid --to \"a=b\""},
      {{"route", "update", "shop", "--timeout", "5x"}, "error: invalid --timeout \"5x\""},
      {{"route", "update", "shop", "--retries", "many"}, "--retries"},
      {{"route", "update", "shop", "--match", "fuzzy"}, "--match"},
      {{"route", "update", "shop", "--header", "novalue"}, "error: invalid --header"},
      {{"gateway", "create", "g", "--port", "8080"}, "error: invalid --port \"8080\""},
      {{"gateway", "create", "g", "--port", "http:8080", "--replicas", "3"},
       "error: invalid --replicas \"3\""},
      {{"service", "add", "s", "--endpoint", "127.0.0.1:1", "--lb", "fastest"}, "--lb"},
      {{"route", "list", "-o", "xml"}, "--output"},
  }));
  const std::string before = home.config();
  auto r = home.gw(args);
  CHECK(r.exit_code == 2);
  CHECK(r.err.find(expected) != std::string::npos);
  CHECK(home.config() == before);
}

TEST_CASE("creating what exists, or deleting what routes use, exits 2", "[cli][exit]") {
  CliHome home;
  home.seed();
  const std::string before = home.config();
  SECTION("a second gateway of the same name") {
    auto r = home.gw({"gateway", "create", "shop-ingress", "--port", "http:9000"});
    CHECK(r.exit_code == 2);
    CHECK(r.err == "error: gateway \"shop-ingress\" already exists\n");
  }
  SECTION("a gateway a route uses") {
    auto r = home.gw({"gateway", "delete", "shop-ingress"});
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("gateway \"shop-ingress\" is used by routes: shop") != std::string::npos);
  }
  SECTION("a service a route uses") {
    auto r = home.gw({"service", "delete", "frontend"});
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("service \"frontend\" is used by routes: shop (--to)") != std::string::npos);
  }
  CHECK(home.config() == before);
}

TEST_CASE("a command's refusal names the objects; config apply's names positions", "[cli][exit]") {
  CliHome home;
  home.seed();
  REQUIRE(home.gw({"route", "add", "mirror-test", "--gateway", "shop-ingress", "--host", "m.test",
                   "--to", "frontend", "--mirror", "frontendv2"})
              .exit_code == 0);
  const std::string before = home.config();
  // Before: `routes[1].mirror.service: no service named "frontendv2"`.
  auto r = home.gw({"service", "delete", "frontendv2"});
  CHECK(r.exit_code == 2);
  CHECK(r.err ==
        "error: service \"frontendv2\" is used by routes: mirror-test (--mirror); change them "
        "first\n");
  auto weight = home.gw({"route", "update", "mirror-test", "--mirror", "frontendv2=150"});
  CHECK(weight.exit_code == 2);
  CHECK(weight.err.find("\n  route \"mirror-test\": mirror.percent: ") != std::string::npos);
  CHECK(home.config() == before);

  const auto file = home.path() / "bad.yaml";
  gw::test::writeText(file, before +
                                "  - name: broken\n    gateway: nope\n    hosts: [b.test]\n"
                                "    destinations: [{service: frontend}]\n");
  auto applied = home.gw({"config", "apply", "-f", file.string()});
  CHECK(applied.exit_code == 2);
  CHECK(applied.err.find("routes[2].gateway: no gateway named \"nope\"") != std::string::npos);
}

TEST_CASE("a change with no proxy running is saved, confirmed and noted", "[cli][exit]") {
  CliHome home;
  auto r = home.gw({"service", "add", "frontend", "--endpoint", "127.0.0.1:9001"});
  CHECK(r.exit_code == 0);
  CHECK(r.out == "service \"frontend\" added (revision 1)\n");
  CHECK(r.err == "note: gw is not running; run 'gw install' to serve this configuration\n");
  CHECK(home.config().find("frontend") != std::string::npos);

  auto quiet = home.gw({"-q", "service", "update", "frontend", "--lb", "random"});
  CHECK(quiet.exit_code == 0);
  CHECK(quiet.out.empty());
  CHECK(quiet.err.empty());
}
