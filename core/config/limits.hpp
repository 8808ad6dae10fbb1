#pragma once
// Rate limits, plans and metering in the document: how many requests a key may make in a
// period (GCRA, in this gw or shared through Redis), the plans consumers are on (a quota per
// UTC day or month, a rate limit, a price), and how usage is metered for billing. Part of the
// model (model.hpp includes it).

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gw::core {

// `requests` per `period`: "100/1m", "5/1s", "1000/1h", "20/10s".
struct Rate {
  std::int64_t requests = 0;
  std::chrono::milliseconds period{0};
  bool operator==(const Rate&) const = default;
};

// One limit: GCRA with emission interval period/requests and room for `burst` requests at
// once (default: the rate's count, so "5/1s" lets 5 requests through together, then one
// every 200 ms). Requests are counted per key: the combination of what `by` names.
struct RateLimit {
  enum class Mode { kEnforce, kShadow };
  enum class Store { kLocal, kRedis };
  enum class OnStoreError { kLocal, kAllow, kDeny };  // Redis slow or down
  enum class Headers { kDraft, kLegacy, kNone };      // RateLimit-*, X-RateLimit-*, none
  std::string name;                                   // "" = its position ("limit-0")
  Rate rate;
  std::int64_t burst = 0;       // 0 = rate.requests
  std::vector<std::string> by;  // consumer, ip, route, header:NAME; empty = one budget
  std::int64_t cost = 1;        // what one request takes from the budget
  Store store = Store::kLocal;
  OnStoreError on_store_error = OnStoreError::kLocal;
  Mode mode = Mode::kEnforce;  // shadow: count what would be refused, refuse nothing
  Headers headers = Headers::kDraft;
  std::int64_t burstOrDefault() const { return burst > 0 ? burst : rate.requests; }
  bool operator==(const RateLimit&) const = default;
};

// Where shared limits and (when metering says so) usage live.
struct RedisStore {
  std::string address;   // HOST:PORT
  std::string password;  // AUTH, when the server asks for one
  int database = 0;
  std::chrono::milliseconds timeout{50};  // a call slower than this counts as a failure
  bool operator==(const RedisStore&) const = default;
};

// Requests per UTC calendar day or month.
struct Quota {
  enum class Period { kDay, kMonth };
  std::int64_t requests = 0;
  Period period = Period::kMonth;
  bool operator==(const Quota&) const = default;
};

// Money in millionths of the currency's unit, so sums are exact.
using Micros = std::int64_t;

struct Price {
  std::string currency = "USD";
  Micros monthly = 0;         // the plan's fixed monthly fee
  std::int64_t included = 0;  // requests per month the fee covers
  Micros per_request = 0;     // each request beyond `included`
  bool operator==(const Price&) const = default;
};

struct Plan {
  std::string name;
  std::optional<Quota> quota;
  std::optional<RateLimit> rate_limit;  // per consumer on the plan, on every route it calls
  std::optional<Price> price;
  bool operator==(const Plan&) const = default;
};

// Usage of identified consumers, counted per consumer, route, day and status class.
struct Metering {
  enum class Store { kSqlite, kRedis };  // SQLite: <home>/usage.db
  bool enabled = true;
  Store store = Store::kSqlite;
  std::string events;  // a file for one JSON line (CloudEvents) per request ("" = none)
  bool operator==(const Metering&) const = default;
};

// "100/1m", "5/s", "20/10s" <-> Rate: a count, then a duration or a bare unit (s, m, h, d).
// The count may be 0 here (validation says why that is wrong, by field).
std::optional<Rate> parseRate(std::string_view s);
std::string formatRate(const Rate& rate);

// "1000/day", "50000/month" <-> Quota.
std::optional<Quota> parseQuota(std::string_view s);
std::string formatQuota(const Quota& quota);

// "12", "0.001", "-3.5" <-> millionths; at most 6 decimals.
std::optional<Micros> parseMoney(std::string_view s);
std::string formatMoney(Micros amount);  // at least 2 decimals: "12.00", "0.001"

// "consumer", "ip", "route", "header:NAME": what a limit counts by; false when not one.
bool isLimitKey(std::string_view s);

const char* toString(RateLimit::Mode m);
const char* toString(RateLimit::Store s);
const char* toString(RateLimit::OnStoreError e);
const char* toString(RateLimit::Headers h);
const char* toString(Metering::Store s);
std::optional<RateLimit::Mode> parseLimitMode(std::string_view s);
std::optional<RateLimit::Store> parseLimitStore(std::string_view s);
std::optional<RateLimit::OnStoreError> parseOnStoreError(std::string_view s);
std::optional<RateLimit::Headers> parseLimitHeaders(std::string_view s);
std::optional<Metering::Store> parseMeteringStore(std::string_view s);

}  // namespace gw::core
