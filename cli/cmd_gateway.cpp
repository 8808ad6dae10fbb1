// gw gateway create|list|get|delete: the listeners a gateway opens.

#include <algorithm>
#include <array>
#include <cstdint>
#include <iostream>
#include <limits>
#include <tuple>

#include "cli/command.hpp"
#include "cli/flags.hpp"
#include "cli/mutate.hpp"
#include "cli/output.hpp"

namespace gw::cli {
namespace {

struct GatewayCreateOptions {
  std::string name;
  std::vector<std::string> ports;
  std::string address;
  std::string replicas;
  std::string service_type;
  std::string max_body_size;
  std::string max_header_size;
  std::string header_read_timeout;
  std::string idle_timeout;
  std::string write_timeout;
};

struct GatewayNameOptions {
  std::string name;
};

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

// Every listener is named after its protocol; a second one of a protocol gets a suffix.
core::Result<std::vector<core::Listener>> listenersFromFlags(
    const std::vector<std::string>& ports) {
  std::vector<core::Listener> listeners;
  for (const auto& port : ports) {
    auto listener = parseListenerFlag(port);
    if (!listener) {
      return std::move(listener).error();
    }
    const std::string base = listener->name;
    for (int n = 2; std::any_of(listeners.begin(), listeners.end(),
                                [&](const core::Listener& l) { return l.name == listener->name; });
         ++n) {
      listener->name = base + "-" + std::to_string(n);
    }
    listeners.push_back(*listener);
  }
  return listeners;
}

// Request limits and client timeouts; sizes take KiB/MiB suffixes.
core::Status applyProtection(core::Gateway& gateway, const GatewayCreateOptions& o) {
  if (!o.max_body_size.empty()) {
    auto size = parseByteSizeFlag("--max-body-size", o.max_body_size);
    if (!size) {
      return std::move(size).error();
    }
    gateway.limits.max_body_bytes = *size;
  }
  if (!o.max_header_size.empty()) {
    auto size = parseByteSizeFlag("--max-header-size", o.max_header_size);
    if (!size) {
      return std::move(size).error();
    }
    if (*size > std::numeric_limits<std::uint32_t>::max()) {
      return usageError("invalid --max-header-size \"" + o.max_header_size + "\": at most 4GiB");
    }
    gateway.limits.max_header_bytes = static_cast<std::uint32_t>(*size);
  }
  const std::array<std::tuple<const char*, const std::string*, core::Millis*>, 3> timeouts{{
      {"--header-read-timeout", &o.header_read_timeout, &gateway.timeouts.header_read},
      {"--idle-timeout", &o.idle_timeout, &gateway.timeouts.idle},
      {"--write-timeout", &o.write_timeout, &gateway.timeouts.write},
  }};
  for (const auto& [flag, text, target] : timeouts) {
    if (text->empty()) {
      continue;
    }
    auto timeout = parseDurationFlag(flag, *text);
    if (!timeout) {
      return std::move(timeout).error();
    }
    *target = *timeout;
  }
  return core::Ok{};
}

core::Status runCreate(const GatewayCreateOptions& o, Context& ctx) {
  auto listeners = listenersFromFlags(o.ports);
  if (!listeners) {
    return std::move(listeners).error();
  }
  core::Gateway gateway;
  gateway.name = o.name;
  gateway.listeners = *listeners;
  if (!o.address.empty()) {
    gateway.address = o.address;
  }
  if (!o.replicas.empty()) {
    auto replicas = parseReplicasFlag(o.replicas);
    if (!replicas) {
      return std::move(replicas).error();
    }
    gateway.replicas = *replicas;
  }
  gateway.service_type = o.service_type;
  if (auto applied = applyProtection(gateway, o); !applied) {
    return applied;
  }
  auto outcome = applyChange(ctx, quoted("gateway", o.name), "created", [&](core::Config& c) {
    if (c.findGateway(o.name) != nullptr) {
      return core::Status(core::makeError(core::ErrorKind::kValidation,
                                          quoted("gateway", o.name) + " already exists"));
    }
    c.gateways.push_back(gateway);
    return core::Status(core::Ok{});
  });
  return outcome ? core::Status(core::Ok{}) : core::Status(std::move(outcome).error());
}

core::Status runList(const GatewayNameOptions& /*options*/, Context& ctx) {
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

core::Status runGet(const GatewayNameOptions& o, Context& ctx) {
  auto config = readConfig(ctx);
  if (!config) {
    return std::move(config).error();
  }
  if (config->findGateway(o.name) == nullptr) {
    return notFound("gateway", o.name);
  }
  printStructured(ctx, objectJson(*config, "gateways", o.name));
  return core::Ok{};
}

core::Status runDelete(const GatewayNameOptions& o, Context& ctx) {
  auto outcome = applyChange(ctx, quoted("gateway", o.name), "deleted", [&](core::Config& c) {
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
  });
  return outcome ? core::Status(core::Ok{}) : core::Status(std::move(outcome).error());
}

}  // namespace

void setupGateway(CLI::App& app, Context& ctx) {
  CLI::App* group = addGroup(app, "gateway", "Manage gateways: the addresses and ports gw serves",
                             "  gw gateway create shop-ingress --port http:8080 --port https:8443");

  auto create = std::make_shared<GatewayCreateOptions>();
  CLI::App* c = addCommand(*group, "create", "Create a gateway with its listeners",
                           "  gw gateway create shop-ingress --port http:8080 --port https:8443\n"
                           "  gw gateway create edge --port http:80 --address 127.0.0.1\n"
                           "  gw gateway create api --port http:8080 --max-body-size 64KiB "
                           "--idle-timeout 30s");
  c->add_option("name", create->name, "Gateway name")->required()->type_name("NAME");
  c->add_option("--port", create->ports,
                "A listener as PROTOCOL:PORT (http or https); repeat for more")
      ->required()
      ->type_name("PROTO:PORT");
  c->add_option("--address", create->address, "Address to bind (default 0.0.0.0)")
      ->type_name("ADDRESS");
  c->add_option("--replicas", create->replicas, "Cluster mode: replica range MIN:MAX")
      ->type_name("MIN:MAX");
  c->add_option("--service-type", create->service_type,
                "Cluster mode: Kubernetes Service type (e.g. LoadBalancer)")
      ->type_name("TYPE");
  c->add_option("--max-body-size", create->max_body_size,
                "Largest request body, e.g. 8MiB (default); larger ones get 413")
      ->type_name("SIZE");
  c->add_option("--max-header-size", create->max_header_size,
                "Largest request head, e.g. 16KiB (default); larger ones get 431")
      ->type_name("SIZE");
  c->add_option("--header-read-timeout", create->header_read_timeout,
                "Time a client has to send the request head (default 10s)")
      ->type_name("DURATION");
  c->add_option("--idle-timeout", create->idle_timeout,
                "Time a keep-alive connection may wait for its next request (default 60s)")
      ->type_name("DURATION");
  c->add_option("--write-timeout", create->write_timeout,
                "Time a client may take to read each part of an answer (default 60s)")
      ->type_name("DURATION");
  onRun(c, ctx, create, runCreate);

  auto list = std::make_shared<GatewayNameOptions>();
  CLI::App* l = addCommand(*group, "list", "List gateways", "  gw gateway list -o json");
  onRun(l, ctx, list, runList);

  auto get = std::make_shared<GatewayNameOptions>();
  CLI::App* g =
      addCommand(*group, "get", "Show one gateway", "  gw gateway get shop-ingress -o yaml");
  g->add_option("name", get->name, "Gateway name")->required()->type_name("GATEWAY");
  onRun(g, ctx, get, runGet);

  auto del = std::make_shared<GatewayNameOptions>();
  CLI::App* d = addCommand(*group, "delete", "Delete a gateway no route uses",
                           "  gw gateway delete shop-ingress");
  d->add_option("name", del->name, "Gateway name")->required()->type_name("GATEWAY");
  onRun(d, ctx, del, runDelete);
}

}  // namespace gw::cli
