// gw service add|list|get|update|delete: the upstreams routes send traffic to.

#include <algorithm>
#include <iostream>

#include "cli/command.hpp"
#include "cli/flags.hpp"
#include "cli/mutate.hpp"
#include "cli/output.hpp"
#include "cli/service_flags.hpp"
#include "cli/service_health.hpp"

namespace gw::cli {
namespace {

// The routes that send to `service` or mirror to it, each saying which.
std::vector<std::string> usersOf(const core::Config& c, const std::string& service) {
  std::vector<std::string> users;
  for (const auto& route : c.routes) {
    if (std::any_of(route.destinations.begin(), route.destinations.end(),
                    [&](const core::Destination& d) { return d.service == service; })) {
      users.push_back(route.name + " (--to)");
    } else if (route.mirror && route.mirror->service == service) {
      users.push_back(route.name + " (--mirror)");
    } else if (route.aggregate &&
               std::any_of(route.aggregate->backends.begin(), route.aggregate->backends.end(),
                           [&](const core::AggregateBackend& b) { return b.service == service; })) {
      users.push_back(route.name + " (--aggregate)");
    }
  }
  return users;
}

std::string endpointList(const core::Service& service) {
  std::vector<std::string> addresses;
  for (const core::Endpoint& endpoint : service.endpoints) {
    addresses.push_back(endpoint.weight == core::Endpoint{}.weight
                            ? endpoint.address
                            : endpoint.address + "=" + std::to_string(endpoint.weight));
  }
  return join(addresses);
}

core::Status addService(const ServiceOptions& o, Context& ctx) {
  return asStatus(applyChange(ctx, {"service", o.name}, "added", [&](core::Config& c) {
    if (c.findService(o.name) != nullptr) {
      return core::Status(core::makeError(core::ErrorKind::kValidation,
                                          quoted("service", o.name) + " already exists"));
    }
    core::Service service;
    service.name = o.name;
    if (auto applied = applyServiceFlags(service, o); !applied) {
      return applied;
    }
    c.services.push_back(service);
    return core::Status(core::Ok{});
  }));
}

core::Status updateService(const ServiceOptions& o, Context& ctx) {
  return asStatus(applyChange(ctx, {"service", o.name}, "updated", [&](core::Config& c) {
    core::Service* service = c.findService(o.name);
    if (service == nullptr) {
      return core::Status(notFound("service", o.name));
    }
    return applyServiceFlags(*service, o);
  }));
}

core::Status deleteService(const ServiceOptions& o, Context& ctx) {
  return asStatus(applyChange(ctx, {"service", o.name}, "deleted", [&](core::Config& c) {
    if (c.findService(o.name) == nullptr) {
      return core::Status(notFound("service", o.name));
    }
    if (auto users = usersOf(c, o.name); !users.empty()) {
      return core::Status(core::makeError(core::ErrorKind::kValidation,
                                          quoted("service", o.name) + " is used by routes: " +
                                              join(users, ", ") + "; change them first"));
    }
    std::erase_if(c.services, [&](const core::Service& s) { return s.name == o.name; });
    return core::Status(core::Ok{});
  }));
}

core::Status listServices(const ServiceOptions& /*options*/, Context& ctx) {
  auto config = readConfig(ctx);
  if (!config) {
    return std::move(config).error();
  }
  if (ctx.format() != Format::kTable) {
    printStructured(ctx, documentJson(*config).value("services", Json::array()));
    return core::Ok{};
  }
  Table table{{"NAME", "ENDPOINTS", "LB", "HEALTH", "ROUTES"}, {}};
  for (const auto& service : config->services) {
    std::string health = service.health_check ? service.health_check->path : "-";
    table.rows.push_back({service.name, endpointList(service),
                          core::toString(service.load_balancer), health,
                          std::to_string(usersOf(*config, service.name).size())});
  }
  printTable(std::cout, table, ctx.colorStdout());
  return core::Ok{};
}

core::Status showService(const ServiceOptions& o, Context& ctx) {
  auto config = readConfig(ctx);
  if (!config) {
    return std::move(config).error();
  }
  const core::Service* service = config->findService(o.name);
  if (service == nullptr) {
    return notFound("service", o.name);
  }
  const ServiceHealth health = serviceHealth(ctx, *service);
  Json object = objectJson(*config, "services", o.name);
  if (ctx.format() != Format::kTable) {
    object["status"] = healthJson(health);
    printStructured(ctx, object);
    return core::Ok{};
  }
  std::cout << toYaml(object) << '\n';
  printTable(std::cout, healthTable(health), ctx.colorStdout());
  return core::Ok{};
}

}  // namespace

void setupService(CLI::App& app, Context& ctx) {
  CLI::App* group = addGroup(app, "service", "Manage services: the upstreams behind routes",
                             "  gw service add frontend --endpoint 127.0.0.1:9001");

  auto add = std::make_shared<ServiceOptions>();
  CLI::App* a = addCommand(*group, "add", "Add a service and its endpoints",
                           "  gw service add frontend --endpoint 127.0.0.1:9001\n"
                           "  gw service add api --endpoint 10.0.0.5:8080 --endpoint "
                           "10.0.0.6:8080=3 --lb least-request --health-path /healthz");
  a->add_option("name", add->name, "Service name")->required()->type_name("NAME");
  addServiceFlags(a, *add, true);
  onRun(a, ctx, add, addService);

  auto list = std::make_shared<ServiceOptions>();
  CLI::App* l = addCommand(*group, "list", "List services", "  gw service list -o json");
  onRun(l, ctx, list, listServices);

  auto get = std::make_shared<ServiceOptions>();
  CLI::App* g =
      addCommand(*group, "get", "Show one service and, when the proxy runs, each endpoint's health",
                 "  gw service get frontend -o yaml");
  g->add_option("name", get->name, "Service name")->required()->type_name("SERVICE");
  onRun(g, ctx, get, showService);

  auto update = std::make_shared<ServiceOptions>();
  CLI::App* u = addCommand(*group, "update", "Change a service; only the given flags change",
                           "  gw service update frontend --endpoint 127.0.0.1:9003 --lb random");
  u->add_option("name", update->name, "Service name")->required()->type_name("SERVICE");
  addServiceFlags(u, *update, false);
  onRun(u, ctx, update, updateService);

  auto del = std::make_shared<ServiceOptions>();
  CLI::App* d = addCommand(*group, "delete", "Delete a service no route uses",
                           "  gw service delete frontendv2");
  d->add_option("name", del->name, "Service name")->required()->type_name("SERVICE");
  onRun(d, ctx, del, deleteService);
}

}  // namespace gw::cli
