#include "cli/service_health.hpp"

#include "cli/daemon.hpp"
#include "proxy/admin/client.hpp"

namespace gw::cli {
namespace {

// The status body's entry for `name`, or null.
Json findService(const Json& status, const std::string& name) {
  if (!status.is_object() || !status.contains("services") || !status["services"].is_array()) {
    return nullptr;
  }
  for (const Json& service : status["services"]) {
    if (service.is_object() && service.value("name", "") == name) {
      return service;
    }
  }
  return nullptr;
}

void fill(EndpointHealth& out, const Json& reported) {
  const Json& healthy = reported.contains("healthy") ? reported["healthy"] : Json();
  const Json& ejected = reported.contains("ejected") ? reported["ejected"] : Json();
  if (ejected.is_boolean() && ejected.get<bool>()) {
    out.health = "ejected";
  } else if (healthy.is_boolean()) {
    out.health = healthy.get<bool>() ? "healthy" : "unhealthy";
  }
  if (reported.contains("in_flight") && reported["in_flight"].is_number_integer()) {
    out.in_flight = reported["in_flight"].get<long long>();
  }
}

}  // namespace

ServiceHealth serviceHealth(const Context& ctx, const core::Service& service) {
  ServiceHealth out;
  for (const core::Endpoint& endpoint : service.endpoints) {
    out.endpoints.push_back(EndpointHealth{endpoint.address, endpoint.weight, "unknown", {}});
  }
  const core::Home home = ctx.home();
  const DaemonState daemon = probeDaemon(home);
  out.proxy_running = daemon.running;
  if (!daemon.running) {
    return out;
  }
  proxy::AdminClient admin(daemon.admin_address, home.token().value_or(""));
  auto response = admin.get("/v1/status");
  if (!response || response->status != 200) {
    return out;
  }
  const Json reported = findService(Json::parse(response->body, nullptr, false), service.name);
  if (!reported.is_object() || !reported.contains("endpoints") ||
      !reported["endpoints"].is_array()) {
    return out;
  }
  for (EndpointHealth& endpoint : out.endpoints) {
    for (const Json& item : reported["endpoints"]) {
      if (item.is_object() && item.value("address", "") == endpoint.address) {
        fill(endpoint, item);
        break;
      }
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
