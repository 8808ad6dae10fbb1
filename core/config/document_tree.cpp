#include "core/config/document_tree.hpp"

#include "core/config/acme_order_keys.hpp"
#include "core/config/redirect.hpp"

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

// Defaults are left out of the document.
template <class T>
void setIf(Tree& out, const char* key, const T& value, const T& fallback) {
  if (value != fallback) {
    out[key] = value;
  }
}

void setDuration(Tree& out, const char* key, Millis value, Millis fallback) {
  if (value != fallback) {
    out[key] = formatDuration(value);
  }
}

void appendAcmeOrder(Tree& out, const AcmeOrder& order) {
  for (const auto& [key, member] : kAcmeOrderKeys) {
    if (!(order.*member).empty()) {
      out[key] = order.*member;
    }
  }
}

Tree hstsTree(const Hsts& h) {
  Tree out = Tree{{"maxAge", formatDuration(h.max_age)}};
  setIf(out, "includeSubdomains", h.include_subdomains, false);
  setIf(out, "preload", h.preload, false);
  return out;
}

Tree gatewayTlsTree(const GatewayTls& t) {
  const GatewayTls defaults;
  Tree out = Tree{{"mode", toString(t.mode)}};
  if (t.issuer != defaults.issuer) {
    out["issuer"] = toString(t.issuer);
  }
  appendAcmeOrder(out, t.acme);
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
  setIf(out, "httpsRedirect", g.https_redirect, false);
  if (g.hsts) {
    out["hsts"] = hstsTree(*g.hsts);
  }
  if (g.tls) {
    out["tls"] = gatewayTlsTree(*g.tls);
  }
  const Replicas defaults;
  if (g.replicas.min != defaults.min || g.replicas.max != defaults.max) {
    out["replicas"] = Tree{{"min", g.replicas.min}, {"max", g.replicas.max}};
  }
  if (!g.service_type.empty()) {
    out["serviceType"] = g.service_type;
  }
  const Limits limits;
  Tree limit = Tree::object();
  setIf(limit, "maxHeaderBytes", g.limits.max_header_bytes, limits.max_header_bytes);
  setIf(limit, "maxHeaders", g.limits.max_headers, limits.max_headers);
  setIf(limit, "maxUriBytes", g.limits.max_uri_bytes, limits.max_uri_bytes);
  setIf(limit, "maxBodyBytes", g.limits.max_body_bytes, limits.max_body_bytes);
  if (!limit.empty()) {
    out["limits"] = std::move(limit);
  }
  const GatewayTimeouts timeouts;
  Tree timeout = Tree::object();
  setDuration(timeout, "headerRead", g.timeouts.header_read, timeouts.header_read);
  setDuration(timeout, "idle", g.timeouts.idle, timeouts.idle);
  setDuration(timeout, "write", g.timeouts.write, timeouts.write);
  if (!timeout.empty()) {
    out["timeouts"] = std::move(timeout);
  }
  appendGatewayAccess(out, g);
  appendRateLimits(out, g.rate_limits);
  if (g.compress) {
    out["compress"] = compressTree(*g.compress);
  }
  return out;
}

// "HOST:PORT" while the weight is the default, the mapping otherwise.
Tree endpointTree(const Endpoint& e) {
  if (e.weight == Endpoint{}.weight) {
    return e.address;
  }
  return Tree{{"address", e.address}, {"weight", e.weight}};
}

Tree serviceTree(const Service& s) {
  Tree out = Tree::object();
  out["name"] = s.name;
  Tree endpoints = Tree::array();
  for (const Endpoint& e : s.endpoints) {
    endpoints.push_back(endpointTree(e));
  }
  out["endpoints"] = std::move(endpoints);
  if (s.load_balancer != LbPolicy::kRoundRobin) {
    out["loadBalancer"] = toString(s.load_balancer);
  }
  if (s.hash_on) {
    out["hashOn"] = toString(*s.hash_on);
  }
  if (s.health_check) {
    const HealthCheck& hc = *s.health_check;
    const HealthCheck defaults;
    Tree check = Tree::object();
    if (!hc.path.empty()) {
      check["path"] = hc.path;
    }
    setDuration(check, "interval", hc.interval, defaults.interval);
    setDuration(check, "timeout", hc.timeout, defaults.timeout);
    setIf(check, "healthyThreshold", hc.healthy_threshold, defaults.healthy_threshold);
    setIf(check, "unhealthyThreshold", hc.unhealthy_threshold, defaults.unhealthy_threshold);
    out["healthCheck"] = std::move(check);
  }
  if (s.outlier_detection) {
    const OutlierDetection& od = *s.outlier_detection;
    const OutlierDetection defaults;
    Tree outlier = Tree::object();
    setIf(outlier, "consecutive5xx", od.consecutive_5xx, defaults.consecutive_5xx);
    setIf(outlier, "consecutiveConnectFailures", od.consecutive_connect_failures,
          defaults.consecutive_connect_failures);
    setDuration(outlier, "ejectionTime", od.ejection_time, defaults.ejection_time);
    setIf(outlier, "maxEjectedPercent", od.max_ejected_percent, defaults.max_ejected_percent);
    out["outlierDetection"] = std::move(outlier);
  }
  setDuration(out, "connectTimeout", s.connect_timeout, Service{}.connect_timeout);
  if (s.tls) {
    Tree tls = Tree::object();
    if (!s.tls->sni.empty()) {
      tls["sni"] = s.tls->sni;
    }
    if (!s.tls->ca_file.empty()) {
      tls["caFile"] = s.tls->ca_file;
    }
    setIf(tls, "verify", s.tls->verify, UpstreamTls{}.verify);
    out["tls"] = std::move(tls);
  }
  return out;
}

