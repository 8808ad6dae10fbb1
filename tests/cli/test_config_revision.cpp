// config apply's revision guard: an export older than the saved document would silently
// drop what was saved since, so it is refused unless --force.

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tests/cli/cli_home.hpp"

using gw::test::CliHome;

namespace {

std::vector<std::string> serviceNames(const CliHome& home) {
  std::vector<std::string> names;
  for (const auto& service :
       nlohmann::json::parse(home.gw({"service", "list", "-o", "json"}).out)) {
    names.push_back(service["name"].get<std::string>());
  }
  return names;
}

std::string withoutRevision(std::string yaml) {
  const auto at = yaml.find("revision: ");
  REQUIRE(at != std::string::npos);
  return yaml.erase(at, yaml.find('\n', at) + 1 - at);
}

}  // namespace

TEST_CASE("config apply refuses an export older than the saved document", "[cli][config]") {
  CliHome home;
  REQUIRE(home.gw({"service", "add", "frontend", "--endpoint", "127.0.0.1:9001"}).exit_code == 0);
  const auto old_file = (home.path() / "old.yaml").string();
  auto exported = home.gw({"config", "export"});
  REQUIRE(exported.exit_code == 0);
  REQUIRE(exported.out.find("\nrevision: 1\n") != std::string::npos);
  gw::test::writeText(old_file, exported.out);
  REQUIRE(home.gw({"service", "add", "s3", "--endpoint", "127.0.0.1:9"}).exit_code == 0);
  const std::string saved = home.config();
  const std::string refusal = "error: config apply: -f " + old_file +
                              " is revision 1 but the saved document is revision 2; applying it "
                              "would remove service \"s3\" (use --force to apply anyway)\n";

  SECTION("refused with exit 2, both revisions and the lost service named") {
    auto r = home.gw({"config", "apply", "-f", old_file});
    CHECK(r.exit_code == 2);
    CHECK(r.err == refusal);
    CHECK(r.out.empty());
    CHECK(home.config() == saved);
    CHECK(serviceNames(home) == std::vector<std::string>{"frontend", "s3"});
  }
  SECTION("--dry-run refuses it the same way") {
    auto r = home.gw({"config", "apply", "-f", old_file, "--dry-run"});
    CHECK(r.exit_code == 2);
    CHECK(r.err == refusal);
    CHECK(r.out.empty());
    CHECK(home.config() == saved);
  }
  SECTION("from stdin it is named as such") {
    auto r = home.gw({"config", "apply", "-f", "-"}, exported.out);
    CHECK(r.exit_code == 2);
    CHECK(r.err.rfind("error: config apply: the document on stdin is revision 1 but the saved "
                      "document is revision 2; ",
                      0) == 0);
    CHECK(home.config() == saved);
  }
  SECTION("--force applies it") {
    auto dry = home.gw({"config", "apply", "-f", old_file, "--dry-run", "--force"});
    CHECK(dry.exit_code == 0);
    CHECK(dry.out.find("-  - name: s3") != std::string::npos);
    CHECK(home.config() == saved);

    auto r = home.gw({"config", "apply", "-f", old_file, "--force"});
    CHECK(r.exit_code == 0);
    CHECK(r.out == "configuration applied (revision 3)\n");
    CHECK(serviceNames(home) == std::vector<std::string>{"frontend"});
  }
  SECTION("the same document without its revision applies as before") {
    auto r = home.gw({"config", "apply", "-f", "-"}, withoutRevision(exported.out));
    CHECK(r.exit_code == 0);
    CHECK(r.out == "configuration applied (revision 3)\n");
    CHECK(serviceNames(home) == std::vector<std::string>{"frontend"});
  }
  SECTION("an old export equal to the saved document changes nothing") {
    REQUIRE(home.gw({"service", "delete", "s3"}).exit_code == 0);
    auto r = home.gw({"config", "apply", "-f", old_file});
    CHECK(r.exit_code == 0);
    CHECK(r.out == "configuration unchanged (revision 3)\n");
  }
}

TEST_CASE("config apply names every object an old export would undo", "[cli][config]") {
  CliHome home;
  home.seed();  // revisions 1-4: frontend, frontendv2, shop-ingress, shop
  auto exported = home.gw({"config", "export"});
  REQUIRE(exported.exit_code == 0);
  REQUIRE(home.gw({"route", "update", "shop", "--to", "frontendv2"}).exit_code == 0);
  REQUIRE(home.gw({"service", "add", "s3", "--endpoint", "127.0.0.1:9"}).exit_code == 0);

  auto r = home.gw({"config", "apply", "-f", "-"}, exported.out);
  CHECK(r.exit_code == 2);
  CHECK(r.err ==
        "error: config apply: the document on stdin is revision 4 but the saved document is "
        "revision 6; applying it would remove service \"s3\" and change route \"shop\" (use "
        "--force to apply anyway)\n");
}

TEST_CASE("config history lists what each revision changed, and rollback saves an old one anew",
          "[cli][config]") {
  CliHome home;
  home.seed();  // revisions 1..4
  REQUIRE(home.gw({"service", "update", "frontend", "--endpoint", "127.0.0.1:9005"}).exit_code ==
          0);
  auto history = home.gw({"config", "history"});
  REQUIRE(history.exit_code == 0);
  CHECK(history.out.find("1         ") != std::string::npos);
  CHECK(history.out.find("+service \"frontend\"") != std::string::npos);
  CHECK(history.out.find("+route \"shop\"") != std::string::npos);
  CHECK(history.out.find("current  ~service \"frontend\"") != std::string::npos);

  const std::string before = home.config();
  auto dry = home.gw({"config", "rollback", "4", "--dry-run"});
  CHECK(dry.exit_code == 0);
  CHECK(dry.out.find("+    endpoints: [127.0.0.1:9001]") != std::string::npos);
  CHECK(home.config() == before);

  auto back = home.gw({"config", "rollback", "4"});
  CHECK(back.exit_code == 0);
  CHECK(back.out == "configuration rolled back to revision 4 (revision 6)\n");
  CHECK(home.config().find("endpoints: [127.0.0.1:9001]") != std::string::npos);
  CHECK(home.config().find("revision: 6\n") != std::string::npos);

  auto missing = home.gw({"config", "rollback", "99"});
  CHECK(missing.exit_code == 3);
  CHECK(missing.err.rfind("error: no revision 99 is kept", 0) == 0);
}
