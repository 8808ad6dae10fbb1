// gw consumer and its credentials without a running proxy: what is saved, what is printed
// (a new key once, never again), and the refusals with their exit codes.

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tests/cli/cli_home.hpp"

using gw::test::CliHome;

namespace {

// The key's one line, from `gw consumer key create NAME -q`.
std::string createKey(const CliHome& home, const std::string& consumer) {
  const auto r = home.gw({"consumer", "key", "create", consumer, "-q"});
  REQUIRE(r.exit_code == 0);
  REQUIRE(!r.out.empty());
  REQUIRE(r.out.back() == '\n');
  return r.out.substr(0, r.out.size() - 1);
}

}  // namespace

TEST_CASE("consumer add, list, get, update and delete edit the document", "[cli][consumer]") {
  CliHome home;
  auto added = home.gw({"consumer", "add", "acme", "--group", "paid"});
  CHECK(added.exit_code == 0);
  CHECK(added.out == "consumer \"acme\" added (revision 1)\n");
  REQUIRE(home.gw({"consumer", "add", "bob"}).exit_code == 0);

  auto listed = home.gw({"consumer", "list"});
  CHECK(listed.exit_code == 0);
  CHECK(listed.out.find("NAME") == 0);
  CHECK(listed.out.find("\nacme  paid") != std::string::npos);
  CHECK(listed.out.find("\nbob ") != std::string::npos);

  auto json = nlohmann::json::parse(home.gw({"consumer", "list", "-o", "json"}).out);
  REQUIRE(json.size() == 2);
  CHECK(json[0]["name"] == "acme");
  CHECK(json[0]["groups"] == nlohmann::json::array({"paid"}));

  auto updated = home.gw({"consumer", "update", "acme", "--group", "paid", "--group", "beta"});
  CHECK(updated.exit_code == 0);
  auto got = nlohmann::json::parse(home.gw({"consumer", "get", "acme", "-o", "json"}).out);
  CHECK(got["name"] == "acme");
  CHECK(got["groups"] == nlohmann::json::array({"paid", "beta"}));

  auto deleted = home.gw({"consumer", "delete", "bob"});
  CHECK(deleted.exit_code == 0);
  CHECK(home.config().find("name: bob") == std::string::npos);
  CHECK(home.config().find("name: acme") != std::string::npos);
}

// `gw consumer update --help`: "The consumer's groups, replacing the old ones (--group "":
// none)". The empty value is checked as a group name before it is taken to clear the list.
TEST_CASE("consumer update with an empty --group clears the groups", "[cli][consumer]") {
  CliHome home;
  REQUIRE(home.gw({"consumer", "add", "acme", "--group", "paid"}).exit_code == 0);
  auto cleared = home.gw({"consumer", "update", "acme", "--group", ""});
  CHECK(cleared.err.find("error:") == std::string::npos);
  REQUIRE(cleared.exit_code == 0);
  const auto got = nlohmann::json::parse(home.gw({"consumer", "get", "acme", "-o", "json"}).out);
  CHECK(got.value("groups", nlohmann::json::array()).empty());
}

TEST_CASE("a consumer that is not there, or is there twice, is refused", "[cli][consumer][exit]") {
  CliHome home;
  REQUIRE(home.gw({"consumer", "add", "acme"}).exit_code == 0);
  const std::string before = home.config();

  auto [args, code, message] = GENERATE(table<std::vector<std::string>, int, std::string>({
      {{"consumer", "get", "nope"}, 3, "error: no consumer \"nope\"\n"},
      {{"consumer", "update", "nope", "--group", "paid"}, 3, "error: no consumer \"nope\"\n"},
      {{"consumer", "delete", "nope"}, 3, "error: no consumer \"nope\"\n"},
      {{"consumer", "key", "create", "nope"}, 3, "error: no consumer \"nope\"\n"},
      {{"consumer", "key", "list", "nope"}, 3, "error: no consumer \"nope\"\n"},
      {{"consumer", "add", "acme"}, 2, "error: consumer \"acme\" already exists\n"},
  }));
  auto r = home.gw(args);
  CHECK(r.exit_code == code);
  CHECK(r.err == message);
  CHECK(r.out.empty());
  CHECK(home.config() == before);
}

