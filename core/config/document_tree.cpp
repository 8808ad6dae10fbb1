#include "core/config/document_tree.hpp"

namespace gw::core {
namespace {

using Tree = nlohmann::ordered_json;

Tree strings(const std::vector<std::string>& items) {
  Tree out = Tree::array();
  for (const auto& s : items) {
    out.push_back(s);
  }
  return out;
}

Tree gatewayTree(const Gateway& g) {
  Tree out = Tree::object();
  out["name"] = g.name;
  if (g.address != Gateway{}.address) {
    out["address"] = g.address;
  }
  if (!g.listeners.empty()) {
    Tree listeners = Tree::array();
    for (const auto& l : g.listeners) {
      Tree listener = Tree::object();
      if (!l.name.empty() && l.name != toString(l.protocol)) {
        listener["name"] = l.name;
      }
      listener["protocol"] = toString(l.protocol);
      listener["port"] = l.port;
      listeners.push_back(std::move(listener));
    }
    out["listeners"] = std::move(listeners);
  }
  const Replicas defaults;
  if (g.replicas.min != defaults.min || g.replicas.max != defaults.max) {
    out["replicas"] = Tree{{"min", g.replicas.min}, {"max", g.replicas.max}};
  }
  if (!g.service_type.empty()) {
    out["serviceType"] = g.service_type;
  }
  return out;
}

Tree serviceTree(const Service& s) {
  Tree out = Tree::object();
  out["name"] = s.name;
  out["endpoints"] = strings(s.endpoints);
  if (s.load_balancer != LbPolicy::kRoundRobin) {
    out["loadBalancer"] = toString(s.load_balancer);
  }
  if (s.health_check) {
    Tree check = Tree::object();
    if (!s.health_check->path.empty()) {
      check["path"] = s.health_check->path;
    }
    if (s.health_check->interval != HealthCheck{}.interval) {
      check["interval"] = formatDuration(s.health_check->interval);
    }
    out["healthCheck"] = std::move(check);
  }
  return out;
}

Tree routeTree(const Route& r) {
  Tree out = Tree::object();
  out["name"] = r.name;
  out["gateway"] = r.gateway;
  if (!r.hosts.empty()) {
    out["hosts"] = strings(r.hosts);
  }
  const PathMatch default_match;
  if (r.match.path != default_match.path || r.match.type != default_match.type) {
    out["match"] = Tree{{"path", r.match.path}, {"type", toString(r.match.type)}};
  }
  if (!r.methods.empty()) {
    out["methods"] = strings(r.methods);
  }
  if (!r.headers.empty()) {
    Tree headers = Tree::array();
    for (const auto& h : r.headers) {
      headers.push_back(Tree{{"name", h.name}, {"value", h.value}});
    }
    out["headers"] = std::move(headers);
  }
  if (!r.destinations.empty()) {
    Tree destinations = Tree::array();
    for (const auto& d : r.destinations) {
      Tree destination = Tree{{"service", d.service}};
      if (d.weight != Destination{}.weight) {
        destination["weight"] = d.weight;
      }
      destinations.push_back(std::move(destination));
    }
    out["destinations"] = std::move(destinations);
  }
  if (r.timeout) {
    out["timeout"] = formatDuration(*r.timeout);
  }
  if (r.retries.attempts != 0 || !r.retries.on.empty()) {
    Tree retries = Tree{{"attempts", r.retries.attempts}};
    if (!r.retries.on.empty()) {
      retries["on"] = strings(r.retries.on);
    }
    out["retries"] = std::move(retries);
  }
  if (!r.redirect.empty()) {
    out["redirect"] = r.redirect;
  }
  if (!r.rewrite.empty()) {
    out["rewrite"] = r.rewrite;
  }
  if (r.priority) {
    out["priority"] = *r.priority;
  }
  return out;
}

Tree certificateTree(const Certificate& c) {
  Tree out = Tree::object();
  out["name"] = c.name;
  out["domains"] = strings(c.domains);
  if (c.issuer != Issuer::kLetsEncrypt) {
    out["issuer"] = toString(c.issuer);
  }
  if (!c.gateway.empty()) {
    out["gateway"] = c.gateway;
  }
  return out;
}

template <class T, class F>
void section(Tree& out, const char* key, const std::vector<T>& items, F&& one) {
  if (items.empty()) {
    return;
  }
  Tree list = Tree::array();
  for (const auto& item : items) {
    list.push_back(one(item));
  }
  out[key] = std::move(list);
}

}  // namespace

nlohmann::ordered_json toTree(const Config& config) {
  Tree out = Tree::object();
  out["apiVersion"] = config.api_version;
  if (config.revision != 0) {
    out["revision"] = config.revision;
  }
  if (config.proxy.threads != ProxySettings{}.threads) {
    out["proxy"] = Tree{{"threads", config.proxy.threads}};
  }
  section(out, "gateways", config.gateways, gatewayTree);
  section(out, "services", config.services, serviceTree);
  section(out, "routes", config.routes, routeTree);
  section(out, "certificates", config.certificates, certificateTree);
  return out;
}

}  // namespace gw::core