Tree retriesTree(const RetryPolicy& r) {
  const RetryPolicy defaults;
  Tree out = Tree{{"attempts", r.attempts}};
  if (!r.on.empty()) {
    out["on"] = strings(r.on);
  }
  if (r.per_try_timeout) {
    out["perTryTimeout"] = formatDuration(*r.per_try_timeout);
  }
  setIf(out, "nonIdempotent", r.non_idempotent, defaults.non_idempotent);
  setIf(out, "budgetPercent", r.budget_percent, defaults.budget_percent);
  return out;
}

// The URL shorthand when it says it all, the mapping of the parts otherwise.
Tree redirectTree(const Redirect& r) {
  if (auto url = redirectUrl(r)) {
    return *url;
  }
  const Redirect defaults;
  Tree out = Tree::object();
  setIf(out, "scheme", r.scheme, defaults.scheme);
  setIf(out, "host", r.host, defaults.host);
  if (r.port) {
    out["port"] = *r.port;
  }
  setIf(out, "path", r.path, defaults.path);
  setIf(out, "prefix", r.prefix, defaults.prefix);
  setIf(out, "code", r.code, defaults.code);
  setIf(out, "keepQuery", r.keep_query, defaults.keep_query);
  return out;
}

Tree rewriteTree(const Rewrite& r) {
  if (r.regex.empty() && r.substitution.empty()) {
    return r.prefix;
  }
  Tree out = Tree::object();
  setIf(out, "prefix", r.prefix, std::string());
  out["regex"] = r.regex;
  out["substitution"] = r.substitution;
  return out;
}

Tree headerValues(const std::vector<HeaderValue>& values) {
  Tree out = Tree::object();
  for (const HeaderValue& h : values) {
    out[h.name] = h.value;
  }
  return out;
}

Tree headerOpsTree(const HeaderOps& ops) {
  Tree out = Tree::object();
  if (!ops.add.empty()) {
    out["add"] = headerValues(ops.add);
  }
  if (!ops.set.empty()) {
    out["set"] = headerValues(ops.set);
  }
  if (!ops.remove.empty()) {
    out["remove"] = strings(ops.remove);
  }
  return out;
}

Tree directResponseTree(const DirectResponse& d) {
  const DirectResponse defaults;
  Tree out = Tree{{"status", d.status}};
  setIf(out, "body", d.body, defaults.body);
  setIf(out, "contentType", d.content_type, defaults.content_type);
  return out;
}

Tree mirrorTree(const Mirror& m) {
  Tree out = Tree{{"service", m.service}};
  setIf(out, "percent", m.percent, Mirror{}.percent);
  return out;
}

Tree destinationsTree(const std::vector<Destination>& list) {
  Tree destinations = Tree::array();
  for (const auto& d : list) {
    Tree destination = Tree{{"service", d.service}};
    if (d.weight != Destination{}.weight) {
      destination["weight"] = d.weight;
    }
    destinations.push_back(std::move(destination));
  }
  return destinations;
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
    out["destinations"] = destinationsTree(r.destinations);
  }
  if (r.aggregate) {
    out["aggregate"] = aggregateTree(*r.aggregate);
  }
  if (r.timeout) {
    out["timeout"] = formatDuration(*r.timeout);
  }
  if (Tree retries = retriesTree(r.retries); retries.size() > 1 || r.retries.attempts != 0) {
    out["retries"] = std::move(retries);
  }
  if (r.redirect) {
    out["redirect"] = redirectTree(*r.redirect);
  }
  if (r.rewrite) {
    out["rewrite"] = rewriteTree(*r.rewrite);
  }
  if (!r.request_headers.empty()) {
    out["requestHeaders"] = headerOpsTree(r.request_headers);
  }
  if (!r.response_headers.empty()) {
    out["responseHeaders"] = headerOpsTree(r.response_headers);
  }
  if (r.direct_response) {
    out["directResponse"] = directResponseTree(*r.direct_response);
  }
  if (r.mirror) {
    out["mirror"] = mirrorTree(*r.mirror);
  }
  if (r.priority) {
    out["priority"] = *r.priority;
  }
  appendRouteAccess(out, r);
  appendRateLimits(out, r.rate_limits);
  if (r.cache) {
    out["cache"] = routeCacheTree(*r.cache);
  }
  if (r.compress) {
    out["compress"] = compressTree(*r.compress);
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
  appendAcmeOrder(out, c.acme);
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
  const ProxySettings defaults;
  Tree proxy = Tree::object();
  setIf(proxy, "threads", config.proxy.threads, defaults.threads);
  setIf(proxy, "accessLog", config.proxy.access_log, defaults.access_log);
  setIf(proxy, "sessionTickets", config.proxy.session_tickets, defaults.session_tickets);
  appendCacheSettings(proxy, config.proxy.cache);
  if (!proxy.empty()) {
    out["proxy"] = std::move(proxy);
  }
  section(out, "gateways", config.gateways, gatewayTree);
  section(out, "services", config.services, serviceTree);
  section(out, "routes", config.routes, routeTree);
  section(out, "certificates", config.certificates, certificateTree);
  section(out, "consumers", config.consumers, consumerTree);
  section(out, "jwtProviders", config.jwt_providers, jwtProviderTree);
  appendLimitSections(out, config);
  return out;
}

}  // namespace gw::core
