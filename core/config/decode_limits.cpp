// The limits sections of the document (limits.hpp): rate limits of gateways and routes,
// plans, the Redis store, and metering.

#include "core/config/decode_parts.hpp"

namespace gw::core::yaml {
namespace {

using Path = std::string;

// A scalar read with `parse`, or an error naming what was expected.
template <class T, class Parse>
bool parsed(Reader& r, const Node& node, const Path& path, Parse parse, const char* what, T& out) {
  const auto value = node.isScalar() ? parse(node.scalar()) : std::nullopt;
  if (!value) {
    r.expected(path, what, node);
    return false;
  }
  out = *value;
  return true;
}

void decodeRate(Reader& r, const Node& node, const Path& path, Rate& out) {
  parsed(r, node, path, parseRate, "a rate such as 100/1m, 5/1s or 1000/1h (units s, m, h, d)",
         out);
}

void decodeQuota(Reader& r, const Node& node, const Path& path, std::optional<Quota>& out) {
  Quota quota;
  if (parsed(r, node, path, parseQuota, "a quota such as 1000/day or 50000/month", quota)) {
    out = quota;
  }
}

void decodeMoney(Reader& r, const Node& node, const Path& path, Micros& out) {
  parsed(r, node, path, parseMoney, "an amount such as 12, 9.99 or 0.0001 (6 decimals at most)",
         out);
}

void decodePrice(Reader& r, const Node& node, const Path& path, std::optional<Price>& out) {
  Price price;
  Fields f(r, node, path, {"currency", "monthly", "included", "perRequest"});
  f.optional("currency", [&](const Node& v, const Path& p) { r.string(v, p, price.currency); });
  f.optional("monthly", [&](const Node& v, const Path& p) { decodeMoney(r, v, p, price.monthly); });
  f.optional("included", [&](const Node& v, const Path& p) {
    r.integer(v, p, std::numeric_limits<long long>::min(), std::numeric_limits<long long>::max(),
              "an integer", price.included);
  });
  f.optional("perRequest",
             [&](const Node& v, const Path& p) { decodeMoney(r, v, p, price.per_request); });
  out = std::move(price);
}

void decodeLimitFields(Fields& f, Reader& r, RateLimit& out) {
  f.required("rate", [&](const Node& v, const Path& p) { decodeRate(r, v, p, out.rate); });
  f.optional("burst", [&](const Node& v, const Path& p) {
    r.integer(v, p, std::numeric_limits<long long>::min(), std::numeric_limits<long long>::max(),
              "an integer", out.burst);
  });
}

}  // namespace

void decodeRateLimit(Reader& r, const Node& node, const Path& path, RateLimit& out) {
  Fields f(r, node, path,
           {"name", "rate", "burst", "by", "cost", "store", "onStoreError", "mode", "headers"});
  f.optional("name", [&](const Node& v, const Path& p) { r.string(v, p, out.name); });
  decodeLimitFields(f, r, out);
  f.optional("by", [&](const Node& v, const Path& p) {
    if (v.isScalar()) {  // one key needs no list
      std::string one;
      if (r.string(v, p, one)) {
        out.by = {std::move(one)};
      }
      return;
    }
    r.stringList(v, p, out.by);
  });
  f.optional("cost", [&](const Node& v, const Path& p) {
    r.integer(v, p, std::numeric_limits<long long>::min(), std::numeric_limits<long long>::max(),
              "an integer", out.cost);
  });
  f.optional("store", [&](const Node& v, const Path& p) {
    r.enumeration(v, p, parseLimitStore, "local, redis", out.store);
  });
  f.optional("onStoreError", [&](const Node& v, const Path& p) {
    r.enumeration(v, p, parseOnStoreError, "local, allow, deny", out.on_store_error);
  });
  f.optional("mode", [&](const Node& v, const Path& p) {
    r.enumeration(v, p, parseLimitMode, "enforce, shadow", out.mode);
  });
  f.optional("headers", [&](const Node& v, const Path& p) {
    r.enumeration(v, p, parseLimitHeaders, "draft, legacy, none", out.headers);
  });
}

void decodePlan(Reader& r, const Node& node, const Path& path, Plan& out) {
  Fields f(r, node, path, {"name", "quota", "rateLimit", "price"});
  f.required("name", [&](const Node& v, const Path& p) { r.string(v, p, out.name); });
  f.optional("quota", [&](const Node& v, const Path& p) { decodeQuota(r, v, p, out.quota); });
  f.optional("rateLimit", [&](const Node& v, const Path& p) {
    RateLimit limit;
    limit.by = {"consumer"};
    Fields lf(r, v, p, {"rate", "burst"});
    decodeLimitFields(lf, r, limit);
    out.rate_limit = std::move(limit);
  });
  f.optional("price", [&](const Node& v, const Path& p) { decodePrice(r, v, p, out.price); });
}

void decodeRedis(Reader& r, const Node& node, const Path& path, std::optional<RedisStore>& out) {
  RedisStore redis;
  Fields f(r, node, path, {"address", "password", "database", "timeout"});
  f.required("address", [&](const Node& v, const Path& p) { r.string(v, p, redis.address); });
  f.optional("password", [&](const Node& v, const Path& p) { r.string(v, p, redis.password); });
  f.optional("database", [&](const Node& v, const Path& p) {
    r.integer(v, p, kIntMin, kIntMax, "an integer", redis.database);
  });
  f.optional("timeout", [&](const Node& v, const Path& p) { r.duration(v, p, redis.timeout); });
  out = std::move(redis);
}

void decodeMetering(Reader& r, const Node& node, const Path& path, Metering& out) {
  Fields f(r, node, path, {"enabled", "store", "events"});
  f.optional("enabled", [&](const Node& v, const Path& p) { r.boolean(v, p, out.enabled); });
  f.optional("store", [&](const Node& v, const Path& p) {
    r.enumeration(v, p, parseMeteringStore, "sqlite, redis", out.store);
  });
  f.optional("events", [&](const Node& v, const Path& p) { r.string(v, p, out.events); });
}

}  // namespace gw::core::yaml
