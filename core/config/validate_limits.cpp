// Rate limits, plans, the Redis store and metering: rates that can admit a request, keys
// that exist, stores that are configured, prices that are not negative.

#include <algorithm>
#include <set>

#include "core/config/checks.hpp"
#include "core/config/validate_context.hpp"
#include "core/net/host_port.hpp"

namespace gw::core {
namespace {

constexpr auto kMaxPeriod = std::chrono::hours(24 * 366);

bool isPolicyName(std::string_view name) {
  // An RFC 9651 key, as RateLimit-Policy carries it: lower case, digits, '_', '-', '.'.
  if (name.empty() || name.size() > 64 || !(name[0] >= 'a' && name[0] <= 'z')) {
    return false;
  }
  return std::ranges::all_of(name, [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
  });
}

void checkRate(const RateLimit& limit, const std::string& path, Checker& check) {
  if (limit.rate.requests < 1) {
    check.add(path + ".rate", "must admit at least 1 request (got " + formatRate(limit.rate) + ")");
  }
  if (limit.rate.period.count() < 1 || limit.rate.period > kMaxPeriod) {
    check.add(path + ".rate",
              "the period must be between 1ms and 366d (got " + formatRate(limit.rate) + ")");
  }
  if (limit.burst < 0) {
    check.add(path + ".burst", "must be 1 or more, or 0 for the rate's count (got " +
                                   std::to_string(limit.burst) + ")");
  }
}

void checkLimit(const Config& config, const RateLimit& limit, const std::string& path,
                Checker& check) {
  if (!limit.name.empty() && !isPolicyName(limit.name)) {
    check.add(path + ".name",
              "must be lower-case letters, digits, '_', '-' and '.', starting with a letter (got " +
                  quote(limit.name) + ")");
  }
  checkRate(limit, path, check);
  if (limit.cost < 1) {
    check.add(path + ".cost", "must be 1 or more (got " + std::to_string(limit.cost) + ")");
  } else if (limit.burstOrDefault() >= 1 && limit.cost > limit.burstOrDefault()) {
    check.add(path + ".cost", "is more than the burst (" + std::to_string(limit.burstOrDefault()) +
                                  "): no request could ever pass");
  }
  std::set<std::string> keys;
  for (std::size_t k = 0; k < limit.by.size(); ++k) {
    const std::string key_path = path + ".by[" + std::to_string(k) + "]";
    if (!isLimitKey(limit.by[k])) {
      check.add(key_path,
                "must be consumer, ip, route or header:NAME (got " + quote(limit.by[k]) + ")");
    } else if (!keys.insert(limit.by[k]).second) {
      check.add(key_path, "is listed twice");
    }
  }
  if (limit.store == RateLimit::Store::kRedis && !config.redis) {
    check.add(path + ".store", "redis needs the document's redis section (its address)");
  }
}

void checkPrice(const Price& price, const std::string& path, Checker& check) {
  const bool currency_ok =
      price.currency.size() == 3 && std::all_of(price.currency.begin(), price.currency.end(),
                                                [](char c) { return c >= 'A' && c <= 'Z'; });
  if (!currency_ok) {
    check.add(path + ".currency",
              "must be an ISO 4217 code such as USD or EUR (got " + quote(price.currency) + ")");
  }
  if (price.monthly < 0) {
    check.add(path + ".monthly", "must not be negative (got " + formatMoney(price.monthly) + ")");
  }
  if (price.per_request < 0) {
    check.add(path + ".perRequest",
              "must not be negative (got " + formatMoney(price.per_request) + ")");
  }
  if (price.included < 0) {
    check.add(path + ".included",
              "must not be negative (got " + std::to_string(price.included) + ")");
  }
}

void checkRedis(const RedisStore& redis, Checker& check) {
  if (!net::parseHostPort(redis.address)) {
    check.add("redis.address", "must be HOST:PORT (got " + quote(redis.address) + ")");
  }
  if (redis.database < 0) {
    check.add("redis.database", "must be 0 or more (got " + std::to_string(redis.database) + ")");
  }
  if (redis.timeout.count() < 1 || redis.timeout > std::chrono::seconds(10)) {
    check.add("redis.timeout",
              "must be between 1ms and 10s (got " + formatDuration(redis.timeout) + ")");
  }
}

}  // namespace

void checkRateLimits(const Config& config, const std::vector<RateLimit>& limits,
                     const std::string& path, Checker& check) {
  constexpr std::size_t kMaxLimits = 16;
  if (limits.size() > kMaxLimits) {
    check.add(path + ".rateLimits", "at most " + std::to_string(kMaxLimits) + " limits (got " +
                                        std::to_string(limits.size()) + ")");
  }
  std::set<std::string> names;
  for (std::size_t i = 0; i < limits.size(); ++i) {
    const std::string item = path + ".rateLimits[" + std::to_string(i) + "]";
    checkLimit(config, limits[i], item, check);
    if (!limits[i].name.empty() && !names.insert(limits[i].name).second) {
      check.add(item + ".name", "duplicate rate limit name " + quote(limits[i].name));
    }
  }
}

void validateLimits(const Config& config, Checker& check) {
  check.uniqueNames(config.plans, "plans", "plan");
  for (std::size_t i = 0; i < config.plans.size(); ++i) {
    const Plan& plan = config.plans[i];
    const std::string path = at("plans", i);
    if (plan.quota && plan.quota->requests < 1) {
      check.add(path + ".quota",
                "must allow at least 1 request (got " + formatQuota(*plan.quota) + ")");
    }
    if (plan.rate_limit) {
      checkRate(*plan.rate_limit, path + ".rateLimit", check);
    }
    if (plan.price) {
      checkPrice(*plan.price, path + ".price", check);
    }
  }
  for (std::size_t i = 0; i < config.consumers.size(); ++i) {
    const std::string& plan = config.consumers[i].plan;
    if (!plan.empty() && config.findPlan(plan) == nullptr) {
      check.add(at("consumers", i) + ".plan",
                "unknown plan " + quote(plan) + " (gw plan list shows them)");
    }
  }
  if (config.redis) {
    checkRedis(*config.redis, check);
  }
  if (config.metering.store == Metering::Store::kRedis && !config.redis) {
    check.add("metering.store", "redis needs the document's redis section (its address)");
  }
  if (!config.metering.events.empty() && config.metering.events.front() != '/') {
    check.add("metering.events",
              "must be an absolute path (got " + quote(config.metering.events) + ")");
  }
}

}  // namespace gw::core
