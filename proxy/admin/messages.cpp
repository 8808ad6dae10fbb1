#include "proxy/admin/messages.hpp"

#include "proxy/admin/json_doc.hpp"

namespace gw::proxy {
namespace {

using namespace admin_json;  // the readers' vocabulary

constexpr const char* kClassKeys[] = {"1xx", "2xx", "3xx", "4xx", "5xx"};

// --- writing

// `compact`: a node with no requests is {"requests": 0} (the reader's defaults are the rest).
Json treeOf(const TrafficDoc& t, bool compact = false) {
  if (compact && t.requests == 0 && t.series == SeriesDoc{}) {
    return {{"requests", 0}};
  }
  Json out = {{"requests", t.requests},
              {"latencyMs",
               {{"p50", t.latency_ms.p50}, {"p90", t.latency_ms.p90}, {"p99", t.latency_ms.p99}}}};
  if (t.series != SeriesDoc{}) {  // asked for with ?series=false
    out["series"] = {
        {"end", t.series.end}, {"requests", t.series.requests}, {"errors", t.series.errors}};
  }
  for (std::size_t i = 0; i < t.by_class.size(); ++i) {
    out[kClassKeys[i]] = t.by_class[i];
  }
  if (!t.histogram.empty()) {
    out["histogram"] = t.histogram;
  }
  return out;
}

Json treeOf(const ListenerStatus& l) {
  Json out = {{"gateway", l.gateway},
              {"listener", l.listener},
              {"protocol", l.protocol},
              {"address", l.address},
              {"port", l.port}};
  if (l.tls) {
    out["tls"] = *l.tls;
  }
  return out;
}

Json treeOf(const AccessDoc& a) {
  return {{"allowed", a.allowed},
          {"refused", a.refused},
          {"shadowDenied", a.shadow_denied},
          {"shadowLimited", a.shadow_limited}};
}

Json treeOf(const RouteStatus& r) {
  Json out = {{"name", r.name},         {"gateway", r.gateway}, {"hosts", r.hosts},
              {"requests", r.requests}, {"rps", r.rps},         {"errorRate", r.error_rate}};
  if (r.access) {
    out["access"] = treeOf(*r.access);
  }
  return out;
}

Json treeOf(const ServiceStatus& s) {
  Json endpoints = Json::array();
  for (const EndpointStatus& e : s.endpoints) {
    endpoints.push_back({{"address", e.address},
                         {"weight", e.weight},
                         {"healthy", e.healthy},
                         {"ejected", e.ejected},
                         {"inFlight", e.in_flight}});
  }
  return {{"name", s.name}, {"loadBalancer", s.load_balancer}, {"endpoints", std::move(endpoints)}};
}

Json treeOf(const RedisStatus& r) {
  return {{"address", r.address},
          {"breaker", r.open ? "open" : "closed"},
          {"calls", r.calls},
          {"failures", r.failures},
          {"lastError", r.last_error}};
}

template <class T>
Json arrayOf(const std::vector<T>& items) {
  Json out = Json::array();
  for (const T& item : items) {
    out.push_back(treeOf(item));
  }
  return out;
}

// --- reading

TrafficDoc readTraffic(const Json& j) {
  TrafficDoc t;
  field(j, "requests", t.requests);
  for (std::size_t i = 0; i < t.by_class.size(); ++i) {
    field(j, kClassKeys[i], t.by_class[i]);
  }
  if (const Json* latency = find(j, "latencyMs")) {
    field(objectOf(*latency, "\"latencyMs\""), "p50", t.latency_ms.p50);
    field(*latency, "p90", t.latency_ms.p90);
    field(*latency, "p99", t.latency_ms.p99);
  }
  if (const Json* series = find(j, "series")) {
    field(objectOf(*series, "\"series\""), "end", t.series.end);
    field(*series, "requests", t.series.requests);
    field(*series, "errors", t.series.errors);
  }
  field(j, "histogram", t.histogram);
  return t;
}

std::optional<AccessDoc> readAccess(const Json& j) {
  const Json* access = find(j, "access");
  if (access == nullptr) {
    return std::nullopt;
  }
  AccessDoc doc;
  field(objectOf(*access, "\"access\""), "allowed", doc.allowed);
  field(*access, "refused", doc.refused);
  field(*access, "shadowDenied", doc.shadow_denied);
  field(*access, "shadowLimited", doc.shadow_limited);
  return doc;
}

StatusDoc readStatus(const Json& j) {
  StatusDoc doc;
  field(j, "pid", doc.pid);
  field(j, "revision", doc.revision);
  field(j, "startedAt", doc.started_at);
  field(j, "threads", doc.threads);
  field(j, "connections", doc.connections);
  field(j, "requests", doc.requests);
  field(j, "tlsProblems", doc.tls_problems);
  field(j, "documentChanged", doc.document_changed);
  eachItem(j, "listeners", [&](const Json& item) {
    ListenerStatus& l = doc.listeners.emplace_back();
    field(item, "gateway", l.gateway);
    field(item, "listener", l.listener);
    field(item, "protocol", l.protocol);
    field(item, "address", l.address);
    field(item, "port", l.port);
    if (const Json* tls = find(item, "tls")) {
      l.tls = tls->get<std::string>();
    }
  });
  eachItem(j, "routes", [&](const Json& item) {
    RouteStatus& r = doc.routes.emplace_back();
    field(item, "name", r.name);
    field(item, "gateway", r.gateway);
    field(item, "hosts", r.hosts);
    field(item, "requests", r.requests);
    field(item, "rps", r.rps);
    field(item, "errorRate", r.error_rate);
    r.access = readAccess(item);
  });
  eachItem(j, "redis", [&](const Json& item) {
    RedisStatus& r = doc.redis.emplace_back();
    field(item, "address", r.address);
    std::string breaker;
    field(item, "breaker", breaker);
    r.open = breaker == "open";
    field(item, "calls", r.calls);
    field(item, "failures", r.failures);
    field(item, "lastError", r.last_error);
  });
  eachItem(j, "services", [&](const Json& item) {
    ServiceStatus& s = doc.services.emplace_back();
    field(item, "name", s.name);
    field(item, "loadBalancer", s.load_balancer);
    eachItem(item, "endpoints", [&](const Json& endpoint) {
      EndpointStatus& e = s.endpoints.emplace_back();
      field(endpoint, "address", e.address);
      field(endpoint, "weight", e.weight);
      field(endpoint, "healthy", e.healthy);
      field(endpoint, "ejected", e.ejected);
      field(endpoint, "inFlight", e.in_flight);
    });
  });
  return doc;
}

StatsDoc readStats(const Json& j) {
  StatsDoc doc;
  field(j, "requests", doc.requests);
  eachMember(j, "gateways", [&](const std::string& name, const Json& item) {
    doc.gateways[name] = readTraffic(item);
  });
  eachMember(j, "routes", [&](const std::string& name, const Json& item) {
    RouteStatsDoc& route = doc.routes[name];
    route.traffic = readTraffic(item);
    field(item, "gateway", route.gateway);
    eachMember(item, "destinations", [&](const std::string& service, const Json& traffic) {
      route.destinations[service] = readTraffic(traffic);
    });
    route.access = readAccess(item);
    if (const Json* cache = find(item, "cache")) {
      route.cache = readCacheRoute(objectOf(*cache, "\"cache\""));
    }
  });
  eachMember(j, "services", [&](const std::string& name, const Json& item) {
    ServiceStatsDoc& service = doc.services[name];
    service.traffic = readTraffic(item);
    eachMember(item, "endpoints", [&](const std::string& address, const Json& endpoint) {
      service.endpoints[address] = readTraffic(endpoint);
    });
  });
  eachMember(j, "mirrors", [&](const std::string& name, const Json& item) {
    doc.mirrors[name] = readTraffic(item);
  });
  eachMember(j, "consumers", [&](const std::string& name, const Json& item) {
    doc.consumers[name] = readTraffic(item);
  });
  return doc;
}

// A string as it is; anything else as its JSON text.
std::string textOf(const Json& value) {
  return value.is_string() ? value.get<std::string>() : value.dump();
}

ErrorDoc readError(const Json& j) {
  const Json* error = find(j, "error");
  if (error == nullptr) {
    throw ShapeError("no \"error\"");
  }
  ErrorDoc doc{textOf(*error), std::nullopt};
  if (const Json* details = find(j, "details"); details != nullptr && details->is_array()) {
    doc.details.emplace();
    for (const Json& detail : *details) {
      doc.details->push_back(textOf(detail));
    }
  }
  return doc;
}

ReloadDoc readReload(const Json& j) {
  const Json* revision = find(j, "revision");
  if (revision == nullptr || !revision->is_number()) {
    throw ShapeError("no \"revision\" number");
  }
  return ReloadDoc{revision->get<std::uint64_t>()};
}

}  // namespace

std::string toJson(const StatusDoc& doc) {
  const Json out = {{"pid", doc.pid},
                    {"revision", doc.revision},
                    {"startedAt", doc.started_at},
                    {"threads", doc.threads},
                    {"connections", doc.connections},
                    {"requests", doc.requests},
                    {"listeners", arrayOf(doc.listeners)},
                    {"routes", arrayOf(doc.routes)},
                    {"services", arrayOf(doc.services)},
                    {"tlsProblems", doc.tls_problems},
                    {"documentChanged", doc.document_changed},
                    {"redis", arrayOf(doc.redis)}};
  return out.dump();
}

std::string toJson(const StatsDoc& doc) {
  Json gateways = Json::object();
  for (const auto& [name, traffic] : doc.gateways) {
    gateways[name] = treeOf(traffic, doc.compact_idle);
  }
  Json routes = Json::object();
  for (const auto& [name, route] : doc.routes) {
    Json entry = treeOf(route.traffic, doc.compact_idle);
    entry["gateway"] = route.gateway;
    if (!route.destinations.empty()) {
      Json destinations = Json::object();
      for (const auto& [service, traffic] : route.destinations) {
        destinations[service] = treeOf(traffic, doc.compact_idle);
      }
      entry["destinations"] = std::move(destinations);
    }
    if (route.access) {
      entry["access"] = treeOf(*route.access);
    }
    if (route.cache) {
      entry["cache"] = cacheRouteTree(*route.cache);
    }
    routes[name] = std::move(entry);
  }
  Json services = Json::object();
  for (const auto& [name, service] : doc.services) {
    Json entry = treeOf(service.traffic, doc.compact_idle);
    Json endpoints = Json::object();
    for (const auto& [address, traffic] : service.endpoints) {
      endpoints[address] = treeOf(traffic, doc.compact_idle);
    }
    entry["endpoints"] = std::move(endpoints);
    services[name] = std::move(entry);
  }
  Json mirrors = Json::object();
  for (const auto& [name, traffic] : doc.mirrors) {
    mirrors[name] = treeOf(traffic, doc.compact_idle);
  }
  Json consumers = Json::object();
  for (const auto& [name, traffic] : doc.consumers) {
    consumers[name] = treeOf(traffic, doc.compact_idle);
  }
  const Json out = {{"requests", doc.requests},      {"gateways", std::move(gateways)},
                    {"routes", std::move(routes)},   {"services", std::move(services)},
                    {"mirrors", std::move(mirrors)}, {"consumers", std::move(consumers)}};
  return out.dump();
}

std::string toJson(const ReloadDoc& doc) { return Json{{"revision", doc.revision}}.dump(); }

std::string toJson(const ErrorDoc& doc) {
  Json out = {{"error", doc.error}};
  if (doc.details) {
    out["details"] = *doc.details;
  }
  return out.dump();
}

core::Result<StatusDoc> parseStatus(std::string_view text) {
  return parseWith<StatusDoc>(text, "status", readStatus);
}

core::Result<StatsDoc> parseStats(std::string_view text) {
  return parseWith<StatsDoc>(text, "stats", readStats);
}

core::Result<ReloadDoc> parseReload(std::string_view text) {
  return parseWith<ReloadDoc>(text, "reload", readReload);
}

core::Result<ErrorDoc> parseError(std::string_view text) {
  return parseWith<ErrorDoc>(text, "error", readError);
}

}  // namespace gw::proxy
