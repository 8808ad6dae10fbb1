// Access control as a user sets it up with the CLI and meets it through the running proxy:
// API keys and basic-auth users, groups, what the backend is told, and the counters in the
// admin API. IP lists, shadow mode, CORS and refused documents: test_access_network.cpp.
#include <algorithm>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tests/integration/access_story.hpp"

using namespace gw::test;

namespace {

// The id of a consumer's only API key, as `gw consumer key list -o json` shows it.
std::string onlyKeyId(const AccessStory& story, const std::string& consumer) {
  const auto keys =
      nlohmann::json::parse(story.must({"consumer", "key", "list", consumer, "-o", "json"}));
  REQUIRE(keys.size() == 1);
  return keys[0]["id"].get<std::string>();
}

std::string sha256Hex(const std::string& text) {
  const RunResult r = run({"sha256sum"}, {}, text);
  REQUIRE(r.exit_code == 0);
  return r.out.substr(0, 64);
}

}  // namespace

TEST_CASE("an API key lets its consumer in, names it upstream and stops at once when revoked",
          "[access][api-key]") {
  AccessStory story;
  story.must({"consumer", "add", "acme", "--group", "paid"});
  const std::string key = story.createKey("acme");
  CHECK(key.rfind("gw_", 0) == 0);
  CHECK(key.find('\n') == std::string::npos);
  story.must({"route", "update", "shop", "--auth", "api-key", "--allow-group", "paid"});

  const HttpResponse missing = story.get("shop.test");
  CHECK(missing.status == 401);
  CHECK(missing.header("x-gw-error") == "auth_missing");
  CHECK(missing.header("www-authenticate").find("x-api-key") != std::string::npos);

  // A client cannot name itself: the gateway's own consumer headers replace any it sends.
  const HttpResponse allowed = story.get("shop.test", "/_echo",
                                         {"-H", "x-api-key: " + key, "-H", "x-gw-consumer: evil",
                                          "-H", "x-gw-consumer-groups: admin"});
  REQUIRE(allowed.status == 200);
  const auto upstream = AccessStory::upstreamHeaders(allowed);
  CHECK(upstream.value("x-gw-consumer", "") == "acme");
  CHECK(upstream.value("x-gw-consumer-groups", "") == "paid");
  CHECK_FALSE(upstream.contains("x-api-key"));

  const HttpResponse wrong = story.get("shop.test", "/_echo", {"-H", "x-api-key: gw_nope_nope"});
  CHECK(wrong.status == 401);
  CHECK(wrong.header("x-gw-error") == "auth_invalid");
  CHECK_FALSE(wrong.header("www-authenticate").empty());

  SECTION("consumer headers sent by a client never reach a route without auth") {
    const HttpResponse open = story.get(
        "open.test", "/_echo", {"-H", "x-gw-consumer: evil", "-H", "x-gw-consumer-groups: paid"});
    REQUIRE(open.status == 200);
    const auto seen = AccessStory::upstreamHeaders(open);
    CHECK_FALSE(seen.contains("x-gw-consumer"));
    CHECK_FALSE(seen.contains("x-gw-consumer-groups"));
  }

  SECTION("a consumer outside the allowed group is forbidden") {
    story.must({"consumer", "add", "bob"});
    const std::string bob_key = story.createKey("bob");
    const HttpResponse refused = story.get("shop.test", "/_echo", {"-H", "x-api-key: " + bob_key});
    CHECK(refused.status == 403);
    CHECK(refused.header("x-gw-error") == "forbidden");
  }

  SECTION("a revoked key is refused by the very next request") {
    story.must({"consumer", "key", "revoke", "acme", onlyKeyId(story, "acme")});
    const HttpResponse revoked = story.get("shop.test", "/_echo", {"-H", "x-api-key: " + key});
    CHECK(revoked.status == 401);
    CHECK(revoked.header("x-gw-error") == "auth_invalid");
  }

  SECTION("the document keeps the key's SHA-256, never the key") {
    const std::string config = story.home().config();
    CHECK(config.find(key) == std::string::npos);
    CHECK(config.find(key.substr(key.rfind('_') + 1)) == std::string::npos);
    CHECK(config.find("sha256: " + sha256Hex(key)) != std::string::npos);
  }
}

