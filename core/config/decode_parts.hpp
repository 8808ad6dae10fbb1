#pragma once
// The pieces of decode(), one per section of the document.

#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "core/config/model.hpp"
#include "core/config/yaml_reader.hpp"

namespace gw::core::yaml {

inline constexpr long long kIntMax = std::numeric_limits<int>::max();
inline constexpr long long kIntMin = std::numeric_limits<int>::min();

void decodeGateway(Reader& r, const Node& node, const std::string& path, Gateway& out);
void decodeService(Reader& r, const Node& node, const std::string& path, Service& out);
void decodeRoute(Reader& r, const Node& node, const std::string& path, Route& out);
void decodeCertificate(Reader& r, const Node& node, const std::string& path, Certificate& out);

// A gateway's https settings (decode_gateway_https.cpp).
void decodeHsts(Reader& r, const Node& node, const std::string& path, std::optional<Hsts>& out);
void decodeGatewayTls(Reader& r, const Node& node, const std::string& path,
                      std::optional<GatewayTls>& out);

// The parts of a route that say what to do with a matched request besides forwarding it.
void decodeRetries(Reader& r, const Node& node, const std::string& path, RetryPolicy& out);
void decodeRedirect(Reader& r, const Node& node, const std::string& path,
                    std::optional<Redirect>& out);
void decodeRewrite(Reader& r, const Node& node, const std::string& path,
                   std::optional<Rewrite>& out);
void decodeHeaderOps(Reader& r, const Node& node, const std::string& path, HeaderOps& out);
void decodeDirectResponse(Reader& r, const Node& node, const std::string& path,
                          std::optional<DirectResponse>& out);
void decodeMirror(Reader& r, const Node& node, const std::string& path, std::optional<Mirror>& out);

// Access control (decode_access.cpp).
void decodeConsumer(Reader& r, const Node& node, const std::string& path, Consumer& out);
void decodeJwtProvider(Reader& r, const Node& node, const std::string& path, JwtProvider& out);
void decodeAuthPolicy(Reader& r, const Node& node, const std::string& path,
                      std::optional<AuthPolicy>& out);
void decodeAuthorization(Reader& r, const Node& node, const std::string& path,
                         std::optional<Authorization>& out);
void decodeCors(Reader& r, const Node& node, const std::string& path, std::optional<Cors>& out);
void decodeClientIp(Reader& r, const Node& node, const std::string& path, ClientIp& out);
void decodeClientCertificates(Reader& r, const Node& node, const std::string& path,
                              std::optional<ClientCertificates>& out);

// Limits, plans, the Redis store and metering (decode_limits.cpp).
void decodeRateLimit(Reader& r, const Node& node, const std::string& path, RateLimit& out);
void decodePlan(Reader& r, const Node& node, const std::string& path, Plan& out);
void decodeRedis(Reader& r, const Node& node, const std::string& path,
                 std::optional<RedisStore>& out);
void decodeMetering(Reader& r, const Node& node, const std::string& path, Metering& out);

// The response cache (decode_cache.cpp).
void decodeByteSize(Reader& r, const Node& node, const std::string& path, std::int64_t& out);
void decodeRouteCache(Reader& r, const Node& node, const std::string& path,
                      std::optional<RouteCache>& out);
void decodeCacheSettings(Reader& r, const Node& node, const std::string& path, CacheSettings& out);
void decodeCompress(Reader& r, const Node& node, const std::string& path,
                    std::optional<Compress>& out);
// API call aggregation (decode_aggregate.cpp).
void decodeAggregate(Reader& r, const Node& node, const std::string& path,
                     std::optional<Aggregate>& out);

// Reads every item of a sequence with `one` and appends it to `out`.
template <class T, class F>
void decodeItems(Reader& r, const Node& node, const std::string& path, std::vector<T>& out,
                 F&& one) {
  r.list(node, path, [&](const Node& item, const std::string& item_path) {
    T value;
    one(r, item, item_path, value);
    out.push_back(std::move(value));
  });
}

}  // namespace gw::core::yaml
