// Rate limits, plans, the Redis store and metering in the document: decoded, validated with
// the field named, and encoded back to the same text; rates, quotas and money as text.

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "core/config/document.hpp"
#include "core/config/validate.hpp"
#include "tests/core/document_edits.hpp"

using namespace gw::core;

namespace {

using Lines = std::vector<std::string>;

const std::string kDocument = R"(apiVersion: gw/v1
gateways:
  - name: edge
    listeners:
      - protocol: http
        port: 8080
    rateLimits:
      - rate: 1000/1s
services:
  - name: frontend
    endpoints: ["127.0.0.1:9001"]
routes:
  - name: shop
    gateway: edge
    hosts: [shop.test]
    destinations:
      - service: frontend
    rateLimits:
      - name: per-client
        rate: 100/1m
        burst: 20
        by: [consumer, "header:x-tenant"]
        cost: 2
        store: redis
        onStoreError: deny
        mode: shadow
        headers: legacy
      - rate: 10000/1d
consumers:
  - name: acme
    plan: pro
plans:
  - name: pro
    quota: 50000/month
    rateLimit:
      rate: 5/1s
    price:
      currency: EUR
      monthly: "49.00"
      included: 40000
      perRequest: "0.0015"
  - name: free
    quota: 1000/day
redis:
  address: "127.0.0.1:6379"
  database: 2
  timeout: 20ms
metering:
  store: sqlite
  events: /var/log/gw/usage.jsonl
)";

std::string edited(const std::string& from, const std::string& to) {
  return gw::test::edited(kDocument, from, to);
}

using gw::test::problemsIn;

}  // namespace

TEST_CASE("rates, quotas and money read back what they write", "[limits]") {
  CHECK(parseRate("100/1m") == Rate{100, std::chrono::minutes(1)});
  CHECK(parseRate("5/s") == Rate{5, std::chrono::seconds(1)});
  CHECK(parseRate("20/10s") == Rate{20, std::chrono::seconds(10)});
  CHECK(parseRate("7/day") == Rate{7, std::chrono::hours(24)});
  CHECK_FALSE(parseRate("100/1x"));
  CHECK_FALSE(parseRate("100"));
  CHECK_FALSE(parseRate("-1/1s"));
  CHECK_FALSE(parseRate("/1s"));
  CHECK(formatRate(*parseRate("5/s")) == "5/1s");
  CHECK(parseQuota("1000/day") == Quota{1000, Quota::Period::kDay});
  CHECK(formatQuota(Quota{3, Quota::Period::kMonth}) == "3/month");
  CHECK_FALSE(parseQuota("1000/week"));
  CHECK(parseMoney("49") == 49'000'000);
  CHECK(parseMoney("0.0015") == 1500);
  CHECK(parseMoney("-2.5") == -2'500'000);
  CHECK_FALSE(parseMoney("1.1234567"));
  CHECK_FALSE(parseMoney("1."));
  CHECK_FALSE(parseMoney("abc"));
  CHECK(formatMoney(49'000'000) == "49.00");
  CHECK(formatMoney(1500) == "0.0015");
  CHECK(formatMoney(123'450'000) == "123.45");
}

