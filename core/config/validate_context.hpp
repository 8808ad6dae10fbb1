#pragma once
// Shared state of one validate() run.

#include <algorithm>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "core/config/diagnostic.hpp"
#include "core/config/model.hpp"

namespace gw::core {

class Checker {
 public:
  explicit Checker(const SourceMap* source) : source_(source) {}

  void add(const std::string& path, std::string message);
  std::vector<Diagnostic> take() { return std::move(diagnostics_); }

  // Reports an empty or malformed object name.
  void name(const std::string& path, const std::string& value);

  // Checks every item's name and that no two items share one; `kind` is "service", ...
  template <class T>
  void uniqueNames(const std::vector<T>& items, const char* section, const char* kind);

 private:
  const SourceMap* source_;
  std::vector<Diagnostic> diagnostics_;
};

// "routes[3]"
std::string at(const char* section, std::size_t index);

template <class T>
void Checker::uniqueNames(const std::vector<T>& items, const char* section, const char* kind) {
  // A set, not a list: documents with 10,000 routes must validate in milliseconds.
  std::unordered_set<std::string_view> seen;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const std::string path = at(section, i) + ".name";
    name(path, items[i].name);
    if (items[i].name.empty()) {
      continue;
    }
    if (!seen.insert(items[i].name).second) {
      add(path, std::string("duplicate ") + kind + " name \"" + items[i].name + "\"");
    }
  }
}

// Reports a duration that is not positive.
void checkDuration(Checker& check, const std::string& path, Millis value);

// A gateway's httpsRedirect, hsts and tls (validate_gateway_https.cpp).
void checkGatewayHttps(const Gateway& gateway, const std::string& path, Checker& check);

// A CA file a document names: an absolute path to a PEM certificate (validate_services.cpp).
void checkCaFile(const std::string& ca_file, const std::string& path, Checker& check);

void validateServices(const Config& config, Checker& check);
// consumers[] and jwtProviders[] (validate_consumers.cpp).
void validateConsumers(const Config& config, Checker& check);
// The access-control settings of a gateway and of a route (validate_access.cpp).
void checkGatewayAccess(const Config& config, const Gateway& gateway, const std::string& path,
                        Checker& check);
void checkRouteAccess(const Config& config, const Route& route, const std::string& path,
                      Checker& check);
void validateRoutes(const Config& config, Checker& check);
// rateLimits of a gateway or route at `path`; plans, redis and metering (validate_limits.cpp).
void checkRateLimits(const Config& config, const std::vector<RateLimit>& limits,
                     const std::string& path, Checker& check);
void validateLimits(const Config& config, Checker& check);

// The response cache (validate_cache.cpp).
void checkRouteCache(const Route& route, const std::string& path, Checker& check);
void checkCacheSettings(const CacheSettings& cache, Checker& check);
void checkCompress(const std::optional<Compress>& compress, const std::string& path,
                   Checker& check);
// A route's aggregate (validate_aggregate.cpp).
void checkRouteAggregate(const Config& config, const Route& route, const std::string& path,
                         Checker& check);
void validateCertificates(const Config& config, Checker& check);
// How certificates are ordered from `issuer` (certificates[] and gateways[].tls alike).
void checkAcmeOrder(Issuer issuer, const AcmeOrder& order, const std::string& path, Checker& check);

// What a route does besides matching: retries, redirect, rewrite, header changes, direct
// response, mirror.
void checkRouteActions(const Config& config, const Route& route, const std::string& path,
                       Checker& check);

}  // namespace gw::core
