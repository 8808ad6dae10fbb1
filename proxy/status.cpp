// The admin API's JSON documents: /v1/status and /v1/stats.

#include <unistd.h>

#include <nlohmann/json.hpp>

#include "proxy/server_impl.hpp"

namespace gw::proxy {
namespace {

nlohmann::json statsOf(const RouteStats& stats) {
  const StatsTotals totals = stats.totals();
  nlohmann::json out = {{"requests", totals.requests}};
  for (std::size_t cls = 1; cls <= 5; ++cls) {
    out[std::to_string(cls) + "xx"] = totals.by_class[cls];
  }
  return out;
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
    for (const RouteEntry& entry : snapshot->routes) {
      routes.push_back({{"name", entry.route->name},
                        {"gateway", entry.route->gateway},
                        {"hosts", entry.route->hosts},
                        {"requests", entry.stats->totals().requests}});
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
  };
  return status.dump() + "\n";
}

std::string Server::Impl::statsJson() const {
  std::shared_ptr<const Snapshot> snapshot;
  {
    const std::lock_guard lock(mutex);
    snapshot = current;
  }
  std::uint64_t requests = 0;
  for (const auto& worker : workers) {
    requests += worker->requests();
  }
  nlohmann::json routes = nlohmann::json::object();
  if (snapshot) {
    for (const RouteEntry& entry : snapshot->routes) {
      routes[entry.route->name] = statsOf(*entry.stats);
    }
  }
  const nlohmann::json document = {{"requests", requests}, {"routes", std::move(routes)}};
  return document.dump() + "\n";
}

}  // namespace gw::proxy
