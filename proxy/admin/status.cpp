// The admin API's documents: /v1/status, /v1/stats and /metrics.

#include <unistd.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "proxy/observe/metrics.hpp"
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

nlohmann::json seriesOf(const StatsSeries& series) {
  return {{"end", series.end_second}, {"requests", series.requests}, {"errors", series.errors}};
}

nlohmann::json statsOf(const StatsNode& node, const StatsRegistry& registry,
                       std::size_t series_seconds) {
  const StatsTotals totals = node.totals();
  nlohmann::json out = {{"requests", totals.requests}};
  for (std::size_t cls = 1; cls <= 5; ++cls) {
    out[std::to_string(cls) + "xx"] = totals.by_class[cls];
  }
  out["latency_ms"] = {{"p50", rounded(totals.latency.quantileMillis(0.50), 1000.0)},
                       {"p90", rounded(totals.latency.quantileMillis(0.90), 1000.0)},
                       {"p99", rounded(totals.latency.quantileMillis(0.99), 1000.0)}};
  out["series"] = seriesOf(registry.series(node, series_seconds));
  return out;
}

std::string_view keyOf(const StatsNode& node, const std::string& name) {
  return node.overflow() ? kOther : std::string_view(name);
}

// Requests per second and the 5xx share over the last finished seconds of `node`.
void addRates(nlohmann::json& route, const StatsNode& node, const StatsRegistry& registry) {
  const StatsSeries series = registry.series(node, kRateSeconds + 1);
  std::uint64_t requests = 0;
  std::uint64_t errors = 0;
  for (std::size_t i = 0; i + 1 < series.requests.size(); ++i) {  // the last is in progress
    requests += series.requests[i];
    errors += series.errors[i];
  }
  route["rps"] = rounded(static_cast<double>(requests) / kRateSeconds, 10.0);
  route["error_rate"] =
      requests == 0 ? 0.0
                    : rounded(static_cast<double>(errors) / static_cast<double>(requests), 10000.0);
}

// What `gw service get` shows: each endpoint's weight, health, ejection and load now.
nlohmann::json servicesOf(const Snapshot& snapshot) {
  nlohmann::json services = nlohmann::json::array();
  const Clock::rep now = Clock::now().time_since_epoch().count();
  for (const ServiceEntry& service : snapshot.services) {
    nlohmann::json endpoints = nlohmann::json::array();
    for (std::size_t i = 0; i < service.balancer.size(); ++i) {
      const balancer::BalancedEndpoint& endpoint = service.balancer.endpoint(i);
      endpoints.push_back({{"address", endpoint.address},
                           {"weight", endpoint.weight},
                           {"healthy", endpoint.state->healthy()},
                           {"ejected", endpoint.state->ejected(now)},
                           {"in_flight", endpoint.state->inFlight()}});
    }
    services.push_back({{"name", service.name},
                        {"load_balancer", core::toString(service.balancer.policy())},
                        {"endpoints", std::move(endpoints)}});
  }
  return services;
}

}  // namespace

std::string Server::Impl::statusJson() const {
  std::shared_ptr<const Snapshot> snapshot;
  nlohmann::json listeners = nlohmann::json::array();
  {
    const std::lock_guard lock(mutex);
    snapshot = current;
    for (const auto& [id, info] : open_listeners) {
      nlohmann::json listener = {{"gateway", info.gateway},
                                 {"listener", info.listener},
                                 {"protocol", core::toString(info.protocol)},
                                 {"address", info.address},
                                 {"port", info.port}};
      if (info.protocol == core::Protocol::kHttps) {
        listener["tls"] = "no certificate";
      }
      listeners.push_back(std::move(listener));
    }
  }
  std::uint64_t requests = 0;
  std::size_t connections = 0;
  for (const auto& worker : workers) {
    requests += worker->requests();
    connections += worker->connections();
  }
  nlohmann::json routes = nlohmann::json::array();
  if (snapshot) {
    for (std::size_t i = 0; i < snapshot->routes.size(); ++i) {
      const RouteEntry& entry = snapshot->routes[i];
      const StatsNode& node = *snapshot->stats->routes[i].node;
      nlohmann::json route = {{"name", entry.route->name},
                              {"gateway", entry.route->gateway},
                              {"hosts", entry.route->hosts},
                              {"requests", node.totals().requests}};
      addRates(route, node, stats);
      routes.push_back(std::move(route));
    }
  }
  const nlohmann::json status = {
      {"pid", static_cast<long>(::getpid())},
      {"revision", snapshot ? snapshot->config->revision : 0},
      {"started_at", started_at},
      {"threads", threads},
      {"connections", connections},
      {"requests", requests},
      {"listeners", std::move(listeners)},
      {"routes", std::move(routes)},
      {"services", snapshot ? servicesOf(*snapshot) : nlohmann::json::array()},
  };
  return status.dump() + "\n";
}

std::string Server::Impl::statsJson(std::size_t series_seconds) const {
  std::shared_ptr<const Snapshot> snapshot;
  {
    const std::lock_guard lock(mutex);
    snapshot = current;
  }
  std::uint64_t requests = 0;
  for (const auto& worker : workers) {
    requests += worker->requests();
  }
  nlohmann::json gateways = nlohmann::json::object();
  nlohmann::json routes = nlohmann::json::object();
  nlohmann::json services = nlohmann::json::object();
  if (snapshot) {
    const StatsBinding& binding = *snapshot->stats;
    for (const auto& gateway : binding.gateways) {
      gateways[keyOf(*gateway.node, gateway.name)] = statsOf(*gateway.node, stats, series_seconds);
    }
    for (const auto& route : binding.routes) {
      auto entry = statsOf(*route.node, stats, series_seconds);
      entry["gateway"] = route.node->overflow() ? std::string(kOther) : route.gateway;
      routes[keyOf(*route.node, route.name)] = std::move(entry);
    }
    for (const auto& service : binding.services) {
      auto entry = statsOf(*service.node, stats, series_seconds);
      nlohmann::json endpoints = nlohmann::json::object();
      for (std::size_t i = 0; i < service.endpoints.size(); ++i) {
        endpoints[keyOf(*service.endpoints[i], service.endpoint_names[i])] =
            statsOf(*service.endpoints[i], stats, series_seconds);
      }
      entry["endpoints"] = std::move(endpoints);
      services[keyOf(*service.node, service.name)] = std::move(entry);
    }
  }
  const nlohmann::json document = {{"requests", requests},
                                   {"gateways", std::move(gateways)},
                                   {"routes", std::move(routes)},
                                   {"services", std::move(services)}};
  return document.dump() + "\n";
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
  return renderMetrics(source);
}

}  // namespace gw::proxy
