// Rate limits: the GCRA step, the sharded local limiter under 8 threads, and the filter run
// against an Exchange without sockets (429 and its fields, shadow mode, several limits, keys).

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "core/config/model.hpp"
#include "proxy/exchange/limit_fields.hpp"
#include "proxy/filter/build.hpp"
#include "proxy/filter/rate_limit/gcra.hpp"
#include "proxy/filter/rate_limit/local_limiter.hpp"
#include "tests/proxy/exchange/exchange_fixture.hpp"

namespace gw::test {
namespace {

using proxy::Exchange;
using proxy::filter::GcraParams;
using proxy::filter::Status;
namespace http = boost::beast::http;

constexpr std::int64_t kMs = 1'000'000;
constexpr std::int64_t kSecond = 1'000 * kMs;

core::RateLimit limitOf(const std::string& rate) {
  core::RateLimit limit;
  limit.rate = *core::parseRate(rate);
  return limit;
}

core::Config configWith(std::vector<core::RateLimit> route_limits,
                        std::vector<core::RateLimit> gateway_limits = {}) {
  core::Config config;
  core::Gateway edge;
  edge.name = "edge";
  edge.rate_limits = std::move(gateway_limits);
  config.gateways = {edge};
  core::Route route;
  route.name = "shop";
  route.gateway = "edge";
  route.destinations = {{"frontend", 100}};
  route.rate_limits = std::move(route_limits);
  config.routes = {route};
  return config;
}

struct Built {
  core::Config config;
  proxy::filter::StateRegistry& states;
  std::vector<std::string> problems;
  proxy::filter::FilterChain chain;

  Built(core::Config c, proxy::filter::StateRegistry& registry)
      : config(std::move(c)), states(registry) {
    chain = proxy::filter::buildChain(config, &config.gateways.front(), config.routes.front(),
                                      states, problems);
    REQUIRE(problems.empty());
  }

