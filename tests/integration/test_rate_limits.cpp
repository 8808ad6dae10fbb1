// Rate limits through a running gw: set with the CLI, counted exactly across 8 clients at
// once, answered 429 with their fields, kept across a reload that leaves them alone, and
// counted per route in the admin API.

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "tests/integration/access_story.hpp"

namespace gw::test {

namespace {

// How many times the field `name` (lower case) is in the answer's head.
int fieldCount(const HttpResponse& answer, const std::string& name) {
  int count = 0;
  for (auto at = answer.headers.find("\n" + name + ":"); at != std::string::npos;
       at = answer.headers.find("\n" + name + ":", at + 1)) {
    ++count;
  }
  return count;
}

}  // namespace

TEST_CASE("a rate limit admits its budget exactly from 8 clients at once, then answers 429",
          "[ratelimit]") {
  AccessStory story;
  story.must({"route", "update", "shop", "--rate-limit", "100/1m"});
  std::atomic<int> ok{0};
  std::atomic<int> limited{0};
  std::atomic<int> other{0};
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> clients;
  for (int c = 0; c < 8; ++c) {
    clients.emplace_back([&] {
      const auto codes = burstOf(story.port(), 40);
      ok += countOf(codes, 200);
      limited += countOf(codes, 429);
      other += static_cast<int>(codes.size()) - countOf(codes, 200) - countOf(codes, 429);
    });
  }
  for (auto& client : clients) {
    client.join();
  }
  const auto elapsed = std::chrono::steady_clock::now() - start;
  // 100 at once, then one more every 600 ms of the run: nothing else.
  const int refilled = static_cast<int>(elapsed / std::chrono::milliseconds(600));
  INFO("elapsed " << std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count()
                  << " ms");
  CHECK(other == 0);
  CHECK(ok >= 100);
  CHECK(ok <= 100 + refilled + 1);
  CHECK(ok + limited == 320);

  const HttpResponse refused = story.get("shop.test");
  CHECK(refused.status == 429);
  CHECK(refused.header("x-gw-error") == "rate_limited");
  const int retry_after = std::stoi(refused.header("retry-after"));
  CHECK(retry_after >= 1);
  CHECK(retry_after <= 1);  // one request is 600 ms away at most: rounded up, 1 s
  CHECK(refused.header("ratelimit-policy") == "\"limit-0\";q=100;w=60");
  CHECK(refused.header("ratelimit").rfind("\"limit-0\";r=0;t=", 0) == 0);
  // The open route has no limit and no fields.
  const HttpResponse open = story.get("open.test");
  CHECK(open.status == 200);
  CHECK(open.header("ratelimit").empty());

  const auto stats = story.statsWhen([&](const nlohmann::json& s) {
    return s["routes"]["shop"].contains("access") &&
           s["routes"]["shop"]["access"]["refused"].value("rate_limited", 0) >= limited + 1;
  });
  CHECK(stats["routes"]["shop"]["access"]["allowed"] == ok.load());
}

TEST_CASE("limits by header, shadow mode, legacy fields, and a reload that keeps the budget",
          "[ratelimit]") {
  AccessStory story;
  story.must({"route", "update", "shop", "--rate-limit", "3/1h", "--limit-by", "header:x-tenant",
              "--limit-headers", "legacy"});
  auto a = burstOf(story.port(), 5, {"-H", "x-tenant: a"});
  CHECK(countOf(a, 200) == 3);
  CHECK(countOf(a, 429) == 2);
  CHECK(countOf(burstOf(story.port(), 4, {"-H", "x-tenant: b"}), 200) == 3);
  // The upstream's own fields of those names give way to the gateway's.
  const HttpResponse legacy =
      story.get("shop.test", "/_echo?field=X-RateLimit-Remaining", {"-H", "x-tenant: c"});
  CHECK(legacy.header("x-ratelimit-limit") == "3");
  CHECK(legacy.header("x-ratelimit-remaining") == "2");
  CHECK(legacy.header("ratelimit").empty());
  CHECK(fieldCount(legacy, "x-ratelimit-remaining") == 1);

  // Another route changing leaves this limit (and tenant a's spent budget) as it was.
  story.must({"route", "update", "open", "--timeout", "20s"});
  CHECK(story.get("shop.test", "/_echo", {"-H", "x-tenant: a"}).status == 429);

  // Shadow: nothing refused, the would-be refusals counted.
  story.must({"route", "update", "shop", "--limit-mode", "shadow"});
  CHECK(countOf(burstOf(story.port(), 5, {"-H", "x-tenant: a"}), 200) == 5);
  const auto stats = story.statsWhen([](const nlohmann::json& s) {
    return s["routes"]["shop"]["access"].value("shadowLimited", 0) >= 2;
  });
  CHECK(stats["routes"]["shop"]["access"]["shadowLimited"] == 2);
  const std::string explained = story.must({"route", "explain", "http://shop.test/"});
  CHECK(explained.find("rate limits: 3/1h per header:x-tenant (shadow: refuses nothing)") !=
        std::string::npos);
}

TEST_CASE("an admitted answer carries the gateway's RateLimit fields, not the upstream's",
          "[ratelimit]") {
  AccessStory story;
  story.must({"route", "update", "shop", "--rate-limit", "5/1m"});
  const HttpResponse plain = story.get("shop.test", "/_echo?field=RateLimit");
  CHECK(plain.status == 200);
  CHECK(plain.header("ratelimit-policy") == "\"limit-0\";q=5;w=60");
  CHECK(plain.header("ratelimit").rfind("\"limit-0\";r=4;t=", 0) == 0);
  CHECK(fieldCount(plain, "ratelimit") == 1);

  // With response edits on the route, the fields are there before the edits, which have the
  // last word (the limit is unchanged, so its budget too).
  story.must({"route", "update", "shop", "--response-header-set", "x-edited=yes"});
  const HttpResponse edited = story.get("shop.test", "/_echo?field=RateLimit-Policy");
  CHECK(edited.header("x-edited") == "yes");
  CHECK(edited.header("ratelimit").rfind("\"limit-0\";r=3;t=", 0) == 0);
  CHECK(edited.header("ratelimit-policy") == "\"limit-0\";q=5;w=60");
  CHECK(fieldCount(edited, "ratelimit-policy") == 1);
  story.must({"route", "update", "shop", "--response-header-remove", "ratelimit"});
  const HttpResponse removed = story.get("shop.test");
  CHECK(removed.status == 200);
  CHECK(removed.header("ratelimit").empty());
  CHECK_FALSE(removed.header("ratelimit-policy").empty());
}

TEST_CASE("rate-limit flags that cannot work are refused and change nothing", "[ratelimit]") {
  AccessStory story;
  const auto before = readText(story.home().file("config.yaml"));
  RunResult r = story.home().gw({"route", "update", "shop", "--rate-limit", "100/1x"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("--rate-limit: expected a rate such as 100/1m or 5/1s (got \"100/1x\")") !=
        std::string::npos);
  r = story.home().gw({"route", "update", "shop", "--rate-limit", "0/1m"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("rateLimits[0].rate: must admit at least 1 request (got 0/1m)") !=
        std::string::npos);
  r = story.home().gw({"route", "update", "shop", "--burst", "5"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("need --rate-limit") != std::string::npos);
  r = story.home().gw(
      {"route", "update", "shop", "--rate-limit", "5/1s", "--limit-store", "redis"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("redis needs the document's redis section") != std::string::npos);
  CHECK(readText(story.home().file("config.yaml")) == before);
  CHECK(story.get("shop.test").status == 200);
}

}  // namespace gw::test

namespace gw::test {

TEST_CASE("a plan's rate limit holds each of its consumers on every route", "[ratelimit][plan]") {
  AccessStory story;
  story.must({"consumer", "add", "acme"});
  story.must({"consumer", "add", "bob"});
  const std::string acme = story.createKey("acme");
  const std::string bob = story.createKey("bob");
  for (const std::string route : {"shop", "open"}) {
    story.must({"route", "update", route, "--auth", "api-key"});
  }
  story.must({"plan", "add", "free", "--quota", "1000/day", "--rate-limit", "5/1s"});
  story.must({"consumer", "update", "acme", "--plan", "free"});

  // As gw(1)'s example: ten requests at once, five pass.
  const auto codes = burstOf(story.port(), 10, {"-H", "x-api-key: " + acme});
  CHECK(countOf(codes, 200) == 5);
  CHECK(countOf(codes, 429) == 5);
  // The same budget on another route; bob has no plan and no limit.
  const HttpResponse other = story.get("open.test", "/_echo", {"-H", "x-api-key: " + acme});
  CHECK(other.status == 429);
  CHECK(other.header("ratelimit-policy") == "\"plan-free\";q=5;w=1");
  CHECK(countOf(burstOf(story.port(), 10, {"-H", "x-api-key: " + bob}), 200) == 10);
  const std::string explained = story.must({"route", "explain", "http://shop.test/"});
  CHECK(explained.find("rate limits: the consumer's plan's") != std::string::npos);
}

}  // namespace gw::test
