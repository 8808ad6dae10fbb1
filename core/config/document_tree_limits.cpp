// The canonical shape of the limits parts of the document (limits.hpp).

#include "core/config/document_tree.hpp"

namespace gw::core {
namespace {

using Tree = nlohmann::ordered_json;

void appendLimitRate(Tree& out, const RateLimit& limit) {
  out["rate"] = formatRate(limit.rate);
  if (limit.burst != 0) {
    out["burst"] = limit.burst;
  }
}

Tree rateLimitTree(const RateLimit& limit) {
  const RateLimit defaults;
  Tree out = Tree::object();
  if (!limit.name.empty()) {
    out["name"] = limit.name;
  }
  appendLimitRate(out, limit);
  if (!limit.by.empty()) {
    Tree by = Tree::array();
    for (const std::string& key : limit.by) {
      by.push_back(key);
    }
    out["by"] = std::move(by);
  }
  if (limit.cost != defaults.cost) {
    out["cost"] = limit.cost;
  }
  if (limit.store != defaults.store) {
    out["store"] = toString(limit.store);
  }
  if (limit.on_store_error != defaults.on_store_error) {
    out["onStoreError"] = toString(limit.on_store_error);
  }
  if (limit.mode != defaults.mode) {
    out["mode"] = toString(limit.mode);
  }
  if (limit.headers != defaults.headers) {
    out["headers"] = toString(limit.headers);
  }
  return out;
}

}  // namespace

void appendRateLimits(nlohmann::ordered_json& out, const std::vector<RateLimit>& limits) {
  if (limits.empty()) {
    return;
  }
  Tree list = Tree::array();
  for (const RateLimit& limit : limits) {
    list.push_back(rateLimitTree(limit));
  }
  out["rateLimits"] = std::move(list);
}

nlohmann::ordered_json planTree(const Plan& plan) {
  Tree out = Tree::object();
  out["name"] = plan.name;
  if (plan.quota) {
    out["quota"] = formatQuota(*plan.quota);
  }
  if (plan.rate_limit) {
    Tree limit = Tree::object();
    appendLimitRate(limit, *plan.rate_limit);
    out["rateLimit"] = std::move(limit);
  }
  if (plan.price) {
    const Price& p = *plan.price;
    Tree price = Tree::object();
    price["currency"] = p.currency;
    price["monthly"] = formatMoney(p.monthly);
    if (p.included != 0) {
      price["included"] = p.included;
    }
    if (p.per_request != 0) {
      price["perRequest"] = formatMoney(p.per_request);
    }
    out["price"] = std::move(price);
  }
  return out;
}

void appendLimitSections(nlohmann::ordered_json& out, const Config& config) {
  if (!config.plans.empty()) {
    Tree plans = Tree::array();
    for (const Plan& plan : config.plans) {
      plans.push_back(planTree(plan));
    }
    out["plans"] = std::move(plans);
  }
  if (config.redis) {
    const RedisStore defaults;
    Tree redis = Tree::object();
    redis["address"] = config.redis->address;
    if (!config.redis->password.empty()) {
      redis["password"] = config.redis->password;
    }
    if (config.redis->database != defaults.database) {
      redis["database"] = config.redis->database;
    }
    if (config.redis->timeout != defaults.timeout) {
      redis["timeout"] = formatDuration(config.redis->timeout);
    }
    out["redis"] = std::move(redis);
  }
  const Metering defaults;
  Tree metering = Tree::object();
  if (config.metering.enabled != defaults.enabled) {
    metering["enabled"] = config.metering.enabled;
  }
  if (config.metering.store != defaults.store) {
    metering["store"] = toString(config.metering.store);
  }
  if (!config.metering.events.empty()) {
    metering["events"] = config.metering.events;
  }
  if (!metering.empty()) {
    out["metering"] = std::move(metering);
  }
}

}  // namespace gw::core
