// gw route add|update|list|get|delete: which requests go to which services.

#include <algorithm>
#include <cctype>
#include <iostream>

#include "cli/command.hpp"
#include "cli/flags.hpp"
#include "cli/mutate.hpp"
#include "cli/object_detail.hpp"
#include "cli/output.hpp"
#include "cli/route_flags.hpp"
#include "cli/service_health.hpp"
#include "core/config/redirect.hpp"

namespace gw::cli {
namespace {

core::Status addRoute(const RouteOptions& o, Context& ctx) {
  return asStatus(applyChange(ctx, {"route", o.name}, "added", [&](core::Config& c) {
    if (c.findRoute(o.name) != nullptr) {
      return core::Status(core::makeError(core::ErrorKind::kValidation,
                                          quoted("route", o.name) + " already exists"));
    }
    core::Route route;
    route.name = o.name;
    if (auto applied = applyRouteFlags(route, o); !applied) {
      return applied;
    }
    c.routes.push_back(route);
    return core::Status(core::Ok{});
  }));
}

core::Status updateRoute(const RouteOptions& o, Context& ctx) {
  return asStatus(applyChange(ctx, {"route", o.name}, "updated", [&](core::Config& c) {
    core::Route* route = c.findRoute(o.name);
    if (route == nullptr) {
      return core::Status(notFound("route", o.name));
    }
    return applyRouteFlags(*route, o);
  }));
}

core::Status deleteRoute(const RouteOptions& o, Context& ctx) {
  return asStatus(applyChange(ctx, {"route", o.name}, "deleted", [&](core::Config& c) {
    if (c.findRoute(o.name) == nullptr) {
      return core::Status(notFound("route", o.name));
    }
    std::erase_if(c.routes, [&](const core::Route& r) { return r.name == o.name; });
    return core::Status(core::Ok{});
  }));
}

// "301 https://new.test/"; "*" stands for what the request keeps.
std::string redirectSummary(const core::Redirect& r) {
  if (const auto url = core::redirectUrl(r)) {
    return *url;
  }
  std::string target;
  if (!r.scheme.empty() || !r.host.empty() || r.port) {
    target = (r.scheme.empty() ? "*" : r.scheme) + "://" + (r.host.empty() ? "*" : r.host);
    if (r.port) {
      target += ":" + std::to_string(*r.port);
    }
  }
  target += !r.path.empty() ? r.path : !r.prefix.empty() ? r.prefix + "*" : "";
  return std::to_string(r.code) + " " + (target.empty() ? "*" : target);
}

std::string destinationSummary(const core::Route& route) {
  if (route.redirect) {
    return "redirect " + redirectSummary(*route.redirect);
  }
  if (route.direct_response) {
    return "answer " + std::to_string(route.direct_response->status);
  }
  std::vector<std::string> parts;
  if (route.aggregate) {
    for (const auto& backend : route.aggregate->backends) {
      parts.push_back(backend.service);
    }
    return "aggregate " + join(parts, "+");
  }
  for (const auto& d : route.destinations) {
    parts.push_back(d.service + "=" + std::to_string(d.weight));
  }
  return join(parts);
}

core::Status listRoutes(const RouteOptions& o, Context& ctx) {
  auto config = readConfig(ctx);
  if (!config) {
    return std::move(config).error();
  }
  if (!o.gateway.empty() && config->findGateway(o.gateway) == nullptr) {
    return notFound("gateway", o.gateway);  // not an empty list: the name is wrong
  }
  auto shown = [&](const std::string& gateway) {
    return o.gateway.empty() || gateway == o.gateway;
  };
  if (ctx.format() != Format::kTable) {
    Json routes = Json::array();
    for (const auto& route : documentJson(*config).value("routes", Json::array())) {
      if (shown(route.value("gateway", ""))) {
        routes.push_back(route);
      }
    }
    printStructured(ctx, routes);
    return core::Ok{};
  }
  Table table{{"NAME", "GATEWAY", "HOSTS", "PATH", "MATCH", "DESTINATIONS"}, {}};
  for (const auto& route : config->routes) {
    if (shown(route.gateway)) {
      table.rows.push_back({route.name, route.gateway,
                            route.hosts.empty() ? "*" : join(route.hosts), route.match.path,
                            core::toString(route.match.type), destinationSummary(route)});
    }
  }
  printTable(std::cout, table, ctx.colorStdout());
  return core::Ok{};
}

core::Status showRoute(const RouteOptions& o, Context& ctx) {
  auto config = readConfig(ctx);
  if (!config) {
    return std::move(config).error();
  }
  const core::Route* route = config->findRoute(o.name);
  if (route == nullptr) {
    return notFound("route", o.name);
  }
  printWithDetail(ctx, objectJson(*config, "routes", o.name),
                  routeDetail(runningStatus(ctx), *config, *route));
  return core::Ok{};
}

}  // namespace

void setupRoute(CLI::App& app, Context& ctx) {
  CLI::App* group = addGroup(app, "route", "Manage routes: which requests go to which services",
                             "  gw route add shop --gateway shop-ingress --host shop.test --to "
                             "frontend");

  auto add = std::make_shared<RouteOptions>();
  CLI::App* a = addCommand(
      *group, "add", "Add a route",
      "  gw route add shop --gateway shop-ingress --host shop.test --to frontend\n"
      "  gw route add home --gateway shop-ingress --host shop.test --path / --match exact "
      "--to frontendv2\n"
      "  gw route add ping --gateway shop-ingress --host shop.test --path /ping --match exact "
      "--direct-response 200 --body pong\n"
      "  gw route add to-https --gateway shop-ingress --host shop.test --redirect "
      "https://shop.test/ --redirect-code 301\n"
      "  gw route add account --gateway shop-ingress --host shop.test --path '^/account/([0-9]+)$' "
      "--match regex --aggregate service=users,path=/users/{1},group=user,required "
      "--aggregate service=orders,path=/orders?user={1},group=orders");
  a->add_option("name", add->name, "Route name")->required()->type_name("NAME");
  addRouteFlags(a, *add, true);
  onRun(a, ctx, add, addRoute);

  auto update = std::make_shared<RouteOptions>();
  CLI::App* u =
      addCommand(*group, "update", "Change a route; the given flags replace their old values",
                 "  gw route update shop --to frontend=50 --to frontendv2=50");
  u->add_option("name", update->name, "Route name")->required()->type_name("ROUTE");
  addRouteFlags(u, *update, false);
  onRun(u, ctx, update, updateRoute);

  auto list = std::make_shared<RouteOptions>();
  CLI::App* l =
      addCommand(*group, "list", "List routes", "  gw route list --gateway shop-ingress -o json");
  l->add_option("--gateway", list->gateway, "Only the routes of this gateway")
      ->type_name("GATEWAY");
  onRun(l, ctx, list, listRoutes);

  auto get = std::make_shared<RouteOptions>();
  CLI::App* g = addCommand(*group, "get", "Show one route", "  gw route get shop -o yaml");
  g->add_option("name", get->name, "Route name")->required()->type_name("ROUTE");
  onRun(g, ctx, get, showRoute);

  auto del = std::make_shared<RouteOptions>();
  CLI::App* d = addCommand(*group, "delete", "Delete a route", "  gw route delete home");
  d->add_option("name", del->name, "Route name")->required()->type_name("ROUTE");
  onRun(d, ctx, del, deleteRoute);

  setupRouteExplain(*group, ctx);
}

}  // namespace gw::cli
