#pragma once
// The canonical shape of a Config: key names, key order and which defaults are left out.
// Both encoders (YAML and JSON) print this one tree, so they cannot drift apart.

#include <nlohmann/json.hpp>

#include "core/config/model.hpp"

namespace gw::core {

nlohmann::ordered_json toTree(const Config& config);

// The access-control parts (document_tree_access.cpp).
nlohmann::ordered_json consumerTree(const Consumer& consumer);
nlohmann::ordered_json jwtProviderTree(const JwtProvider& provider);
nlohmann::ordered_json authTree(const AuthPolicy& auth);
nlohmann::ordered_json authorizationTree(const Authorization& authorization);
nlohmann::ordered_json corsTree(const Cors& cors);
void appendIpLists(nlohmann::ordered_json& out, const IpLists& ip);
void appendGatewayAccess(nlohmann::ordered_json& out, const Gateway& gateway);
void appendRouteAccess(nlohmann::ordered_json& out, const Route& route);

// The limits parts (document_tree_limits.cpp).
void appendRateLimits(nlohmann::ordered_json& out, const std::vector<RateLimit>& limits);
nlohmann::ordered_json planTree(const Plan& plan);
void appendLimitSections(nlohmann::ordered_json& out, const Config& config);  // plans, redis, ...

// The cache parts (document_tree_cache.cpp).
nlohmann::ordered_json routeCacheTree(const RouteCache& cache);
void appendCacheSettings(nlohmann::ordered_json& proxy, const CacheSettings& cache);
nlohmann::ordered_json compressTree(const Compress& compress);

// A route's aggregate (document_tree_aggregate.cpp).
nlohmann::ordered_json aggregateTree(const Aggregate& aggregate);

}  // namespace gw::core
