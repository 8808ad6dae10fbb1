#include "cli/status_view.hpp"

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <iostream>

#include "cli/daemon.hpp"
#include "cli/output.hpp"
#include "cli/status_consumers.hpp"
#include "cli/status_table.hpp"
#include "cli/status_tls.hpp"
#include "proxy/admin/client.hpp"

namespace gw::cli {
namespace {

// Seconds since started_at, an RFC 3339 UTC time.
std::optional<long long> uptimeFrom(const std::string& started_at) {
  const auto now = static_cast<long long>(std::time(nullptr));
  std::tm tm{};
  if (strptime(started_at.c_str(), "%Y-%m-%dT%H:%M:%S", &tm) == nullptr) {
    return std::nullopt;
  }
  const auto seconds = static_cast<long long>(timegm(&tm));
  return now >= seconds ? now - seconds : 0;
}

// What the proxy serves, as -o json has always shown it: the admin API's keys and their
// (sorted) order.
Json servedListeners(const std::vector<proxy::ListenerStatus>& served) {
  Json listeners = Json::array();
  for (const auto& l : served) {
    Json listener = {{"address", l.address},
                     {"gateway", l.gateway},
                     {"listener", l.listener},
                     {"port", l.port},
                     {"protocol", l.protocol}};
    if (l.tls) {
      listener["tls"] = *l.tls;
    }
    listeners.push_back(std::move(listener));
  }
  return listeners;
}

Json servedRoutes(const std::vector<proxy::RouteStatus>& served) {
  Json routes = Json::array();
  for (const auto& r : served) {
    Json route = {{"errorRate", r.error_rate}, {"gateway", r.gateway},
                  {"hosts", r.hosts},          {"name", r.name},
                  {"requests", r.requests},    {"rps", r.rps}};
    if (r.access) {
      route["access"] = {{"allowed", r.access->allowed},
                         {"refused", r.access->refused},
                         {"shadowDenied", r.access->shadow_denied},
                         {"shadowLimited", r.access->shadow_limited}};
    }
    routes.push_back(std::move(route));
  }
  return routes;
}

Json documentListeners(const core::Config& config) {
  Json listeners = Json::array();
  for (const auto& gateway : config.gateways) {
    for (const auto& listener : gateway.listeners) {
      listeners.push_back({{"gateway", gateway.name},
                           {"name", listener.name},
                           {"protocol", core::toString(listener.protocol)},
                           {"address", gateway.address},
                           {"port", listener.port}});
    }
  }
  return listeners;
}

Json documentRoutes(const core::Config& config) {
  Json routes = Json::array();
  for (const auto& route : config.routes) {
    Json destinations = Json::array();
    for (const auto& d : route.destinations) {
      destinations.push_back({{"service", d.service}, {"weight", d.weight}});
    }
    routes.push_back({{"name", route.name},
                      {"gateway", route.gateway},
                      {"hosts", route.hosts},
                      {"path", route.match.path},
                      {"match", core::toString(route.match.type)},
                      {"destinations", destinations}});
  }
  return routes;
}

}  // namespace

std::string formatUptime(long long seconds) {
  if (seconds < 60) {
    return std::to_string(seconds) + "s";
  }
  if (seconds < 3600) {
    return std::to_string(seconds / 60) + "m" + std::to_string(seconds % 60) + "s";
  }
  if (seconds < 86400) {
    return std::to_string(seconds / 3600) + "h" + std::to_string(seconds % 3600 / 60) + "m";
  }
  return std::to_string(seconds / 86400) + "d" + std::to_string(seconds % 86400 / 3600) + "h";
}

StatusReport collectStatus(const core::Home& home) {
  StatusReport report;
  report.home = home.root().string();
  DaemonState daemon = probeDaemon(home);
  report.running = daemon.running;
  report.pid = daemon.pid;
  report.stale_pid = daemon.stale_pid;
  report.admin_address = daemon.running ? daemon.admin_address : "";

  auto config = home.load();
  if (config) {
    report.document_revision = config->revision;
    report.listeners = documentListeners(*config);
    report.routes = documentRoutes(*config);
    report.tls = tlsHosts(*config, home.file("certs"));
  } else {
    report.document_error = config.error().message;
  }
  if (!daemon.running) {
    return report;
  }
  proxy::AdminClient admin(daemon.admin_address, home.token().value_or(""));
  auto served = admin.status();
  if (!served) {
    report.admin_error = served.error().message;
    return report;
  }
  report.served_revision = served->revision;
  report.uptime_seconds = uptimeFrom(served->started_at);
  report.listeners = servedListeners(served->listeners);
  report.routes = servedRoutes(served->routes);
  report.tls_problems = served->tls_problems;
  report.document_changed = served->document_changed;
  report.consumers = consumerTraffic(admin);
  for (const proxy::RedisStatus& r : served->redis) {
    report.redis.push_back({{"address", r.address},
                            {"breaker", r.open ? "open" : "closed"},
                            {"calls", r.calls},
                            {"failures", r.failures},
                            {"lastError", r.last_error}});
  }
  for (const proxy::ServiceStatus& service : served->services) {
    for (const proxy::EndpointStatus& endpoint : service.endpoints) {
      if (endpoint.ejected || !endpoint.healthy) {
        report.unhealthy_endpoints.push_back(
            {{"service", service.name},
             {"address", endpoint.address},
             {"health", endpoint.ejected ? "ejected" : "unhealthy"}});
      }
    }
  }
  return report;
}

namespace {

Json statusJson(const StatusReport& r) {
  auto optional = [](const auto& value) { return value ? Json(*value) : Json(); };
  Json out = {{"running", r.running},
              {"pid", r.running ? Json(r.pid) : Json()},
              {"adminAddress", r.admin_address.empty() ? Json() : Json(r.admin_address)},
              {"revision", optional(r.served_revision)},
              {"uptimeSeconds", optional(r.uptime_seconds)},
              {"documentRevision", optional(r.document_revision)},
              {"home", r.home},
              {"listeners", r.listeners},
              {"routes", r.routes},
              {"tls", r.tls},
              {"tlsProblems", r.tls_problems},
              {"documentChanged", r.document_changed},
              {"unhealthyEndpoints", r.unhealthy_endpoints},
              {"consumers", r.consumers},
              {"redis", r.redis}};
  if (r.stale_pid != 0) {
    out["stalePid"] = r.stale_pid;
  }
  if (!r.admin_error.empty()) {
    out["adminError"] = r.admin_error;
  }
  if (!r.document_error.empty()) {
    out["documentError"] = r.document_error;
  }
  return out;
}

// The lines above the tables: the proxy's state, the revisions, the home.
void printStatusLines(const StatusReport& r, bool color) {
  std::cout << "gw:         ";
  if (r.running) {
    std::cout << green("running", color) << " (pid " << r.pid;
    if (r.uptime_seconds) {
      std::cout << ", up " << formatUptime(*r.uptime_seconds);
    }
    std::cout << ")\n"
              << "admin API:  " << r.admin_address << '\n';
  } else if (r.stale_pid != 0) {
    std::cout << yellow("stopped", color) << " (stale pid " << r.stale_pid
              << ": the proxy is not running)\n";
  } else {
    std::cout << yellow("stopped", color) << '\n';
  }
  std::cout << "revision:   ";
  if (r.served_revision) {
    std::cout << *r.served_revision << " served, ";
  }
  if (r.document_revision) {
    std::cout << *r.document_revision << " in the document\n";
  } else {
    std::cout << red("the document does not load: ", color) << r.document_error << '\n';
  }
  std::cout << "home:       " << r.home << '\n';
  if (!r.admin_error.empty()) {
    std::cout << "warning:    " << r.admin_error << " (showing the document instead)\n";
  }
}

}  // namespace

void printStatus(const Context& ctx, const StatusReport& r) {
  if (ctx.format() != Format::kTable) {
    printStructured(ctx, statusJson(r));
    return;
  }
  const bool color = ctx.colorStdout();
  printStatusLines(r, color);
  const char* source = r.running && r.admin_error.empty() ? "" : " (configured)";
  std::cout << '\n' << bold(std::string("LISTENERS") + source, color) << '\n';
  if (r.listeners.empty()) {
    std::cout << "none\n";
  } else {
    printTable(std::cout, tableOf(r.listeners), false);
  }
  std::cout << '\n' << bold(std::string("ROUTES") + source, color) << '\n';
  if (r.routes.empty()) {
    std::cout << "none\n";
  } else {
    printTable(std::cout, tableOf(readableRoutes(r.routes)), false);
  }
  printConsumers(std::cout, r.consumers, color);
  if (!r.tls.empty()) {
    std::cout << '\n' << bold("TLS", color) << '\n';
    printTable(std::cout, tableOf(r.tls), false);
  }
  for (const std::string& problem : r.tls_problems) {
    std::cout << yellow("warning: ", color) << problem << '\n';
  }
  for (const Json& e : r.unhealthy_endpoints) {
    std::cout << yellow("warning: ", color) << "service \"" << e["service"].get<std::string>()
              << "\": endpoint " << e["address"].get<std::string>() << " is "
              << (e["health"] == "ejected" ? "ejected (outlier detection)"
                                           : "unhealthy (failing its health check)")
              << '\n';
  }
  for (const Json& server : r.redis) {
    if (server["breaker"] == "open") {
      std::cout << yellow("warning: ", color) << "redis " << server["address"].get<std::string>()
                << " is not answering (breaker open: shared rate limits use their onStoreError; "
                << server["lastError"].get<std::string>() << ")\n";
    }
  }
  if (r.document_changed) {
    std::cout << yellow("warning: ", color) << r.home
              << "/config.yaml changed after the proxy loaded it (edited by hand?); "
                 "'gw reload' serves it\n";
  }
}

}  // namespace gw::cli
