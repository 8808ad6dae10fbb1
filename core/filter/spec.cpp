#include "core/filter/spec.hpp"

namespace gw::core {

PlanFeatures planFeatures(const Config& config) {
  PlanFeatures features;
  for (const Plan& plan : config.plans) {
    features.rate_limits = features.rate_limits || plan.rate_limit.has_value();
    features.quotas = features.quotas || plan.quota.has_value();
  }
  return features;
}

std::vector<FilterEntry> chainFilters(const Gateway* gateway, const Route& route,
                                      PlanFeatures plans) {
  std::vector<FilterEntry> filters;
  const auto from_gateway = [&](std::string_view name, FilterSpec spec) {
    filters.push_back({name, std::move(spec), true});
  };
  if (gateway != nullptr && !gateway->ip.empty()) {
    from_gateway("ipAllow", gateway->ip);
  }
  if (gateway != nullptr && gateway->auth && !route.auth) {
    from_gateway("auth", *gateway->auth);
  }
  if (!route.ip.empty()) {
    filters.push_back({"ipAllow", route.ip});
  }
  if (route.cors) {
    filters.push_back({"cors", *route.cors});
  }
  if (!route.response_headers.empty()) {
    filters.push_back({"responseHeaders", ResponseHeaderEdits{route.response_headers}});
  }
  if (route.auth) {
    filters.push_back({"auth", *route.auth});
  }
  if (route.authorization) {
    filters.push_back({"authorization", *route.authorization});
  }
  if (plans.quotas) {
    filters.push_back({"quota", Quotas{}});
  }
  RateLimits limits{gateway != nullptr ? gateway->rate_limits : std::vector<RateLimit>{},
                    route.rate_limits, plans.rate_limits};
  if (!limits.gateway.empty() || !limits.route.empty() || limits.plans) {
    filters.push_back({"rateLimits", std::move(limits)});
  }
  if (route.compress) {
    filters.push_back({"compress", *route.compress});
  } else if (gateway != nullptr && gateway->compress) {
    from_gateway("compress", *gateway->compress);
  }
  if (route.cache) {
    filters.push_back({"cache", *route.cache});
  }
  if (route.redirect) {
    filters.push_back({"redirect", *route.redirect});
  }
  if (route.direct_response) {
    filters.push_back({"directResponse", *route.direct_response});
  }
  if (route.rewrite && (!route.rewrite->prefix.empty() || !route.rewrite->regex.empty())) {
    filters.push_back({"rewrite", *route.rewrite});
  }
  if (!route.request_headers.empty()) {
    filters.push_back({"requestHeaders", RequestHeaderEdits{route.request_headers}});
  }
  // Last: the copy is the request as forwarded, after every edit.
  if (route.mirror) {
    filters.push_back({"mirror", *route.mirror});
  }
  if (route.aggregate) {
    filters.push_back({"aggregate", *route.aggregate});
  }
  return filters;
}

}  // namespace gw::core
