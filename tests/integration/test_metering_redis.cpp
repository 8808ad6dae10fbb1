// Metering into a shared redis-server: two gw instances with two homes count their consumers'
// requests once each in one place, `gw usage` in either home reads the sum, and a plan's
// quota is shared: together the gateways admit the quota, not twice it.

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

#include "tests/integration/metered_story.hpp"
#include "tests/support/redis_server.hpp"

namespace gw::test {
namespace {

using namespace std::chrono_literals;

// gw config export | (add the redis section, meter into it) | gw config apply -f -
void meterIntoRedis(const AccessStory& story, const RedisServer& redis) {
  std::string document = story.must({"config", "export"});
  REQUIRE(document.find("metering:") == std::string::npos);
  document += "redis:\n  address: \"" + redis.address() + "\"\nmetering:\n  store: redis\n";
  story.must({"config", "apply", "-f", "-"}, document);
}

}  // namespace

TEST_CASE("two gateways metering into one Redis count each request once and share a quota",
          "[metering][redis]") {
  RedisServer redis;
  MeteredStory first;
  MeteredStory second;
  for (MeteredStory* m : {&first, &second}) {
    meterIntoRedis(m->story, redis);
    m->story.must({"plan", "add", "small", "--quota", "14/day"});
    m->story.must({"consumer", "update", "acme", "--plan", "small"});
  }

  CHECK(countOf(first.burst(10), 200) == 10);
  // Either home's `gw usage` reads the shared store.
  const auto after_first = second.usageWhen(
      {"--consumer", "acme"}, [](const nlohmann::json& r) { return sumOf(r, "requests") >= 10; });
  CHECK(sumOf(after_first, "requests") == 10);
  CHECK_FALSE(std::filesystem::exists(first.story.home().file("usage.db")));  // not SQLite

  // The second gateway's first request is admitted on what it last knew; its flush then
  // brings the quota up to date with the first gateway's 10.
  CHECK(countOf(second.burst(1), 200) == 1);
  std::this_thread::sleep_for(1500ms);
  const auto codes = second.burst(5);
  CHECK(countOf(codes, 200) == 3);  // 10 + 1 + 3 = the quota of 14
  CHECK(countOf(codes, 429) == 2);
  // And the first gateway, once its own flush has read the second's, refuses as well.
  std::this_thread::sleep_for(1500ms);
  const HttpResponse refused =
      first.story.get("shop.test", "/_echo", {"-H", "x-api-key: " + first.key});
  CHECK(refused.status == 429);
  CHECK(refused.header("x-gw-error") == "quota_exceeded");

  // Every request counted once: 10 + 1 + 5 + 1, of which 14 billable.
  const auto total = first.usageWhen(
      {"--consumer", "acme"}, [](const nlohmann::json& r) { return sumOf(r, "requests") >= 17; });
  CHECK(sumOf(total, "requests") == 17);
  CHECK(sumOf(total, "billable") == 14);
  std::this_thread::sleep_for(1s);  // more flushes: nothing is added twice
  CHECK(sumOf(nlohmann::json::parse(first.story.must({"usage", "-o", "json"})), "requests") == 17);
  CHECK(redis.cli({"--raw", "ZRANGE", "gw:usage:days", "0", "-1"}).size() == 11);  // one day

  // The invoice reads the shared store too.
  const auto invoice = nlohmann::json::parse(
      first.story.must({"usage", "invoice", "--period",
                        after_first[0]["day"].get<std::string>().substr(0, 7), "-o", "json"}));
  REQUIRE(invoice.size() == 1);
  CHECK(invoice[0]["billable"] == 14);
}

}  // namespace gw::test