TEST_CASE("key create prints the key once, -q alone and -o json with its fields",
          "[cli][consumer]") {
  CliHome home;
  REQUIRE(home.gw({"consumer", "add", "acme"}).exit_code == 0);

  const std::string key = createKey(home, "acme");
  CHECK(key.rfind("gw_", 0) == 0);
  CHECK(key.find('\n') == std::string::npos);
  CHECK(key.find(' ') == std::string::npos);

  auto created = home.gw({"consumer", "key", "create", "acme", "-o", "json"});
  REQUIRE(created.exit_code == 0);
  const auto doc = nlohmann::json::parse(created.out);
  CHECK(doc["consumer"] == "acme");
  CHECK(doc["key"].get<std::string>().rfind("gw_" + doc["id"].get<std::string>() + "_", 0) == 0);
  CHECK(doc["key"] != key);
  CHECK_FALSE(doc["id"].get<std::string>().empty());
  CHECK_THAT(doc["created"].get<std::string>(),
             Catch::Matches(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)"));
  CHECK(doc["revision"] == 3);

  auto table = home.gw({"consumer", "key", "create", "acme"});
  REQUIRE(table.exit_code == 0);
  CHECK(table.out.find("it is shown this once") != std::string::npos);
  CHECK(table.out.find("\ngw_") != std::string::npos);  // the key, on a line of its own

  // Never shown again: not by list, get, or in the document.
  auto listed = home.gw({"consumer", "key", "list", "acme"});
  CHECK(listed.exit_code == 0);
  CHECK(listed.out.find("ID") == 0);
  CHECK(listed.out.find("\n" + doc["id"].get<std::string>() + " ") != std::string::npos);
  const auto keys =
      nlohmann::json::parse(home.gw({"consumer", "key", "list", "acme", "-o", "json"}).out);
  CHECK(keys.size() == 3);
  for (const std::string& shown :
       {listed.out, home.gw({"consumer", "get", "acme", "-o", "json"}).out,
        home.gw({"consumer", "list"}).out, home.config()}) {
    CHECK(shown.find(key) == std::string::npos);
    CHECK(shown.find(doc["key"].get<std::string>()) == std::string::npos);
  }
  CHECK(home.gw({"consumer", "list"}).out.find("3 api keys") != std::string::npos);
}

TEST_CASE("key revoke removes the key by id, an unknown id exits 3", "[cli][consumer][exit]") {
  CliHome home;
  REQUIRE(home.gw({"consumer", "add", "acme"}).exit_code == 0);
  createKey(home, "acme");
  const auto keys =
      nlohmann::json::parse(home.gw({"consumer", "key", "list", "acme", "-o", "json"}).out);
  REQUIRE(keys.size() == 1);
  const std::string id = keys[0]["id"];

  const std::string before = home.config();
  auto unknown = home.gw({"consumer", "key", "revoke", "acme", "0badc0de"});
  CHECK(unknown.exit_code == 3);
  CHECK(unknown.err == "error: consumer \"acme\" has no API key 0badc0de\n");
  CHECK(home.config() == before);

  auto revoked = home.gw({"consumer", "key", "revoke", "acme", id});
  CHECK(revoked.exit_code == 0);
  CHECK(home.config().find(id) == std::string::npos);
  CHECK(nlohmann::json::parse(home.gw({"consumer", "key", "list", "acme", "-o", "json"}).out)
            .empty());
}

TEST_CASE("a consumer a route names cannot be deleted until the route lets go",
          "[cli][consumer][exit]") {
  CliHome home;
  home.seed();
  REQUIRE(home.gw({"consumer", "add", "acme"}).exit_code == 0);
  REQUIRE(home.gw({"route", "update", "shop", "--auth", "api-key", "--allow-consumer", "acme"})
              .exit_code == 0);
  const std::string before = home.config();

  auto refused = home.gw({"consumer", "delete", "acme"});
  CHECK(refused.exit_code == 2);
  CHECK(refused.err == "error: consumer \"acme\" is named by routes: shop; change them first\n");
  CHECK(home.config() == before);

  REQUIRE(home.gw({"route", "update", "shop", "--allow-consumer", ""}).exit_code == 0);
  CHECK(home.gw({"consumer", "delete", "acme"}).exit_code == 0);
  CHECK(home.config().find("acme") == std::string::npos);
}

TEST_CASE("consumer and access flags with bad values are usage errors", "[cli][consumer][exit]") {
  CliHome home;
  home.seed();
  REQUIRE(home.gw({"consumer", "add", "acme"}).exit_code == 0);
  const std::string before = home.config();

  auto [args, message] = GENERATE(table<std::vector<std::string>, std::string>({
      {{"consumer", "add", "bad", "--group", "Bad Name"},
       "error: --group: must be lower-case letters, digits, '.' and '-' (got \"Bad Name\")\n"},
      {{"consumer", "update", "acme", "--group", "Bad Name"},
       "error: --group: must be lower-case letters, digits, '.' and '-' (got \"Bad Name\")\n"},
      {{"route", "update", "shop", "--cors-method", "PUT"},
       "error: --cors-method, --cors-header, ... need --cors-origin\n"},
  }));
  auto r = home.gw(args);
  CHECK(r.exit_code == 2);
  CHECK(r.err == message);
  CHECK(home.config() == before);
}
