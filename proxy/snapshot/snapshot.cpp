#include "proxy/snapshot/snapshot.hpp"

#include <algorithm>
#include <boost/asio/ip/address.hpp>
#include <set>
#include <utility>

#include "core/config/references.hpp"
#include "core/net/host_port.hpp"
#include "proxy/filter/build.hpp"
#include "proxy/filter/cache/cache_filter.hpp"
#include "proxy/snapshot/certificates.hpp"
#include "proxy/snapshot/gateway_https.hpp"

namespace gw::proxy {
namespace {

constexpr std::chrono::milliseconds kDefaultRouteTimeout{15000};

core::Error invalid(std::string message, std::vector<std::string> details = {}) {
  return core::makeError(core::ErrorKind::kValidation, std::move(message), std::move(details));
}

std::optional<tcp::endpoint> resolveEndpoint(asio::io_context& ioc, const std::string& text,
                                             std::string& why) {
  const auto parsed = core::net::parseHostPort(text);
  if (!parsed) {
    why = "expected HOST:PORT";
    return std::nullopt;
  }
  const auto& [host, port] = *parsed;
  error_code ec;
  const auto literal = asio::ip::make_address(host, ec);
  if (!ec) {
    return tcp::endpoint(literal, port);
  }
  tcp::resolver resolver(ioc);
  const auto results = resolver.resolve(host, std::to_string(port), ec);
  if (ec || results.empty()) {
    why = "cannot resolve " + host + (ec ? ": " + ec.message() : std::string());
    return std::nullopt;
  }
  return results.begin()->endpoint();
}

void addListeners(Snapshot& snap, SnapshotRegistries& registries,
                  std::vector<std::string>& problems) {
  std::set<std::pair<std::string, std::uint16_t>> seen;
  for (const core::Gateway& gateway : snap.config->gateways) {
    error_code ec;
    const auto address = asio::ip::make_address(gateway.address, ec);
    if (ec) {
      problems.push_back("gateway " + gateway.name + ": address " + gateway.address +
                         " is not an IP address");
      continue;
    }
    const std::size_t gateway_index = snap.gateways.size();
    snap.gateways.push_back(GatewayEntry{
        gateway.name, core::routing::RouteTable::build(*snap.config, gateway.name),
        core::net::CidrSet::parse(gateway.client_ip.trusted_proxies),
        gateway.ip.empty() ? nullptr : std::make_shared<filter::IpListFilter>(gateway.ip)});
    const auto tls =
        gatewayTls(*snap.config, gateway, registries.certs_dir, snap.acme_tls_alpn01_dir,
                   registries.certificates, snap.tls_problems);
    const GatewayHttps https = gatewayHttps(gateway);
    for (const core::Listener& listener : gateway.listeners) {
      const std::string where = "gateway " + gateway.name + " listener " + listener.name;
      if (listener.port != 0 && !seen.emplace(address.to_string(), listener.port).second) {
        problems.push_back(where + ": " + gateway.address + ":" + std::to_string(listener.port) +
                           " is already used by another listener");
        continue;
      }
      ListenerEntry entry;
      entry.gateway = gateway_index;
      entry.gateway_name = gateway.name;
      entry.listener_name = listener.name;
      entry.protocol = listener.protocol;
      entry.endpoint = tcp::endpoint(address, listener.port);
      if (listener.protocol == core::Protocol::kHttps) {
        entry.tls = tls;
        entry.hsts = https.hsts;
      } else {
        entry.https_redirect = https.redirect;
      }
      // Port 0 asks for any port, so such a listener is never "the same" as before; its
      // name in the key keeps two of them apart.
      std::string key = std::string(core::toString(listener.protocol)) + " " + address.to_string() +
                        ":" + std::to_string(listener.port);
      if (listener.port == 0) {
        key += " " + gateway.name + "/" + listener.name;
      }
      entry.id = registries.listener_ids.idFor(key);
      snap.listeners.push_back(std::move(entry));
    }
  }
  snap.listener_by_id.assign(registries.listener_ids.size(), -1);
  for (std::size_t i = 0; i < snap.listeners.size(); ++i) {
    snap.listener_by_id[snap.listeners[i].id] = static_cast<std::int32_t>(i);
  }
}

// The TLS context of a service reached over TLS; null for plain TCP, or (with a problem) when
// its CA file cannot be loaded.
std::shared_ptr<const tls::ClientContext> serviceTls(const core::Service& service,
                                                     std::vector<std::string>& problems) {
  if (!service.tls) {
    return nullptr;
  }
  std::string why;
  auto context = tls::ClientContext::build(*service.tls, why);
  if (!context) {
    problems.push_back("service " + service.name + ": tls: " + why);
  }
  return context;
}

// An endpoint of a TLS service. Its pool key (`key`, the address) gains the TLS settings:
// connections and sessions made with one set are never reused under another.
std::shared_ptr<const tls::EndpointTls> endpointTls(
    const std::shared_ptr<const tls::ClientContext>& context, const std::string& service,
    const std::string& text, std::string& key) {
  const core::UpstreamTls& spec = context->spec();
  key.append("|tls|").append(spec.sni).append("|").append(spec.ca_file);
  key.append(spec.verify ? "|verify" : "|no-verify").append("|").append(text);
  const auto parsed = core::net::parseHostPort(text);
  return std::make_shared<const tls::EndpointTls>(context, parsed ? parsed->host : text,
                                                  "service " + service + " endpoint " + text);
}

// Validation has made sure the service exists.
std::uint32_t serviceIndex(const core::Config& config, const std::string& name) {
  std::uint32_t index = 0;
  while (index < config.services.size() && config.services[index].name != name) {
    ++index;
  }
  return index;
}

// Metered requests count under the meter's ids of their consumer and route names.
void bindUsage(Snapshot& snap, metering::UsageMeter& meter) {
  const core::Config& cfg = *snap.config;
  meter.configure(cfg);
  if (!cfg.metering.enabled) {
    return;
  }
  auto binding = std::make_shared<UsageBinding>();
  binding->meter = &meter;
  for (const core::Consumer& consumer : cfg.consumers) {
    binding->consumers.push_back(meter.idFor(consumer.name));
  }
  for (const core::Route& route : cfg.routes) {
    binding->routes.push_back(meter.idFor(route.name));
  }
  snap.usage = std::move(binding);
}

}  // namespace

core::Result<std::shared_ptr<const Snapshot>> buildSnapshot(
    std::shared_ptr<const core::Config> config, SnapshotRegistries& registries) {
  if (!config) {
    return invalid("no configuration was loaded");
  }
  // Dangling names are core's to find (the same check and words as `gw config validate`).
  if (const auto diagnostics = core::checkReferences(*config); !diagnostics.empty()) {
    std::vector<std::string> details;
    details.reserve(diagnostics.size());
    for (const core::Diagnostic& diagnostic : diagnostics) {
      details.push_back(diagnostic.str());
    }
    std::string message = "the configuration cannot be served: " + details.front();
    return invalid(std::move(message), std::move(details));
  }
  auto snap = std::make_shared<Snapshot>();
  snap->config = std::move(config);
  const core::Config& cfg = *snap->config;
  std::vector<std::string> problems;

  asio::io_context resolver_context;
  for (const core::Service& service : cfg.services) {
    ServiceEntry entry;
    entry.name = service.name;
    const auto client_tls = serviceTls(service, problems);
    std::vector<balancer::BalancedEndpoint> balanced;
    for (const core::Endpoint& endpoint : service.endpoints) {
      const std::string& text = endpoint.address;
      std::string why;
      const auto address = resolveEndpoint(resolver_context, text, why);
      if (!address) {
        std::string problem = "service ";
        problem.append(service.name).append(": endpoint ").append(text).append(": ").append(why);
        problems.push_back(std::move(problem));
        continue;
      }
      std::string key = address->address().to_string() + "|" + std::to_string(address->port());
      std::shared_ptr<const tls::EndpointTls> tls;
      if (client_tls) {
        tls = endpointTls(client_tls, service.name, text, key);
      }
      entry.endpoints.push_back(
          EndpointEntry{*address, registries.endpoint_ids.idFor(key), text, std::move(tls)});
      const auto weight = static_cast<std::uint32_t>(std::max(1, endpoint.weight));
      auto state = registries.health->stateFor(service.name, text);
      balanced.push_back(balancer::BalancedEndpoint{text, weight, std::move(state)});
    }
    entry.balancer = balancer::ServiceBalancer(service, std::move(balanced));
    snap->services.push_back(std::move(entry));
  }

  if (!registries.acme_dir.empty()) {
    snap->acme_http01_dir = registries.acme_dir + "/http-01";
    snap->acme_tls_alpn01_dir = registries.acme_dir + "/tls-alpn-01";
  }
  addListeners(*snap, registries, problems);

  for (const core::Route& route : cfg.routes) {
    RouteEntry entry;
    entry.route = &route;
    entry.timeout = route.timeout.value_or(kDefaultRouteTimeout);
    entry.retry = RetryPolicy::build(route.retries);
    if (entry.retry.attempts > 0) {
      entry.retry_budget = std::make_shared<RetryBudget>(entry.retry.budget_percent);
    }
    entry.chain = filter::buildChain(cfg, cfg.findGateway(route.gateway), route,
                                     registries.filter_states, problems, registries.usage);
    for (const core::Destination& destination : route.destinations) {
      entry.services.push_back(serviceIndex(cfg, destination.service));
    }
    snap->routes.push_back(std::move(entry));
  }

  if (std::any_of(cfg.routes.begin(), cfg.routes.end(),
                  [](const core::Route& route) { return route.cache.has_value(); })) {
    snap->cache = filter::responseCache(cfg, registries.filter_states);
  }
  if (!problems.empty()) {
    const std::string first = problems.front();
    return invalid("the configuration cannot be served: " + first, std::move(problems));
  }
  snap->stats = registries.stats->bind(*snap);
  if (registries.usage != nullptr) {
    bindUsage(*snap, *registries.usage);
  }
  return std::shared_ptr<const Snapshot>(std::move(snap));
}

}  // namespace gw::proxy
