// gw route add|update|list|get|delete: which requests go to which services.

#include <algorithm>
#include <cctype>
#include <iostream>

#include "cli/command.hpp"
#include "cli/flags.hpp"
#include "cli/mutate.hpp"
#include "cli/output.hpp"

namespace gw::cli {
namespace {

struct RouteOptions {
  std::string name;
  std::string gateway;
  std::vector<std::string> hosts;
  std::string path;
  std::string match;
  std::vector<std::string> methods;
  std::vector<std::string> headers;
  std::vector<std::string> to;
  std::string timeout;
  int retries = 0;
  std::string redirect;
  std::string rewrite;
  int priority = 0;
  std::set<std::string> given;  // the flags on the command line (update replaces only those)
};

// Sets what the user named; parsing errors are usage errors, the rest is validation's.
core::Status applyFlags(core::Route& route, const RouteOptions& o) {
  const auto& given = o.given;
  if (given.contains("gateway")) {
    route.gateway = o.gateway;
  }
  if (given.contains("host")) {
    route.hosts = o.hosts;
  }
  if (given.contains("path")) {
    route.match.path = o.path;
  }
  if (given.contains("match")) {
    route.match.type = core::parseMatchType(o.match).value_or(core::MatchType::kPrefix);
  }
  if (given.contains("method")) {
    route.methods.clear();
    for (std::string method : o.methods) {
      std::transform(method.begin(), method.end(), method.begin(),
                     [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
      route.methods.push_back(method);
    }
  }
  if (given.contains("header")) {
    route.headers.clear();
    for (const auto& header : o.headers) {
      auto parsed = parseHeaderFlag(header);
      if (!parsed) {
        return std::move(parsed).error();
      }
      route.headers.push_back(*parsed);
    }
  }
  if (given.contains("to")) {
    auto destinations = parseDestinationFlags(o.to);
    if (!destinations) {
      return std::move(destinations).error();
    }
    route.destinations = *destinations;
  }
  if (given.contains("timeout")) {
    auto timeout = parseDurationFlag("--timeout", o.timeout);
    if (!timeout) {
      return std::move(timeout).error();
    }
    route.timeout = *timeout;
  }
  if (given.contains("retries")) {
    route.retries.attempts = o.retries;
  }
  if (given.contains("redirect")) {
    route.redirect = o.redirect;
  }
  if (given.contains("rewrite")) {
    route.rewrite = o.rewrite;
  }
  if (given.contains("priority")) {
    route.priority = o.priority;
  }
  return core::Ok{};
}

core::Status done(core::Result<ChangeOutcome> outcome) {
  return outcome ? core::Status(core::Ok{}) : core::Status(std::move(outcome).error());
}

core::Status runAdd(const RouteOptions& o, Context& ctx) {
  return done(applyChange(ctx, quoted("route", o.name), "added", [&](core::Config& c) {
    if (c.findRoute(o.name) != nullptr) {
      return core::Status(core::makeError(core::ErrorKind::kValidation,
                                          quoted("route", o.name) + " already exists"));
    }
    core::Route route;
    route.name = o.name;
    if (auto applied = applyFlags(route, o); !applied) {
      return applied;
    }
    c.routes.push_back(route);
    return core::Status(core::Ok{});
  }));
}

core::Status runUpdate(const RouteOptions& o, Context& ctx) {
  return done(applyChange(ctx, quoted("route", o.name), "updated", [&](core::Config& c) {
    core::Route* route = c.findRoute(o.name);
    if (route == nullptr) {
      return core::Status(notFound("route", o.name));
    }
    return applyFlags(*route, o);
  }));
}

core::Status runDelete(const RouteOptions& o, Context& ctx) {
  return done(applyChange(ctx, quoted("route", o.name), "deleted", [&](core::Config& c) {
    if (c.findRoute(o.name) == nullptr) {
      return core::Status(notFound("route", o.name));
    }
    std::erase_if(c.routes, [&](const core::Route& r) { return r.name == o.name; });
    return core::Status(core::Ok{});
  }));
}

std::string destinationSummary(const core::Route& route) {
  if (!route.redirect.empty()) {
    return "redirect " + route.redirect;
  }
  std::vector<std::string> parts;
  for (const auto& d : route.destinations) {
    parts.push_back(d.service + "=" + std::to_string(d.weight));
  }
  return join(parts);
}

core::Status runList(const RouteOptions& o, Context& ctx) {
  auto config = readConfig(ctx);
  if (!config) {
    return std::move(config).error();
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

core::Status runGet(const RouteOptions& o, Context& ctx) {
  auto config = readConfig(ctx);
  if (!config) {
    return std::move(config).error();
  }
  if (config->findRoute(o.name) == nullptr) {
    return notFound("route", o.name);
  }
  printStructured(ctx, objectJson(*config, "routes", o.name));
  return core::Ok{};
}

void addRouteFlags(CLI::App* sub, RouteOptions& o, bool adding) {
  auto* gateway = sub->add_option("--gateway", o.gateway, "Gateway that serves the route")
                      ->type_name("GATEWAY");
  auto* host = sub->add_option("--host", o.hosts,
                               "Host to match: exact, *.example.com or *; repeat for more")
                   ->type_name("HOST");
  if (adding) {
    gateway->required();
    host->required();
  }
  sub->add_option("--path", o.path, "Path to match (default /)")->type_name("PATH");
  sub->add_option("--match", o.match, "How --path matches (default prefix)")
      ->check(CLI::IsMember({"prefix", "exact", "regex"}));
  sub->add_option("--method", o.methods, "HTTP method to match; repeat for more (default any)")
      ->type_name("METHOD");
  sub->add_option("--header", o.headers, "Header that must match, NAME=VALUE; repeat for more")
      ->type_name("K=V");
  sub->add_option("--to", o.to,
                  "Destination service with an optional weight 0..100; repeat to split "
                  "(weights sum to 100; services without one share the rest)")
      ->type_name("SERVICE[=WEIGHT]");
  sub->add_option("--timeout", o.timeout, "Upstream timeout, e.g. 10s or 250ms")
      ->type_name("DURATION");
  sub->add_option("--retries", o.retries, "Retries after the first try")->type_name("N");
  sub->add_option("--redirect", o.redirect, "Answer with a redirect to URL instead of proxying")
      ->type_name("URL");
  sub->add_option("--rewrite", o.rewrite, "Replace the matched path prefix before forwarding")
      ->type_name("PREFIX");
  sub->add_option("--priority", o.priority, "Higher wins over the path precedence")->type_name("N");
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
      "--to frontendv2");
  a->add_option("name", add->name, "Route name")->required()->type_name("NAME");
  addRouteFlags(a, *add, true);
  onRun(a, ctx, add, runAdd);

  auto update = std::make_shared<RouteOptions>();
  CLI::App* u =
      addCommand(*group, "update", "Change a route; the given flags replace their old values",
                 "  gw route update shop --to frontend=50 --to frontendv2=50");
  u->add_option("name", update->name, "Route name")->required()->type_name("ROUTE");
  addRouteFlags(u, *update, false);
  onRun(u, ctx, update, runUpdate);

  auto list = std::make_shared<RouteOptions>();
  CLI::App* l =
      addCommand(*group, "list", "List routes", "  gw route list --gateway shop-ingress -o json");
  l->add_option("--gateway", list->gateway, "Only the routes of this gateway")
      ->type_name("GATEWAY");
  onRun(l, ctx, list, runList);

  auto get = std::make_shared<RouteOptions>();
  CLI::App* g = addCommand(*group, "get", "Show one route", "  gw route get shop -o yaml");
  g->add_option("name", get->name, "Route name")->required()->type_name("ROUTE");
  onRun(g, ctx, get, runGet);

  auto del = std::make_shared<RouteOptions>();
  CLI::App* d = addCommand(*group, "delete", "Delete a route", "  gw route delete home");
  d->add_option("name", del->name, "Route name")->required()->type_name("ROUTE");
  onRun(d, ctx, del, runDelete);

  setupRouteExplain(*group, ctx);
}

}  // namespace gw::cli
