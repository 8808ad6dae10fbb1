// StatsRegistry::bind and StatsBinding::record: where a snapshot's names meet their nodes.

#include <algorithm>
#include <initializer_list>
#include <string>
#include <string_view>
#include <variant>

#include "core/filter/spec.hpp"
#include "proxy/observe/stats.hpp"
#include "proxy/snapshot/snapshot.hpp"

namespace gw::proxy {
namespace {

// Whether requests of `route` meet an IP list, CORS, auth, authorization, a quota or a rate limit
// (its own, its gateway's or its consumers' plans'): the chain's access filters decide.
bool hasAccessControl(const core::Config& config, const core::Route& route) {
  const auto filters =
      core::chainFilters(config.findGateway(route.gateway), route, core::planFeatures(config));
  return std::any_of(filters.begin(), filters.end(), [](const core::FilterEntry& entry) {
    return std::holds_alternative<core::IpLists>(entry.spec) ||
           std::holds_alternative<core::Cors>(entry.spec) ||
           std::holds_alternative<core::AuthPolicy>(entry.spec) ||
           std::holds_alternative<core::Authorization>(entry.spec) ||
           std::holds_alternative<core::Quotas>(entry.spec) ||
           std::holds_alternative<core::RateLimits>(entry.spec);
  });
}

}  // namespace
}  // namespace gw::proxy

namespace gw::proxy {
namespace {

// A node's key: its names joined with a character that no config name contains.
std::string joinKey(std::initializer_list<std::string_view> names) {
  constexpr char kJoin = '\x1f';
  std::string key;
  bool first = true;
  for (const std::string_view name : names) {
    if (!first) {
      key += kJoin;
    }
    key += name;
    first = false;
  }
  return key;
}

}  // namespace

std::shared_ptr<const StatsBinding> StatsRegistry::bind(const Snapshot& snapshot) {
  auto binding = std::make_shared<StatsBinding>();
  const std::lock_guard lock(mutex_);
  for (const GatewayEntry& gateway : snapshot.gateways) {
    binding->gateways.push_back(
        {gateway.name, nodeFor(kGateway, gateway.name), nodeFor(kLocal, gateway.name)});
  }
  for (const ServiceEntry& service : snapshot.services) {
    StatsBinding::Service entry{
        service.name, nodeFor(kService, service.name), {}, {}, nodeFor(kMirror, service.name)};
    for (const EndpointEntry& endpoint : service.endpoints) {
      entry.endpoint_names.push_back(endpoint.text);
      entry.endpoints.push_back(nodeFor(kEndpoint, joinKey({service.name, endpoint.text})));
    }
    binding->services.push_back(std::move(entry));
  }
  for (const RouteEntry& route : snapshot.routes) {
    const std::string& name = route.route->name;
    const std::string& gateway = route.route->gateway;
    StatsBinding::Route entry{
        name, gateway, nodeFor(kRoute, name), nodeFor(kLocal, joinKey({gateway, name})), {},
        {},   {}};
    if (snapshot.config && hasAccessControl(*snapshot.config, *route.route)) {
      auto& access = access_[name];
      if (!access) {
        access = std::make_shared<AccessCounters>(workers_);
      }
      entry.access = access;
    }
    if (route.route->cache) {
      auto& counters = cache_[name];
      if (!counters) {
        counters = std::make_shared<CacheCounters>(workers_);
      }
      entry.cache = counters;
    }
    for (const std::uint32_t service : route.services) {
      if (service >= snapshot.services.size()) {
        continue;  // an unknown service: the snapshot is refused anyway
      }
      const std::string& service_name = snapshot.services[service].name;
      entry.destinations.push_back(
          {service, service_name, nodeFor(kDestination, joinKey({gateway, name, service_name}))});
    }
    binding->routes.push_back(std::move(entry));
  }
  if (snapshot.config) {
    for (const core::Consumer& consumer : snapshot.config->consumers) {
      binding->consumers.push_back({consumer.name, nodeFor(kConsumer, consumer.name)});
    }
  }
  return binding;
}

namespace {

// A routed request: its route, the destination it went to (or the gateway's own answers), and
// the route's cache and access verdicts.
void recordRoute(const StatsBinding::Route& route, int worker,
                 const StatsBinding::Request& request) {
  route.node->record(worker, request.status, request.micros);
  StatsNode* destination = route.local.get();
  for (const StatsBinding::Destination& d : route.destinations) {
    if (d.service == request.service) {
      destination = d.node.get();
      break;
    }
  }
  destination->record(worker, request.status, request.micros);
  if (route.cache && request.cache != cache::Result::kNone) {
    route.cache->count(worker, request.cache, request.bytes);
  }
  if (route.access && request.access_checked) {
    route.access->count(worker, static_cast<AccessCounters::Outcome>(request.refusal));
    if (request.shadow_denied) {
      route.access->count(worker, AccessCounters::kShadowDenied);
    }
    if (request.shadow_limited) {
      route.access->count(worker, AccessCounters::kShadowLimited);
    }
  }
}

}  // namespace

void StatsBinding::record(int worker, const Request& request) const {
  const unsigned status = request.status;
  const std::uint64_t micros = request.micros;
  if (request.gateway < gateways.size()) {
    const Gateway& gateway = gateways[request.gateway];
    gateway.node->record(worker, status, micros);
    if (request.route >= routes.size()) {
      gateway.unrouted->record(worker, status, micros);
    }
  }
  if (request.route < routes.size()) {
    recordRoute(routes[request.route], worker, request);
  }
  if (request.consumer >= 0 && static_cast<std::size_t>(request.consumer) < consumers.size()) {
    consumers[static_cast<std::size_t>(request.consumer)].node->record(worker, status, micros);
  }
  if (request.service < services.size()) {
    const Service& service = services[request.service];
    service.node->record(worker, status, micros);
    if (request.endpoint < service.endpoints.size()) {
      service.endpoints[request.endpoint]->record(worker, status, micros);
    }
  }
}

}  // namespace gw::proxy
