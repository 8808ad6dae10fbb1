#include "cli/object_detail.hpp"

#include <algorithm>
#include <cstdio>
#include <iostream>

#include "cli/service_health.hpp"

namespace gw::cli {
namespace {

std::string proxyState(const std::optional<proxy::StatusDoc>& status) {
  return status ? "running" : "stopped";
}

// http://host:port/path for each host of the route on each listener of its gateway.
Json urlsOf(const core::Config& config, const core::Route& route) {
  Json urls = Json::array();
  const core::Gateway* gateway = config.findGateway(route.gateway);
  if (gateway == nullptr) {
    return urls;
  }
  const std::vector<std::string> hosts =
      route.hosts.empty() ? std::vector<std::string>{gateway->address} : route.hosts;
  for (const core::Listener& listener : gateway->listeners) {
    const std::string scheme = core::toString(listener.protocol);
    const bool usual = listener.port == (scheme == "https" ? 443 : 80);
    const std::string port = usual ? "" : ":" + std::to_string(listener.port);
    // A regex is no URL: its route is shown at the listener's root.
    const std::string path = route.match.path.empty() || route.match.type == core::MatchType::kRegex
                                 ? "/"
                                 : route.match.path;
    for (const std::string& host : hosts) {
      std::string url = scheme;
      url += "://";
      url += host;
      url += port;
      url += path;
      urls.push_back(url);
    }
  }
  return urls;
}

Json trafficOf(const std::optional<proxy::StatusDoc>& status, const core::Route& route) {
  if (!status) {
    return nullptr;
  }
  for (const proxy::RouteStatus& r : status->routes) {
    if (r.name == route.name) {
      return Json{{"requests", r.requests}, {"rps", r.rps}, {"errorRate", r.error_rate}};
    }
  }
  return nullptr;
}

}  // namespace

Json routeDetail(const std::optional<proxy::StatusDoc>& status, const core::Config& config,
                 const core::Route& route) {
  Json destinations = Json::array();
  for (const core::Destination& d : route.destinations) {
    const core::Service* service = config.findService(d.service);
    Json item = {{"service", d.service}, {"weight", d.weight}};
    if (service != nullptr) {
      const ServiceHealth health = serviceHealth(status, *service);
      const auto healthy = std::count_if(health.endpoints.begin(), health.endpoints.end(),
                                         [](const auto& e) { return e.health == "healthy"; });
      item["healthy"] = status ? Json(healthy) : Json();
      item["endpoints"] = health.endpoints.size();
    }
    destinations.push_back(std::move(item));
  }
  return Json{{"proxy", proxyState(status)},
              {"urls", urlsOf(config, route)},
              {"traffic", trafficOf(status, route)},
              {"destinations", std::move(destinations)}};
}

Json gatewayDetail(const std::optional<proxy::StatusDoc>& status, const core::Config& config,
                   const core::Gateway& gateway) {
  Json listeners = Json::array();
  for (const core::Listener& listener : gateway.listeners) {
    Json serving;  // unknown while stopped
    if (status) {
      serving = std::any_of(status->listeners.begin(), status->listeners.end(),
                            [&](const proxy::ListenerStatus& l) {
                              return l.gateway == gateway.name && l.port == listener.port;
                            });
    }
    listeners.push_back({{"protocol", core::toString(listener.protocol)},
                         {"address", gateway.address},
                         {"port", listener.port},
                         {"serving", serving}});
  }
  Json routes = Json::array();
  for (const core::Route& route : config.routes) {
    if (route.gateway == gateway.name) {
      routes.push_back({{"name", route.name}, {"hosts", route.hosts}});
    }
  }
  return Json{{"proxy", proxyState(status)},
              {"listeners", std::move(listeners)},
              {"routes", std::move(routes)}};
}

void printWithDetail(const Context& ctx, Json object, const Json& detail) {
  if (ctx.format() != Format::kTable) {
    object["status"] = detail;
    printStructured(ctx, object);
    return;
  }
  std::cout << toYaml(object) << '\n';
  const bool color = ctx.colorStdout();
  auto text = [](const Json& v) {
    return v.is_null() ? std::string("-") : v.is_string() ? v.get<std::string>() : v.dump();
  };
  std::cout << "proxy: " << detail["proxy"].get<std::string>() << '\n';
  if (detail.contains("urls")) {
    for (const Json& url : detail["urls"]) {
      std::cout << "url:   " << url.get<std::string>() << '\n';
    }
    const Json& traffic = detail["traffic"];
    if (traffic.is_object()) {
      char line[128];
      std::snprintf(line, sizeof line, "traffic: %llu requests, %.1f/s, %.1f%% 5xx\n",
                    traffic["requests"].get<unsigned long long>(), traffic["rps"].get<double>(),
                    traffic["errorRate"].get<double>() * 100.0);
      std::cout << line;
    }
    Table table{{"DESTINATION", "WEIGHT", "HEALTHY", "ENDPOINTS"}, {}};
    for (const Json& d : detail["destinations"]) {
      table.rows.push_back({d["service"].get<std::string>(), text(d["weight"]) + "%",
                            text(d.value("healthy", Json())), text(d.value("endpoints", Json()))});
    }
    if (!table.rows.empty()) {
      std::cout << '\n';
      printTable(std::cout, table, color);
    }
    return;
  }
  Table listeners{{"LISTENER", "ADDRESS", "PORT", "SERVING"}, {}};
  for (const Json& l : detail["listeners"]) {
    listeners.rows.push_back({text(l["protocol"]), text(l["address"]), text(l["port"]),
                              l["serving"].is_null() ? "-" : (l["serving"] ? "yes" : "NO")});
  }
  std::cout << '\n';
  printTable(std::cout, listeners, color);
  Table routes{{"ROUTE", "HOSTS"}, {}};
  for (const Json& r : detail["routes"]) {
    std::vector<std::string> hosts = r["hosts"].get<std::vector<std::string>>();
    routes.rows.push_back({text(r["name"]), hosts.empty() ? "*" : join(hosts, ", ")});
  }
  if (!routes.rows.empty()) {
    std::cout << '\n';
    printTable(std::cout, routes, color);
  }
}

}  // namespace gw::cli
