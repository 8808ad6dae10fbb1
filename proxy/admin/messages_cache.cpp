// The response cache's admin documents: GET /v1/cache, POST /v1/cache/purge, and a caching
// route's counters inside /v1/stats.

#include "proxy/admin/json_doc.hpp"

namespace gw::proxy {

namespace admin_json {

Json cacheRouteTree(const CacheRouteDoc& c) {
  return {{"hits", c.hits},     {"stale", c.stale},   {"revalidated", c.revalidated},
          {"misses", c.misses}, {"bypass", c.bypass}, {"bytesServed", c.bytes_served}};
}

CacheRouteDoc readCacheRoute(const Json& j) {
  CacheRouteDoc doc;
  field(j, "hits", doc.hits);
  field(j, "stale", doc.stale);
  field(j, "revalidated", doc.revalidated);
  field(j, "misses", doc.misses);
  field(j, "bypass", doc.bypass);
  field(j, "bytesServed", doc.bytes_served);
  return doc;
}

}  // namespace admin_json

namespace {

using admin_json::Json;

CacheDoc readCache(const Json& j) {
  CacheDoc doc;
  admin_json::field(j, "enabled", doc.enabled);
  admin_json::field(j, "entries", doc.entries);
  admin_json::field(j, "bytes", doc.bytes);
  admin_json::field(j, "maxBytes", doc.max_bytes);
  admin_json::field(j, "maxObject", doc.max_object);
  admin_json::field(j, "evictions", doc.evictions);
  admin_json::eachMember(j, "routes", [&](const std::string& name, const Json& item) {
    doc.routes[name] = admin_json::readCacheRoute(item);
  });
  return doc;
}

PurgeDoc readPurge(const Json& j) {
  PurgeDoc doc;
  admin_json::field(j, "purged", doc.purged);
  return doc;
}

}  // namespace

std::string toJson(const CacheDoc& doc) {
  Json routes = Json::object();
  for (const auto& [name, route] : doc.routes) {
    routes[name] = admin_json::cacheRouteTree(route);
  }
  const Json out = {{"enabled", doc.enabled},      {"entries", doc.entries},
                    {"bytes", doc.bytes},          {"maxBytes", doc.max_bytes},
                    {"maxObject", doc.max_object}, {"evictions", doc.evictions},
                    {"routes", std::move(routes)}};
  return out.dump();
}

std::string toJson(const PurgeDoc& doc) { return Json{{"purged", doc.purged}}.dump(); }

core::Result<CacheDoc> parseCache(std::string_view text) {
  return admin_json::parseWith<CacheDoc>(text, "cache", readCache);
}

core::Result<PurgeDoc> parsePurge(std::string_view text) {
  return admin_json::parseWith<PurgeDoc>(text, "purge", readPurge);
}

}  // namespace gw::proxy
