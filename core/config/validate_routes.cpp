#include <algorithm>
#include <map>
#include <regex>
#include <set>
#include <tuple>

#include "core/config/checks.hpp"
#include "core/config/references.hpp"
#include "core/config/validate_context.hpp"

namespace gw::core {
namespace {

// Everything but the hosts that must be equal for two routes to tie.
using TieKey = std::tuple<std::string, MatchType, std::string, std::vector<std::string>,
                          std::vector<std::pair<std::string, std::string>>, int>;

TieKey tieKey(const Route& r) {
  std::vector<std::string> methods = r.methods;
  std::sort(methods.begin(), methods.end());
  std::vector<std::pair<std::string, std::string>> headers;
  for (const auto& h : r.headers) {
    headers.emplace_back(toLower(h.name), h.value);
  }
  std::sort(headers.begin(), headers.end());
  return {r.gateway, r.match.type, r.match.path, methods, headers, r.priority.value_or(0)};
}

// Hosts compare case-insensitively; a route without hosts serves every host, like "*".
std::set<std::string> hostSet(const Route& r) {
  std::set<std::string> hosts;
  for (const auto& h : r.hosts) {
    hosts.insert(toLower(h));
  }
  if (hosts.empty()) {
    hosts.insert("*");
  }
  return hosts;
}

void checkMatch(const Route& route, const std::string& path, Checker& check) {
  const std::string& p = route.match.path;
  if (route.match.type == MatchType::kRegex) {
    try {
      std::regex compiled(p, std::regex::ECMAScript);
    } catch (const std::regex_error& e) {
      check.add(path + ".match.path", std::string("invalid regex: ") + e.what());
    }
  } else if (p.empty() || p.front() != '/') {
    check.add(path + ".match.path", "must start with '/' (got " + quote(p) + ")");
  }
}

void checkDestinations(const Config& config, const Route& route, const std::string& path,
                       Checker& check) {
  // Exactly one of destinations, redirect, directResponse and aggregate says what the route
  // answers.
  const std::pair<const char*, bool> actions[] = {
      {"redirect", route.redirect.has_value()},
      {"directResponse", route.direct_response.has_value()},
      {"destinations", !route.destinations.empty()},
      {"aggregate", route.aggregate.has_value()}};
  int given = 0;
  for (std::size_t a = 0; a < std::size(actions); ++a) {
    for (std::size_t b = 0; b < a; ++b) {
      if (actions[a].second && actions[b].second) {
        check.add(path, std::string("has both ") + actions[b].first + " and " + actions[a].first);
      }
    }
    given += actions[a].second ? 1 : 0;
  }
  if (given == 0) {
    check.add(path + ".destinations",
              "at least one destination is required (or a redirect, a directResponse or an "
              "aggregate)");
  }
  if (route.destinations.empty()) {
    return;
  }
  long long sum = 0;
  std::set<std::string> seen;
  for (std::size_t d = 0; d < route.destinations.size(); ++d) {
    const Destination& dest = route.destinations[d];
    const std::string dpath = path + ".destinations[" + std::to_string(d) + "]";
    if (dest.service.empty()) {
      check.add(dpath + ".service", "must name a service");
    } else if (auto missing = missingService(config, dest.service)) {
      check.add(dpath + ".service", std::move(*missing));
    } else if (!seen.insert(dest.service).second) {
      check.add(dpath + ".service",
                quote(dest.service) + " is already a destination of this route");
    }
    if (dest.weight < 0 || dest.weight > 100) {
      check.add(dpath + ".weight", "must be 0..100 (got " + std::to_string(dest.weight) + ")");
    }
    sum += dest.weight;
  }
  if (sum != 100) {
    check.add(path + ".destinations", "weights must sum to 100 (got " + std::to_string(sum) + ")");
  }
}

void checkRoute(const Config& config, const Route& route, const std::string& path, Checker& check) {
  if (route.gateway.empty()) {
    check.add(path + ".gateway", "must name a gateway");
  } else if (auto missing = missingGateway(config, route.gateway)) {
    check.add(path + ".gateway", std::move(*missing));
  }
  std::set<std::string> hosts;
  for (std::size_t h = 0; h < route.hosts.size(); ++h) {
    const std::string& host = route.hosts[h];
    const std::string hpath = path + ".hosts[" + std::to_string(h) + "]";
    if (!isHostPattern(host)) {
      check.add(hpath,
                R"(must be a lower-case DNS name, "*.suffix" or "*" (got )" + quote(host) + ")");
    } else if (!hosts.insert(host).second) {
      check.add(hpath, "duplicate host " + quote(host));
    }
  }
  checkMatch(route, path, check);
  for (std::size_t m = 0; m < route.methods.size(); ++m) {
    if (!isToken(route.methods[m])) {
      check.add(path + ".methods[" + std::to_string(m) + "]",
                "must be an HTTP method (got " + quote(route.methods[m]) + ")");
    }
  }
  for (std::size_t h = 0; h < route.headers.size(); ++h) {
    if (!isToken(route.headers[h].name)) {
      check.add(path + ".headers[" + std::to_string(h) + "].name",
                "must be an HTTP header name (got " + quote(route.headers[h].name) + ")");
    }
  }
  checkDestinations(config, route, path, check);
  if (route.timeout && route.timeout->count() <= 0) {
    check.add(path + ".timeout", "must be positive (got " + formatDuration(*route.timeout) + ")");
  }
  checkRouteActions(config, route, path, check);
  checkRouteAccess(config, route, path, check);
  checkRateLimits(config, route.rate_limits, path, check);
  checkRouteCache(route, path, check);
  checkRouteAggregate(config, route, path, check);
  checkCompress(route.compress, path, check);
}

}  // namespace

void validateRoutes(const Config& config, Checker& check) {
  check.uniqueNames(config.routes, "routes", "route");
  // Routes grouped by everything but their hosts; a tie needs a shared host within a group.
  std::map<TieKey, std::vector<std::size_t>> groups;
  for (std::size_t r = 0; r < config.routes.size(); ++r) {
    const Route& route = config.routes[r];
    const std::string path = at("routes", r);
    checkRoute(config, route, path, check);

    auto& group = groups[tieKey(route)];
    const auto hosts = hostSet(route);
    for (const std::size_t earlier : group) {
      const auto other = hostSet(config.routes[earlier]);
      const bool shared = std::any_of(hosts.begin(), hosts.end(),
                                      [&](const std::string& h) { return other.contains(h); });
      if (shared) {
        check.add(path, "same host, match and priority as " + at("routes", earlier) + " (" +
                            quote(config.routes[earlier].name) +
                            "): set a priority to break the tie");
        break;
      }
    }
    group.push_back(r);
  }
}

}  // namespace gw::core