TEST_CASE("limits, plans, redis and metering decode, validate and encode back", "[limits]") {
  auto decoded = decode(kDocument, "config.yaml");
  REQUIRE(decoded.ok());
  const Config& c = decoded->config;
  CHECK(validate(c).empty());
  REQUIRE(c.routes[0].rate_limits.size() == 2);
  const RateLimit& limit = c.routes[0].rate_limits[0];
  CHECK(limit.rate == Rate{100, std::chrono::minutes(1)});
  CHECK(limit.burst == 20);
  CHECK(limit.by == std::vector<std::string>{"consumer", "header:x-tenant"});
  CHECK(limit.cost == 2);
  CHECK(limit.store == RateLimit::Store::kRedis);
  CHECK(limit.on_store_error == RateLimit::OnStoreError::kDeny);
  CHECK(limit.mode == RateLimit::Mode::kShadow);
  CHECK(limit.headers == RateLimit::Headers::kLegacy);
  CHECK(c.routes[0].rate_limits[1].burstOrDefault() == 10000);
  CHECK(c.gateways[0].rate_limits[0].rate.requests == 1000);
  CHECK(c.consumers[0].plan == "pro");
  const Plan* pro = c.findPlan("pro");
  REQUIRE(pro != nullptr);
  CHECK(pro->quota == Quota{50000, Quota::Period::kMonth});
  CHECK(pro->rate_limit->by == std::vector<std::string>{"consumer"});
  CHECK(pro->price->per_request == 1500);
  CHECK(pro->price->monthly == 49'000'000);
  CHECK(c.redis->database == 2);
  CHECK(c.metering.store == Metering::Store::kSqlite);
  const std::string yaml = encodeYaml(c);
  auto again = decode(yaml, "config.yaml");
  REQUIRE(again.ok());
  CHECK(again->config.routes[0].rate_limits == c.routes[0].rate_limits);
  CHECK(again->config.plans == c.plans);
  CHECK(again->config.redis == c.redis);
  CHECK(again->config.metering == c.metering);
  CHECK(encodeYaml(again->config) == yaml);
}

TEST_CASE("bad limits and plans are refused with the file, line and field", "[limits]") {
  CHECK(problemsIn(edited("rate: 100/1m", "rate: 0/1m")) ==
        Lines{"config.yaml:20:9: routes[0].rateLimits[0].rate: must admit at least 1 request "
              "(got 0/1m)"});
  CHECK(problemsIn(edited("rate: 100/1m", "rate: 100/1fortnight")) ==
        Lines{"config.yaml:20:9: routes[0].rateLimits[0].rate: must be a rate such as 100/1m, "
              "5/1s or 1000/1h (units s, m, h, d) (got \"100/1fortnight\")"});
  CHECK(problemsIn(edited("plan: pro", "plan: gold")) ==
        Lines{"config.yaml:31:5: consumers[0].plan: unknown plan \"gold\" (gw plan list shows "
              "them)"});
  CHECK(problemsIn(edited("perRequest: \"0.0015\"", "perRequest: \"-0.5\"")) ==
        Lines{"config.yaml:41:7: plans[0].price.perRequest: must not be negative (got -0.50)"});
  CHECK(problemsIn(edited("burst: 20", "burst: -2")) ==
        Lines{"config.yaml:21:9: routes[0].rateLimits[0].burst: must be 1 or more, or 0 for the "
              "rate's count (got -2)"});
  CHECK(problemsIn(edited("cost: 2", "cost: 21")) ==
        Lines{"config.yaml:23:9: routes[0].rateLimits[0].cost: is more than the burst (20): no "
              "request could ever pass"});
  CHECK(problemsIn(edited("\"header:x-tenant\"", "planet")) ==
        Lines{"config.yaml:22:24: routes[0].rateLimits[0].by[1]: must be consumer, ip, route or "
              "header:NAME (got \"planet\")"});
  CHECK(problemsIn(edited("quota: 1000/day", "quota: 0/day")) ==
        Lines{"config.yaml:43:5: plans[1].quota: must allow at least 1 request (got 0/day)"});
  const std::string no_redis = edited(
      "redis:\n  address: \"127.0.0.1:6379\"\n  database: 2\n"
      "  timeout: 20ms\n",
      "");
  CHECK(problemsIn(no_redis) ==
        Lines{"config.yaml:24:9: routes[0].rateLimits[0].store: redis needs the document's redis "
              "section (its address)"});
  CHECK(problemsIn(edited("store: sqlite", "store: redis")).empty());
  const std::string metered_without_redis =
      gw::test::edited(no_redis, "store: sqlite", "store: redis");
  CHECK(problemsIn(metered_without_redis) ==
        Lines{"config.yaml:24:9: routes[0].rateLimits[0].store: redis needs the document's redis "
              "section (its address)",
              "config.yaml:45:3: metering.store: redis needs the document's redis section (its "
              "address)"});
}
