// The admin API's documents, filled from the server's state: /v1/status, /v1/stats (see
// messages.hpp) and /metrics.

#include <unistd.h>

#include <cmath>

#include "core/store/home.hpp"
#include "proxy/cache/fill.hpp"
#include "proxy/observe/metrics.hpp"
#include "proxy/redis/health.hpp"
#include "proxy/runtime/server_impl.hpp"

#ifndef GW_VERSION
#define GW_VERSION "unknown"
#endif

namespace gw::proxy {
namespace {

// What `gw status` shows per route: the last ten finished seconds.
constexpr std::size_t kRateSeconds = 10;
constexpr std::string_view kOther = "other";

// To `per` parts of one (10: tenths), dividing last so that 0.3 prints as 0.3.
double rounded(double value, double per) { return std::round(value * per) / per; }

TrafficDoc trafficOf(const StatsNode& node, const StatsRegistry& registry,
                     const StatsQuery& query) {
  const std::size_t series_seconds = query.series_seconds;
  const StatsTotals totals = node.totals();
  TrafficDoc out;
  out.requests = totals.requests;
  for (std::size_t cls = 1; cls <= out.by_class.size(); ++cls) {
    out.by_class[cls - 1] = totals.by_class[cls];
  }
  out.latency_ms = {rounded(totals.latency.quantileMillis(0.50), 1000.0),
                    rounded(totals.latency.quantileMillis(0.90), 1000.0),
                    rounded(totals.latency.quantileMillis(0.99), 1000.0)};
  if (series_seconds > 0) {
    StatsSeries series = registry.series(node, series_seconds);
    out.series = {series.end_second, std::move(series.requests), std::move(series.errors)};
  }
  if (query.histograms) {
    const auto& buckets = totals.latency.buckets;
    auto last = buckets.size();
    while (last > 0 && buckets[last - 1] == 0) {
      --last;
    }
    out.histogram.assign(buckets.begin(), buckets.begin() + static_cast<std::ptrdiff_t>(last));
  }
  return out;
}

AccessDoc accessOf(const AccessCounters& counters) {
  const AccessCounters::Totals totals = counters.totals();
  AccessDoc doc;
  doc.allowed = totals[AccessCounters::kAllowed];
  doc.shadow_denied = totals[AccessCounters::kShadowDenied];
  doc.shadow_limited = totals[AccessCounters::kShadowLimited];
  for (std::size_t i = AccessCounters::kAuthMissing; i < AccessCounters::kShadowDenied; ++i) {
    doc.refused[AccessCounters::name(static_cast<AccessCounters::Outcome>(i))] = totals[i];
  }
  return doc;
}

CacheRouteDoc cacheOf(const CacheCounters& counters) {
  const CacheCounters::Totals totals = counters.totals();
  const auto at = [&](cache::Result r) { return totals[static_cast<std::size_t>(r)]; };
  CacheRouteDoc doc;
  doc.hits = at(cache::Result::kHit);
  doc.stale = at(cache::Result::kStale);
  doc.revalidated = at(cache::Result::kRevalidated);
  doc.misses = at(cache::Result::kMiss);
  doc.bypass = at(cache::Result::kBypass);
  doc.bytes_served = counters.bytesServed();
  return doc;
}

std::string keyOf(const StatsNode& node, const std::string& name) {
  return node.overflow() ? std::string(kOther) : name;
}

// Requests per second and the 5xx share over the last finished seconds of `node`.
void addRates(RouteStatus& route, const StatsNode& node, const StatsRegistry& registry) {
  const StatsSeries series = registry.series(node, kRateSeconds + 1);
  std::uint64_t requests = 0;
  std::uint64_t errors = 0;
  for (std::size_t i = 0; i + 1 < series.requests.size(); ++i) {  // the last is in progress
    requests += series.requests[i];
    errors += series.errors[i];
  }
  route.rps = rounded(static_cast<double>(requests) / kRateSeconds, 10.0);
  route.error_rate =
      requests == 0 ? 0.0
                    : rounded(static_cast<double>(errors) / static_cast<double>(requests), 10000.0);
}

// What `gw service get` shows: each endpoint's weight, health, ejection and load now.
std::vector<ServiceStatus> servicesOf(const Snapshot& snapshot) {
  std::vector<ServiceStatus> services;
  const Clock::rep now = Clock::now().time_since_epoch().count();
  for (const ServiceEntry& service : snapshot.services) {
    ServiceStatus& out = services.emplace_back();
    out.name = service.name;
    out.load_balancer = core::toString(service.balancer.policy());
    for (std::size_t i = 0; i < service.balancer.size(); ++i) {
      const balancer::BalancedEndpoint& endpoint = service.balancer.endpoint(i);
      out.endpoints.push_back(
          EndpointStatus{endpoint.address, endpoint.weight, endpoint.state->healthy(),
                         endpoint.state->ejected(now), endpoint.state->inFlight()});
    }
  }
  return services;
}

}  // namespace

StatusDoc Server::Impl::statusDoc() const {
  StatusDoc doc;
  std::shared_ptr<const Snapshot> snapshot;
  std::string stamp;
  {
    const std::lock_guard lock(mutex);
    snapshot = current;
    stamp = loaded_stamp;
    for (const auto& [id, info] : open_listeners) {
      ListenerStatus& listener = doc.listeners.emplace_back();
      listener.gateway = info.gateway;
      listener.listener = info.listener;
      listener.protocol = core::toString(info.protocol);
      listener.address = info.address;
      listener.port = info.port;
      if (info.protocol == core::Protocol::kHttps) {
        listener.tls = "no certificate";
      }
    }
  }
  for (const auto& worker : workers) {
    doc.requests += worker->requests();
    doc.connections += worker->connections();
  }
  if (snapshot) {
    for (std::size_t i = 0; i < snapshot->routes.size(); ++i) {
      const RouteEntry& entry = snapshot->routes[i];
      const StatsNode& node = *snapshot->stats->routes[i].node;
      RouteStatus& route = doc.routes.emplace_back();
      route.name = entry.route->name;
      route.gateway = entry.route->gateway;
      route.hosts = entry.route->hosts;
      route.requests = node.totals().requests;
      addRates(route, node, stats);
      if (const auto& access = snapshot->stats->routes[i].access) {
        route.access = accessOf(*access);
      }
    }
    doc.services = servicesOf(*snapshot);
    doc.revision = snapshot->config->revision;
    doc.tls_problems = snapshot->tls_problems;
  }
  doc.document_changed = !options.document.empty() && core::fileStamp(options.document) != stamp;
  for (const redis::Health::View& v : redis::healthViews()) {
    doc.redis.push_back({v.address, v.open, v.calls, v.failures, v.last_error});
  }
  doc.pid = static_cast<long>(::getpid());
  doc.started_at = started_at;
  doc.threads = threads;
  return doc;
}

StatsDoc Server::Impl::statsDoc(const StatsQuery& query) const {
  std::shared_ptr<const Snapshot> snapshot;
  {
    const std::lock_guard lock(mutex);
    snapshot = current;
  }
  StatsDoc doc;
  for (const auto& worker : workers) {
    doc.requests += worker->requests();
  }
  if (!snapshot) {
    return doc;
  }
  const StatsBinding& binding = *snapshot->stats;
  for (const auto& gateway : binding.gateways) {
    doc.gateways[keyOf(*gateway.node, gateway.name)] = trafficOf(*gateway.node, stats, query);
  }
  for (const auto& route : binding.routes) {
    RouteStatsDoc& entry = doc.routes[keyOf(*route.node, route.name)];
    entry.traffic = trafficOf(*route.node, stats, query);
    entry.gateway = route.node->overflow() ? std::string(kOther) : route.gateway;
    for (const auto& destination : route.destinations) {
      entry.destinations[destination.service_name] = trafficOf(*destination.node, stats, query);
    }
    if (route.access) {
      entry.access = accessOf(*route.access);
    }
    if (route.cache) {
      entry.cache = cacheOf(*route.cache);
    }
  }
  for (const auto& consumer : binding.consumers) {
    doc.consumers[keyOf(*consumer.node, consumer.name)] = trafficOf(*consumer.node, stats, query);
  }
  for (const auto& service : binding.services) {
    ServiceStatsDoc& entry = doc.services[keyOf(*service.node, service.name)];
    entry.traffic = trafficOf(*service.node, stats, query);
    entry.endpoints.clear();
    for (std::size_t i = 0; i < service.endpoints.size(); ++i) {
      entry.endpoints[keyOf(*service.endpoints[i], service.endpoint_names[i])] =
          trafficOf(*service.endpoints[i], stats, query);
    }
    if (service.mirrored && service.mirrored->totals().requests > 0) {
      doc.mirrors[keyOf(*service.mirrored, service.name)] =
          trafficOf(*service.mirrored, stats, query);
    }
  }
  return doc;
}

CacheDoc Server::Impl::cacheDoc() const {
  std::shared_ptr<const Snapshot> snapshot;
  {
    const std::lock_guard lock(mutex);
    snapshot = current;
  }
  CacheDoc doc;
  if (!snapshot || !snapshot->cache) {
    return doc;
  }
  const cache::Store& store = snapshot->cache->store;
  const cache::Store::Stats stored = store.stats();
  doc.enabled = true;
  doc.entries = stored.entries;
  doc.bytes = stored.bytes;
  doc.max_bytes = store.maxBytes();
  doc.max_object = store.maxObject();
  doc.evictions = stored.evictions;
  for (const auto& route : snapshot->stats->routes) {
    if (route.cache) {
      doc.routes[route.name] = cacheOf(*route.cache);
    }
  }
  return doc;
}

core::Result<PurgeDoc> Server::Impl::purgeCache(std::string_view route, std::string_view prefix) {
  std::shared_ptr<const Snapshot> snapshot;
  {
    const std::lock_guard lock(mutex);
    snapshot = current;
  }
  if (!route.empty() && (!snapshot || snapshot->config->findRoute(route) == nullptr)) {
    return core::makeError(core::ErrorKind::kNotFound,
                           "no route named \"" + std::string(route) + "\"");
  }
  PurgeDoc doc;
  if (snapshot && snapshot->cache) {
    doc.purged = snapshot->cache->store.purge(prefix, route);
  }
  return doc;
}

std::string Server::Impl::metricsText() const {
  std::shared_ptr<const Snapshot> snapshot;
  {
    const std::lock_guard lock(mutex);
    snapshot = current;
  }
  MetricsSource source;
  source.binding = snapshot ? snapshot->stats.get() : nullptr;
  source.revision = snapshot ? snapshot->config->revision : 0;
  source.reloads = stats.reloads();
  for (const auto& worker : workers) {
    source.connections += worker->connections();
  }
  source.version = GW_VERSION;
  if (snapshot && snapshot->cache) {
    const cache::Store::Stats stored = snapshot->cache->store.stats();
    source.cache_entries = stored.entries;
    source.cache_bytes = stored.bytes;
    source.cache_max_bytes = snapshot->cache->store.maxBytes();
    source.cache_evictions = stored.evictions;
  }
  return renderMetrics(source);
}

}  // namespace gw::proxy
