#include "cli/service_health.hpp"

#include <algorithm>

#include "cli/daemon.hpp"
#include "proxy/admin/client.hpp"

namespace gw::cli {
namespace {

void fill(EndpointHealth& out, const proxy::EndpointStatus& reported) {
  if (reported.ejected) {
    out.health = "ejected";
  } else {
    out.health = reported.healthy ? "healthy" : "unhealthy";
  }
  out.in_flight = reported.in_flight;
}

}  // namespace

std::optional<proxy::StatusDoc> runningStatus(const Context& ctx) {
  const core::Home home = ctx.home();
  const DaemonState daemon = probeDaemon(home);
  if (!daemon.running) {
    return std::nullopt;
  }
  proxy::AdminClient admin(daemon.admin_address, home.token().value_or(""));
  auto status = admin.status();
  if (!status) {
    return proxy::StatusDoc{};  // running, but saying nothing: every value stays unknown
  }
  return std::move(*status);
}

ServiceHealth serviceHealth(const Context& ctx, const core::Service& service) {
  return serviceHealth(runningStatus(ctx), service);
}

ServiceHealth serviceHealth(const std::optional<proxy::StatusDoc>& status,
                            const core::Service& service) {
  ServiceHealth out;
  for (const core::Endpoint& endpoint : service.endpoints) {
    out.endpoints.push_back(EndpointHealth{endpoint.address, endpoint.weight, "unknown", {}});
  }
  out.proxy_running = status.has_value();
  if (!status) {
    return out;
  }
  const auto& services = status->services;
  const auto reported = std::find_if(services.begin(), services.end(),
                                     [&](const auto& s) { return s.name == service.name; });
  if (reported == services.end()) {
    return out;
  }
  for (EndpointHealth& endpoint : out.endpoints) {
    const auto& items = reported->endpoints;
    const auto item = std::find_if(items.begin(), items.end(),
                                   [&](const auto& e) { return e.address == endpoint.address; });
    if (item != items.end()) {
      fill(endpoint, *item);
    }
  }
  return out;
}

Json healthJson(const ServiceHealth& health) {
  Json endpoints = Json::array();
  for (const EndpointHealth& e : health.endpoints) {
    endpoints.push_back(Json{{"address", e.address},
                             {"weight", e.weight},
                             {"health", e.health},
                             {"inFlight", e.in_flight ? Json(*e.in_flight) : Json()}});
  }
  return Json{{"proxy", health.proxy_running ? "running" : "stopped"},
              {"endpoints", std::move(endpoints)}};
}

Table healthTable(const ServiceHealth& health) {
  Table table{{"ENDPOINT", "WEIGHT", "HEALTH", "IN-FLIGHT"}, {}};
  for (const EndpointHealth& e : health.endpoints) {
    table.rows.push_back({e.address, std::to_string(e.weight), e.health,
                          e.in_flight ? std::to_string(*e.in_flight) : "-"});
  }
  return table;
}

}  // namespace gw::cli