TEST_CASE("the admin API counts each route's verdicts by reason and each consumer's requests",
          "[access][stats]") {
  AccessStory story;
  story.must({"consumer", "add", "acme", "--group", "paid"});
  story.must({"consumer", "add", "bob"});
  const std::string key = story.createKey("acme");
  const std::string bob_key = story.createKey("bob");
  story.must({"route", "update", "shop", "--auth", "api-key", "--allow-group", "paid"});

  for (int i = 0; i < 3; ++i) {
    CHECK(story.get("shop.test").status == 401);
  }
  CHECK(story.get("shop.test", "/_echo", {"-H", "x-api-key: gw_bad_key"}).status == 401);
  CHECK(story.get("shop.test", "/_echo", {"-H", "x-api-key: " + bob_key}).status == 403);
  for (int i = 0; i < 2; ++i) {
    CHECK(story.get("shop.test", "/_echo", {"-H", "x-api-key: " + key}).status == 200);
  }

  const auto stats = story.statsWhen([](const nlohmann::json& s) {
    return s["routes"]["shop"].contains("access") &&
           s["routes"]["shop"]["access"].value("allowed", 0) == 2;
  });
  const auto& access = stats["routes"]["shop"]["access"];
  CHECK(access["allowed"] == 2);
  CHECK(access["refused"]["auth_missing"] == 3);
  CHECK(access["refused"]["auth_invalid"] == 1);
  CHECK(access["refused"]["forbidden"] == 1);
  CHECK(access["refused"]["ip_denied"] == 0);
  CHECK(access["shadowDenied"] == 0);
  CHECK(stats["consumers"]["acme"]["requests"] == 2);
  CHECK(stats["consumers"]["acme"]["2xx"] == 2);
  CHECK(stats["consumers"]["bob"]["4xx"] == 1);
  // A route without access control has no verdicts to show.
  CHECK_FALSE(stats["routes"]["open"].contains("access"));

  const auto status = story.adminJson("/v1/status");
  const auto shop = std::find_if(status["routes"].begin(), status["routes"].end(),
                                 [](const nlohmann::json& r) { return r["name"] == "shop"; });
  REQUIRE(shop != status["routes"].end());
  CHECK((*shop)["access"] == access);

  const HttpResponse metrics = story.admin("/metrics");
  REQUIRE(metrics.status == 200);
  CHECK(metrics.body.find("\ngw_access_decisions_total{route=\"shop\",decision=\"auth_missing\"} "
                          "3\n") != std::string::npos);
  CHECK(metrics.body.find("\ngw_access_decisions_total{route=\"shop\",decision=\"allowed\"} 2\n") !=
        std::string::npos);
  CHECK(
      metrics.body.find("\ngw_consumer_requests_total{consumer=\"acme\",code_class=\"2xx\"} 2\n") !=
      std::string::npos);
}

// gw(1): with --authz-mode shadow "what the rules would refuse is counted (gw status,
// shadowDenied in /v1/stats)". The proxy's /v1/status has each route's "access"; the CLI's
// status is where a user looks for it.
TEST_CASE("gw status shows each route's access verdicts and each consumer's requests",
          "[access][stats]") {
  AccessStory story;
  story.must({"consumer", "add", "acme"});
  story.must({"route", "update", "shop", "--auth", "api-key"});
  CHECK(story.get("shop.test").status == 401);
  const std::string key = story.createKey("acme");
  CHECK(story.get("shop.test", "/_echo", {"-H", "x-api-key: " + key}).status == 200);

  const auto status = nlohmann::json::parse(story.must({"status", "-o", "json"}));
  REQUIRE(status["consumers"].size() == 1);
  CHECK(status["consumers"][0]["name"] == "acme");
  CHECK(status["consumers"][0]["requests"] == 1);
  CHECK(status["consumers"][0]["2xx"] == 1);
  const std::string table = story.must({"status"});
  CHECK(table.find("CONSUMERS") != std::string::npos);
  CHECK(table.find("ALLOWED") != std::string::npos);
  const auto routes = status["routes"];
  const auto shop = std::find_if(routes.begin(), routes.end(),
                                 [](const nlohmann::json& r) { return r["name"] == "shop"; });
  REQUIRE(shop != routes.end());
  INFO("gw status -o json route: " << shop->dump());
  REQUIRE(shop->contains("access"));
  CHECK((*shop)["access"]["refused"]["auth_missing"] == 1);
  CHECK((*shop)["access"]["allowed"] == 1);
}

TEST_CASE("basic auth takes htpasswd bcrypt hashes and passwords typed on stdin",
          "[access][basic]") {
  const RunResult htpasswd = run({"htpasswd", "-nbB", "alice", "correct horse"});
  REQUIRE(htpasswd.exit_code == 0);
  const std::string line = chomp(htpasswd.out);
  const std::string hash = line.substr(line.find(':') + 1);
  REQUIRE(hash.rfind("$2y$", 0) == 0);

  AccessStory story;
  story.must({"consumer", "add", "acme", "--group", "paid"});
  story.must({"consumer", "basic", "set", "acme", "alice", "--hash", hash});
  story.must({"route", "update", "shop", "--auth", "basic"});

  const HttpResponse right = story.get("shop.test", "/_echo", {"-u", "alice:correct horse"});
  REQUIRE(right.status == 200);
  const auto upstream = AccessStory::upstreamHeaders(right);
  CHECK(upstream.value("x-gw-consumer", "") == "acme");
  CHECK(upstream.value("x-gw-consumer-groups", "") == "paid");
  CHECK_FALSE(upstream.contains("authorization"));

  const HttpResponse wrong = story.get("shop.test", "/_echo", {"-u", "alice:wrong horse"});
  CHECK(wrong.status == 401);
  CHECK(wrong.header("x-gw-error") == "auth_invalid");
  CHECK(wrong.header("www-authenticate").rfind("Basic ", 0) == 0);

  const HttpResponse none = story.get("shop.test");
  CHECK(none.status == 401);
  CHECK(none.header("x-gw-error") == "auth_missing");

  // Without --hash the password is one line on stdin, saved only as a bcrypt hash.
  story.must({"consumer", "basic", "set", "acme", "bob"}, "typed-on-stdin\n");
  CHECK(story.home().config().find("typed-on-stdin") == std::string::npos);
  const HttpResponse typed = story.get("shop.test", "/_echo", {"-u", "bob:typed-on-stdin"});
  CHECK(typed.status == 200);
  CHECK(AccessStory::upstreamHeaders(typed).value("x-gw-consumer", "") == "acme");
}