  // The status, with the exchange kept for its answer.
  Status run(Exchange& exchange, const std::string& headers = "",
             std::string_view client = "127.0.0.1") {
    parseInto(exchange, "GET /cart HTTP/1.1\r\nHost: shop.test\r\n" + headers + "\r\n");
    exchange.client_ip = client;
    TestHost host;
    return chain.runRequest(exchange, host);
  }
  int passed(int requests, const std::string& headers = "", std::string_view client = "10.0.0.1") {
    int n = 0;
    for (int i = 0; i < requests; ++i) {
      auto exchange = std::make_unique<Exchange>();
      n += run(*exchange, headers, client) == Status::kContinue ? 1 : 0;
    }
    return n;
  }
};

}  // namespace

TEST_CASE("GCRA: a burst at once, then one per interval, a cost counts as that many",
          "[filter][ratelimit]") {
  const GcraParams p{200 * kMs, 5};  // 5/1s
  std::int64_t tat = 0;
  const std::int64_t t0 = 1000 * kSecond;
  for (int i = 0; i < 5; ++i) {
    const auto d = proxy::filter::gcraStep(tat, t0, p, 1);
    REQUIRE(d.allowed);
    CHECK(d.remaining == 4 - i);
  }
  auto refused = proxy::filter::gcraStep(tat, t0, p, 1);
  CHECK_FALSE(refused.allowed);
  CHECK(refused.remaining == 0);
  CHECK(refused.retry_after_ns == 200 * kMs);
  CHECK(refused.reset_ns == kSecond);
  // One interval later, one more; a refusal moved nothing.
  CHECK(proxy::filter::gcraStep(tat, t0 + 200 * kMs, p, 1).allowed);
  CHECK_FALSE(proxy::filter::gcraStep(tat, t0 + 200 * kMs, p, 1).allowed);
  // A full second of quiet refills the whole burst, and a cost of 3 takes three.
  const auto later = t0 + 3 * kSecond;
  auto costly = proxy::filter::gcraStep(tat, later, p, 3);
  CHECK(costly.allowed);
  CHECK(costly.remaining == 2);
  CHECK_FALSE(proxy::filter::gcraStep(tat, later, p, 3).allowed);
}

TEST_CASE("the local limiter admits exactly the budget from 8 threads", "[filter][ratelimit]") {
  // 100 per hour: nothing refills during the test, so exactly 100 pass, whatever the threads.
  proxy::filter::LocalLimiter limiter({36 * kSecond, 100});
  std::atomic<int> passed{0};
  std::vector<std::thread> threads;
  const std::int64_t now = 5 * kSecond;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 50; ++i) {
        if (limiter.take("the-key", now, 1).allowed) {
          passed.fetch_add(1);
        }
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  CHECK(passed.load() == 100);
  CHECK(limiter.keys() == 1);
  // Another key has its own budget; a refund gives one back.
  CHECK(limiter.take("other", now, 1).allowed);
  limiter.refund("the-key", 1);
  CHECK(limiter.take("the-key", now, 1).allowed);
  CHECK_FALSE(limiter.take("the-key", now, 1).allowed);
}

TEST_CASE("the local limiter stays bounded and forgets only what it can", "[filter][ratelimit]") {
  // 4 keys a shard: 256 at most. A budget of 1 a second.
  proxy::filter::LocalLimiter limiter({kSecond, 1}, 4);
  CHECK(limiter.take("busy", 0, 1).allowed);
  CHECK_FALSE(limiter.take("busy", 0, 1).allowed);
  for (int i = 0; i < 1000; ++i) {  // every budget in use: some keys must go anyway
    CHECK(limiter.take("k" + std::to_string(i), 0, 1).allowed);
  }
  CHECK(limiter.keys() <= 256);
  // Ten seconds on, every budget is whole again: the idle keys are dropped first, and a key
  // this thread still holds (perhaps dropped meanwhile) counts right.
  for (int i = 0; i < 1000; ++i) {
    CHECK(limiter.take("n" + std::to_string(i), 10 * kSecond, 1).allowed);
  }
  CHECK(limiter.keys() <= 256);
  CHECK(limiter.take("busy", 10 * kSecond, 1).allowed);
  CHECK_FALSE(limiter.take("busy", 10 * kSecond, 1).allowed);
  limiter.refund("busy", 1);
  CHECK(limiter.take("busy", 10 * kSecond, 1).allowed);
}

TEST_CASE("a limited route answers 429 with Retry-After and the RateLimit fields",
          "[filter][ratelimit]") {
  proxy::filter::StateRegistry states;
  core::RateLimit limit = limitOf("3/1m");
  limit.name = "per-minute";
  Built built(configWith({limit}), states);
  for (int i = 0; i < 3; ++i) {
    auto exchange = std::make_unique<Exchange>();
    REQUIRE(built.run(*exchange) == Status::kContinue);
    http::response_header<> head;
    head.set("RateLimit", "upstream's");
    writeLimitFields(exchange->facts.rate_limit, head);
    CHECK(head["ratelimit-policy"] == "\"per-minute\";q=3;w=60");
    const std::string value =
        "\"per-minute\";r=" + std::to_string(2 - i) + ";t=" + std::to_string(20 * (i + 1));
    CHECK(head["ratelimit"] == value);
    CHECK(head.count("ratelimit") == 1);  // replaced, not added
    // The same fields as lines of a head the gateway writes itself.
    std::string lines;
    appendLimitFields(exchange->facts.rate_limit, lines);
    CHECK(lines == "ratelimit-policy: \"per-minute\";q=3;w=60\r\nratelimit: " + value + "\r\n");
  }
  auto refused = std::make_unique<Exchange>();
  REQUIRE(built.run(*refused) == Status::kAnswer);
  CHECK(refused->local.result_int() == 429);
  CHECK(refused->local["x-gw-error"] == "rate_limited");
  CHECK(refused->local["retry-after"] == "20");
  writeLimitFields(refused->facts.rate_limit, refused->local.base());  // as the session does
  CHECK(refused->local["ratelimit"] == "\"per-minute\";r=0;t=60");
  CHECK(refused->reason == proxy::Reason::kRateLimited);
}

TEST_CASE("legacy fields, shadow mode, and a refusal by a later limit costs the earlier nothing",
          "[filter][ratelimit]") {
  proxy::filter::StateRegistry states;
  SECTION("legacy X-RateLimit-* fields, Retry-After at least 1") {
    core::RateLimit limit = limitOf("10/1s");
    limit.headers = core::RateLimit::Headers::kLegacy;
    limit.burst = 1;
    Built built(configWith({limit}), states);
    auto first = std::make_unique<Exchange>();
    REQUIRE(built.run(*first) == Status::kContinue);
    auto second = std::make_unique<Exchange>();
    REQUIRE(built.run(*second) == Status::kAnswer);
    writeLimitFields(second->facts.rate_limit, second->local.base());
    CHECK(second->local["x-ratelimit-limit"] == "1");
    CHECK(second->local["x-ratelimit-remaining"] == "0");
    CHECK(second->local["retry-after"] == "1");  // 100 ms rounds up, never to 0
    CHECK(second->local.find("ratelimit") == second->local.end());
  }
  SECTION("shadow counts and refuses nothing, without fields") {
    core::RateLimit limit = limitOf("2/1h");
    limit.mode = core::RateLimit::Mode::kShadow;
    Built built(configWith({limit}), states);
    CHECK(built.passed(2) == 2);
    auto over = std::make_unique<Exchange>();
    REQUIRE(built.run(*over, "", "10.0.0.1") == Status::kContinue);
    CHECK(over->facts.shadow_limited);
    CHECK(over->facts.rate_limit.name == nullptr);
  }
  SECTION("every limit must pass; the gateway's counts after the route's access control") {
    core::RateLimit hourly = limitOf("3/1h");
    core::RateLimit minutely = limitOf("2/1m");
    Built built(configWith({minutely}, {hourly}), states);
    CHECK(built.passed(5) == 2);  // the minute's 2; the refused 3 cost the hour nothing
    // So the hour still has 1 left: a fresh minute budget (another route's state) would see it.
    core::Config other = configWith({}, {hourly});
    Built gateway_only(other, states);
    CHECK(gateway_only.passed(3) == 1);
  }
}

TEST_CASE("keys: per client address, per header, per consumer with anonymous by address",
          "[filter][ratelimit]") {
  proxy::filter::StateRegistry states;
  core::RateLimit by_ip = limitOf("2/1h");
  by_ip.by = {"ip"};
  Built ip(configWith({by_ip}), states);
  CHECK(ip.passed(3, "", "10.0.0.1") == 2);
  CHECK(ip.passed(3, "", "10.0.0.2") == 2);

  proxy::filter::StateRegistry header_states;
  core::RateLimit by_tenant = limitOf("1/1h");
  by_tenant.by = {"header:x-tenant"};
  Built tenant(configWith({by_tenant}), header_states);
  CHECK(tenant.passed(2, "x-tenant: a\r\n") == 1);
  CHECK(tenant.passed(2, "x-tenant: b\r\n") == 1);

  proxy::filter::StateRegistry consumer_states;
  core::RateLimit by_consumer = limitOf("1/1h");
  by_consumer.by = {"consumer"};
  Built consumer(configWith({by_consumer}), consumer_states);
  auto acme = std::make_unique<Exchange>();
  acme->facts.consumer = "acme";
  CHECK(consumer.run(*acme, "", "10.0.0.9") == Status::kContinue);
  CHECK(consumer.passed(1, "", "10.0.0.9") == 1);  // anonymous from the same address: its own
  auto again = std::make_unique<Exchange>();
  again->facts.consumer = "acme";
  CHECK(consumer.run(*again, "", "10.0.0.7") == Status::kAnswer);
}

TEST_CASE("a limit's budget survives a reload that leaves it alone, and restarts when it changes",
          "[filter][ratelimit]") {
  proxy::filter::StateRegistry states;
  core::RateLimit limit = limitOf("2/1h");
  {
    Built first(configWith({limit}), states);
    CHECK(first.passed(2) == 2);
  }
  {
    Built same(configWith({limit}), states);
    CHECK(same.passed(1) == 0);
  }
  limit.rate = *core::parseRate("3/1h");
  Built changed(configWith({limit}), states);
  CHECK(changed.passed(4) == 3);
}

}  // namespace gw::test
