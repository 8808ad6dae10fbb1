// Rate limits shared through a real redis-server: two gw instances (two homes) count against
// one budget, and a Redis that stops answering costs no request more than the store's
// timeout, falls back as onStoreError says, shows in the status, and is used again once back.

#include <chrono>
#include <string>
#include <vector>

#include "tests/integration/access_story.hpp"
#include "tests/support/redis_server.hpp"

namespace gw::test {
namespace {

// gw config export | (add the redis section) | gw config apply -f -
void useRedis(const AccessStory& story, const RedisServer& redis, const std::string& timeout) {
  std::string document = story.must({"config", "export"});
  document += "redis:\n  address: \"" + redis.address() + "\"\n  timeout: " + timeout + "\n";
  story.must({"config", "apply", "-f", "-"}, document);
}

// `count` GETs of shop.test in one curl: each answer's status and time in seconds.
std::vector<std::pair<int, double>> timedBurst(std::uint16_t port, int count) {
  std::vector<std::string> argv{
      "curl", "-s", "-H", "Host: shop.test", "-w", "%{http_code} %{time_total}\\n"};
  for (int i = 0; i < count; ++i) {
    argv.insert(argv.end(),
                {"-o", "/dev/null", "http://127.0.0.1:" + std::to_string(port) + "/_echo"});
  }
  const RunResult r = run(argv, {}, "", std::chrono::seconds(30));
  std::vector<std::pair<int, double>> out;
  std::istringstream lines(r.out);
  int code = 0;
  double seconds = 0;
  while (lines >> code >> seconds) {
    out.emplace_back(code, seconds);
  }
  return out;
}

int passed(const std::vector<std::pair<int, double>>& answers) {
  int n = 0;
  for (const auto& [code, seconds] : answers) {
    n += code == 200 ? 1 : 0;
  }
  return n;
}

nlohmann::json redisStatus(const AccessStory& story) {
  const auto status = story.adminJson("/v1/status");
  REQUIRE(status["redis"].size() == 1);
  return status["redis"][0];
}

}  // namespace

TEST_CASE("two gateways with their own homes share one Redis limit", "[ratelimit][redis]") {
  RedisServer redis;
  AccessStory first;
  AccessStory second;
  for (const AccessStory* story : {&first, &second}) {
    useRedis(*story, redis, "200ms");
    story->must({"route", "update", "shop", "--rate-limit", "10/1h", "--limit-store", "redis"});
  }
  const int from_first = passed(timedBurst(first.port(), 8));
  const int from_second = passed(timedBurst(second.port(), 8));
  CHECK(from_first == 8);
  CHECK(from_second == 2);  // together they admit the limit, not twice it
  const HttpResponse refused = first.get("shop.test");
  CHECK(refused.status == 429);
  CHECK(refused.header("ratelimit-policy") == "\"limit-0\";q=10;w=3600");
  // One budget in Redis, under the route's name, with an expiry.
  CHECK(redis.cli({"--raw", "KEYS", "gw:rl:*"}) == "gw:rl:route/shop:limit-0:\n");
  CHECK(std::stoi(redis.cli({"PTTL", "gw:rl:route/shop:limit-0:"})) > 0);
  CHECK(redisStatus(first)["breaker"] == "closed");
}

TEST_CASE(
    "a Redis that stops answering delays no request past its timeout and the local count "
    "takes over until it is back",
    "[ratelimit][redis]") {
  RedisServer redis;
  AccessStory story;
  useRedis(story, redis, "50ms");
  story.must({"route", "update", "shop", "--rate-limit", "5/1h", "--limit-store", "redis"});
  CHECK(passed(timedBurst(story.port(), 2)) == 2);

  redis.pause();  // connections are accepted, nothing answers
  const auto answers = timedBurst(story.port(), 8);
  REQUIRE(answers.size() == 8);
  for (const auto& [code, seconds] : answers) {
    CHECK(seconds < 0.05 + 0.25);  // the timeout, and a slow machine's margin
  }
  // The breaker opened after a few timeouts; this gw's own count (onStoreError: local, the
  // default) gave its full budget of 5, then 429.
  CHECK(passed(answers) == 5);
  const auto open = redisStatus(story);
  CHECK(open["breaker"] == "open");
  CHECK(open["failures"].get<int>() >= 3);
  CHECK(open["lastError"].get<std::string>().find("no answer within 50ms") != std::string::npos);
  const std::string status = story.must({"status"});
  CHECK(status.find("redis " + redis.address() + " is not answering") != std::string::npos);

  // Back: after the breaker's second, calls go to Redis again and it closes.
  redis.resume();
  const auto calls_before = open["calls"].get<int>();
  const auto back = eventually(
      [&] {
        story.get("shop.test");
        const auto now = redisStatus(story);
        return now["breaker"] == "closed" && now["calls"].get<int>() > calls_before;
      },
      5s, 200ms);
  CHECK(back.held);
}

TEST_CASE("onStoreError deny refuses while Redis is down, allow lets everything by",
          "[ratelimit][redis]") {
  RedisServer redis;
  AccessStory story;
  useRedis(story, redis, "50ms");
  story.must({"route", "update", "shop", "--rate-limit", "100/1h", "--limit-store", "redis",
              "--limit-on-store-error", "deny"});
  redis.stop();  // connections refused at once
  const HttpResponse refused = story.get("shop.test");
  CHECK(refused.status == 429);
  CHECK(refused.header("retry-after") == "1");
  story.must({"route", "update", "shop", "--limit-on-store-error", "allow", "--rate-limit", "1/1h",
              "--limit-store", "redis"});
  CHECK(passed(timedBurst(story.port(), 3)) == 3);
}

}  // namespace gw::test
