// gw config: whole documents checked with file positions, diffed, applied or not.

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tests/cli/cli_home.hpp"

using gw::test::CliHome;

namespace {

constexpr const char* kTypo =
    "apiVersion: gw/v1\n"
    "services:\n"
    "  - name: frontend\n"
    "    endpoints: [127.0.0.1:9001]\n"
    "routes:\n"
    "  - name: shop\n"
    "    hots: [shop.test]\n"
    "    destinations:\n"
    "      - service: frontend\n";

constexpr const char* kValid =
    "apiVersion: gw/v1\n"
    "gateways:\n"
    "  - name: edge\n"
    "    listeners: [{protocol: http, port: 8081}]\n"
    "services:\n"
    "  - name: api\n"
    "    endpoints: [127.0.0.1:9005]\n"
    "routes:\n"
    "  - name: api\n"
    "    gateway: edge\n"
    "    hosts: [api.test]\n"
    "    destinations:\n"
    "      - service: api\n";

}  // namespace

TEST_CASE("config validate and apply point at file:line:col with a did-you-mean", "[cli][config]") {
  CliHome home;
  home.seed();
  const std::string before = home.config();
  const auto file = (home.path() / "new.yaml").string();
  gw::test::writeText(file, kTypo);
  const std::string expected =
      "  " + file + ":7:5: routes[0].hots: unknown field (did you mean \"hosts\"?)\n";

  auto validate = home.gw({"config", "validate", "-f", file});
  CHECK(validate.exit_code == 2);
  CHECK(validate.err.find(expected) != std::string::npos);

  auto apply = home.gw({"config", "apply", "-f", file});
  CHECK(apply.exit_code == 2);
  CHECK(apply.err.find(expected) != std::string::npos);
  CHECK(home.config() == before);
}

TEST_CASE("config validate says a good document is valid", "[cli][config]") {
  CliHome home;
  home.seed();
  auto own = home.gw({"config", "validate"});
  CHECK(own.exit_code == 0);
  CHECK(own.out == (home.path() / "config.yaml").string() + ": valid\n");

  auto stdin_doc = home.gw({"config", "validate", "-f", "-"}, kValid);
  CHECK(stdin_doc.exit_code == 0);
  CHECK(stdin_doc.out == "-: valid\n");
}

TEST_CASE("config apply --dry-run prints the diff and saves nothing", "[cli][config]") {
  CliHome home;
  home.seed();
  const std::string before = home.config();
  auto r = home.gw({"config", "apply", "-f", "-", "--dry-run"}, kValid);
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("+  - name: edge") != std::string::npos);
  CHECK(r.out.find("-  - name: shop-ingress") != std::string::npos);
  CHECK(home.config() == before);

  auto diff = home.gw({"config", "diff", "-f", "-"}, kValid);
  CHECK(diff.exit_code == 0);
  CHECK(diff.out == r.out);
}

TEST_CASE("config diff --exit-code exits 1 when there are changes, 0 when there are none",
          "[cli][config][exit]") {
  CliHome home;
  home.seed();
  auto changed = home.gw({"config", "diff", "-f", "-", "--exit-code"}, kValid);
  CHECK(changed.exit_code == 1);
  CHECK(changed.out.find("+  - name: edge") != std::string::npos);
  CHECK(changed.err.empty());

  const std::string own = home.gw({"config", "export"}).out;
  auto same = home.gw({"config", "diff", "-f", "-", "--exit-code"}, own);
  CHECK(same.exit_code == 0);
}

TEST_CASE("config apply -f - replaces the document as a new revision", "[cli][config]") {
  CliHome home;
  home.seed();
  auto r = home.gw({"config", "apply", "-f", "-"}, kValid);
  CHECK(r.exit_code == 0);
  CHECK(r.out == "configuration applied (revision 5)\n");
  auto routes = nlohmann::json::parse(home.gw({"route", "list", "-o", "json"}).out);
  REQUIRE(routes.size() == 1);
  CHECK(routes[0]["name"] == "api");

  SECTION("applying it again changes nothing") {
    auto again = home.gw({"config", "apply", "-f", "-"}, kValid);
    CHECK(again.exit_code == 0);
    CHECK(again.out == "configuration unchanged (revision 5)\n");
  }
}

TEST_CASE("config show prints the saved document byte for byte", "[cli][config]") {
  CliHome home;
  home.seed();
  auto r = home.gw({"config", "show"});
  CHECK(r.exit_code == 0);
  CHECK(r.out == home.config());
}

TEST_CASE("config export round-trips through config apply", "[cli][config]") {
  CliHome home;
  home.seed();
  auto exported = home.gw({"config", "export"});
  REQUIRE(exported.exit_code == 0);
  auto json = nlohmann::json::parse(home.gw({"config", "export", "-o", "json"}).out);
  CHECK(json["routes"][0]["name"] == "shop");

  // The same document in a new home; only the revision differs.
  auto without_revision = [](std::string yaml) {
    auto at = yaml.find("\nrevision: ");
    return at == std::string::npos ? yaml : yaml.erase(at, yaml.find('\n', at + 1) - at);
  };
  CliHome other;
  REQUIRE(other.gw({"config", "apply", "-f", "-"}, exported.out).exit_code == 0);
  CHECK(without_revision(other.gw({"config", "export"}).out) == without_revision(exported.out));
}

TEST_CASE("an exported document round-trips through PyYAML, a YAML 1.1 reader", "[cli][config]") {
  CliHome home;
  home.seed();
  REQUIRE(home.gw({"route", "update", "shop", "--retries", "2", "--retry-on", "5xx,reset",
                   "--request-header-set", "y=on"})
              .exit_code == 0);
  const auto exported = home.gw({"config", "export"});
  REQUIRE(exported.exit_code == 0);
  // Unquoted, `on:` is the boolean true to YAML 1.1 readers.
  CHECK(exported.out.find("\"on\": [5xx, reset]") != std::string::npos);
  const auto file = home.path() / "exported.yaml";
  const auto copy = home.path() / "through-pyyaml.yaml";
  gw::test::writeText(file, exported.out);
  const auto py = gw::test::run(
      {"python3", "-c",
       "import sys, yaml; yaml.safe_dump(yaml.safe_load(open(sys.argv[1])), open(sys.argv[2], "
       "'w'), sort_keys=False)",
       file.string(), copy.string()});
  REQUIRE(py.exit_code == 0);
  auto diff = home.gw({"config", "diff", "-f", copy.string(), "--exit-code"});
  INFO(diff.out << diff.err);
  CHECK(diff.exit_code == 0);

  // A file whose quotes were lost on the way: `true:` under retries can only mean `on`.
  std::string lost = exported.out;
  lost.replace(lost.find("\"on\":"), 5, "true:");
  gw::test::writeText(file, lost);
  diff = home.gw({"config", "diff", "-f", file.string(), "--exit-code"});
  INFO(diff.out << diff.err);
  CHECK(diff.exit_code == 0);
}
