// Bad input gets a clear error, exit 2, and loses nothing.
#include <catch2/catch.hpp>

#include "tests/integration/gw_home.hpp"

using namespace gw::test;

namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("refused commands exit 2, name the field and leave the document alone", "[refusal]") {
  GwHome gw;
  REQUIRE(gw.gw({"service", "add", "frontend", "--endpoint", "127.0.0.1:9"}).exit_code == 0);
  REQUIRE(gw.createEdge(freePort()).exit_code == 0);
  const auto before = gw.gw({"config", "show"});
  REQUIRE(before.exit_code == 0);
  REQUIRE(!before.out.empty());

  SECTION("a route to a missing gateway") {
    const auto r =
        gw.gw({"route", "add", "x", "--gateway", "nope", "--host", "a.test", "--to", "frontend"});
    CHECK(r.exit_code == 2);
    CHECK(contains(r.err, "route \"x\": gateway: no gateway named \"nope\""));
  }
  SECTION("a weight of 150") {
    const auto r = gw.gw(
        {"route", "add", "x", "--gateway", "edge", "--host", "a.test", "--to", "frontend=150"});
    CHECK(r.exit_code == 2);
    CHECK(contains(r.err, "route \"x\": destinations[0].weight: must be 0..100 (got 150)"));
  }
  SECTION("an unknown key in config apply") {
    TempDir dir;
    const auto file = dir.path() / "new.yaml";
    writeText(file, gw.config() +
                        "routes:\n"
                        "  - name: x\n"
                        "    gateway: edge\n"
                        "    hots: [a.test]\n"
                        "    destinations: [{service: frontend}]\n");
    const auto r = gw.gw({"config", "apply", "-f", file.string()});
    CHECK(r.exit_code == 2);
    CHECK(contains(r.err, "routes[0].hots: unknown field (did you mean \"hosts\"?)"));
    CHECK(contains(r.err, file.string() + ":"));
  }
  SECTION("a get of something that does not exist exits 3") {
    CHECK(gw.gw({"route", "get", "nope"}).exit_code == 3);
  }
  SECTION("a flag that does not parse is a usage error") {
    const auto r = gw.gw({"route", "add", "x", "--gateway", "edge", "--to", "frontend=abc"});
    CHECK(r.exit_code == 2);
  }

  const auto after = gw.gw({"config", "show"});
  CHECK(after.out == before.out);
}

TEST_CASE("a change the proxy refuses is rolled back to the previous revision", "[refusal]") {
  GwHome gw;
  REQUIRE(gw.gw({"install"}).exit_code == 0);
  REQUIRE(gw.gw({"service", "add", "frontend", "--endpoint", "127.0.0.1:9"}).exit_code == 0);
  const auto before = gw.config();

  // Valid as a document, but the port is taken by another program: only the proxy can tell.
  EchoBackend squatter("squatter");
  const auto r = gw.createEdge(squatter.port());
  CHECK(r.exit_code == 1);
  CHECK(contains(r.err, std::to_string(squatter.port())));
  CHECK(gw.config() == before);
  CHECK(gw.gw({"gateway", "get", "edge"}).exit_code == 3);
  // The proxy still serves and takes the next good change.
  CHECK(gw.createEdge(freePort()).exit_code == 0);
}
