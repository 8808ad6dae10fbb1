// gw gateway create|list|get|update|delete: the listeners a gateway opens and how it serves
// https (redirect, HSTS, certificates).

#include <algorithm>
#include <iostream>

#include "cli/cert_store.hpp"
#include "cli/command.hpp"
#include "cli/gateway_flags.hpp"
#include "cli/mutate.hpp"
#include "cli/object_detail.hpp"
#include "cli/output.hpp"
#include "cli/service_health.hpp"

namespace gw::cli {
namespace {

std::string listenerSummary(const core::Gateway& gateway) {
  std::vector<std::string> parts;
  for (const auto& listener : gateway.listeners) {
    std::string part;
    if (listener.name != core::toString(listener.protocol)) {
      part += listener.name;
      part += '=';
    }
    part += core::toString(listener.protocol);
    part += ':';
    part += std::to_string(listener.port);
    parts.push_back(std::move(part));
  }
  return join(parts);
}

// Local mode runs one proxy on this host: cluster settings are saved for later, and said so.
void noteClusterFlags(const GatewayOptions& o, const Context& ctx) {
  for (const char* flag : {"replicas", "service-type"}) {
    if (o.given.contains(flag)) {
      ctx.note(std::string("--") + flag +
               " is saved but does nothing in local mode, where one gw proxy serves this host");
    }
  }
}

core::Status createGateway(const GatewayOptions& o, Context& ctx) {
  noteClusterFlags(o, ctx);
  return asStatus(applyChange(ctx, {"gateway", o.name}, "created", [&](core::Config& c) {
    if (c.findGateway(o.name) != nullptr) {
      return core::Status(core::makeError(core::ErrorKind::kValidation,
                                          quoted("gateway", o.name) + " already exists"));
    }
    core::Gateway gateway;
    gateway.name = o.name;
    if (auto applied = applyGatewayFlags(gateway, o); !applied) {
      return applied;
    }
    if (auto kept = keepGatewayAccountBinding(gateway, o, issuerHome(ctx)); !kept) {
      return kept;
    }
    c.gateways.push_back(gateway);
    return core::Status(core::Ok{});
  }));
}

core::Status updateGateway(const GatewayOptions& o, Context& ctx) {
  noteClusterFlags(o, ctx);
  return asStatus(applyChange(ctx, {"gateway", o.name}, "updated", [&](core::Config& c) {
    core::Gateway* gateway = c.findGateway(o.name);
    if (gateway == nullptr) {
      return core::Status(notFound("gateway", o.name));
    }
    if (auto applied = applyGatewayFlags(*gateway, o); !applied) {
      return applied;
    }
    return keepGatewayAccountBinding(*gateway, o, issuerHome(ctx));
  }));
}

core::Status listGateways(const GatewayOptions& /*options*/, Context& ctx) {
  auto config = readConfig(ctx);
  if (!config) {
    return std::move(config).error();
  }
  if (ctx.format() != Format::kTable) {
    printStructured(ctx, documentJson(*config).value("gateways", Json::array()));
    return core::Ok{};
  }
  Table table{{"NAME", "ADDRESS", "LISTENERS", "ROUTES"}, {}};
  for (const auto& gateway : config->gateways) {
    auto routes = std::count_if(config->routes.begin(), config->routes.end(),
                                [&](const core::Route& r) { return r.gateway == gateway.name; });
    table.rows.push_back(
        {gateway.name, gateway.address, listenerSummary(gateway), std::to_string(routes)});
  }
  printTable(std::cout, table, ctx.colorStdout());
  return core::Ok{};
}

core::Status showGateway(const GatewayOptions& o, Context& ctx) {
  auto config = readConfig(ctx);
  if (!config) {
    return std::move(config).error();
  }
  const core::Gateway* gateway = config->findGateway(o.name);
  if (gateway == nullptr) {
    return notFound("gateway", o.name);
  }
  printWithDetail(ctx, objectJson(*config, "gateways", o.name),
                  gatewayDetail(runningStatus(ctx), *config, *gateway));
  return core::Ok{};
}

core::Status deleteGateway(const GatewayOptions& o, Context& ctx) {
  return asStatus(applyChange(ctx, {"gateway", o.name}, "deleted", [&](core::Config& c) {
    if (c.findGateway(o.name) == nullptr) {
      return core::Status(notFound("gateway", o.name));
    }
    std::vector<std::string> users;
    for (const auto& route : c.routes) {
      if (route.gateway == o.name) {
        users.push_back(route.name);
      }
    }
    if (!users.empty()) {
      return core::Status(core::makeError(
          core::ErrorKind::kValidation, quoted("gateway", o.name) +
                                            " is used by routes: " + join(users, ", ") +
                                            "; delete them or move them to another gateway first"));
    }
    std::erase_if(c.gateways, [&](const core::Gateway& g) { return g.name == o.name; });
    return core::Status(core::Ok{});
  }));
}

}  // namespace

void setupGateway(CLI::App& app, Context& ctx) {
  CLI::App* group = addGroup(app, "gateway", "Manage gateways: the addresses and ports gw serves",
                             "  gw gateway create shop-ingress --port http:8080 --port https:8443");

  auto create = std::make_shared<GatewayOptions>();
  CLI::App* c = addCommand(*group, "create", "Create a gateway with its listeners",
                           "  gw gateway create shop-ingress --port http:8080 --port https:8443\n"
                           "  gw gateway create edge --port http:80 --port https:443 "
                           "--https-redirect --hsts 1y\n"
                           "  gw gateway create api --port http:8080 --max-body-size 64KiB "
                           "--idle-timeout 30s");
  c->add_option("name", create->name, "Gateway name")->required()->type_name("NAME");
  addGatewayFlags(c, *create, true);
  onRun(c, ctx, create, createGateway);

  auto list = std::make_shared<GatewayOptions>();
  CLI::App* l = addCommand(*group, "list", "List gateways", "  gw gateway list -o json");
  onRun(l, ctx, list, listGateways);

  auto get = std::make_shared<GatewayOptions>();
  CLI::App* g =
      addCommand(*group, "get", "Show one gateway", "  gw gateway get shop-ingress -o yaml");
  g->add_option("name", get->name, "Gateway name")->required()->type_name("GATEWAY");
  onRun(g, ctx, get, showGateway);

  auto update = std::make_shared<GatewayOptions>();
  CLI::App* u =
      addCommand(*group, "update", "Change a gateway; the given flags replace their values",
                 "  gw gateway update shop-ingress --https-redirect --hsts 1y\n"
                 "  gw gateway update shop-ingress --no-hsts --tls auto "
                 "--tls-email ops@shop.test");
  u->add_option("name", update->name, "Gateway name")->required()->type_name("GATEWAY");
  addGatewayFlags(u, *update, false);
  onRun(u, ctx, update, updateGateway);

  auto del = std::make_shared<GatewayOptions>();
  CLI::App* d = addCommand(*group, "delete", "Delete a gateway no route uses",
                           "  gw gateway delete shop-ingress");
  d->add_option("name", del->name, "Gateway name")->required()->type_name("GATEWAY");
  onRun(d, ctx, del, deleteGateway);
}

}  // namespace gw::cli
