#include <algorithm>

#include "core/routing/compiled.hpp"

namespace gw::core::routing::detail {

bool prefixMatches(std::string_view prefix, std::string_view path) {
  if (!path.starts_with(prefix)) {
    return false;
  }
  // Segment-aware: "/api" stops at a '/' or at the end, so "/apix" is not under it.
  return prefix.empty() || prefix.back() == '/' || path.size() == prefix.size() ||
         path[prefix.size()] == '/';
}

bool pathMatches(const Route& route, const RouteMatcher& matcher, std::string_view path) {
  switch (route.match.type) {
    case MatchType::kExact:
      return path == route.match.path;
    case MatchType::kPrefix:
      return prefixMatches(route.match.path.empty() ? "/" : route.match.path, path);
    case MatchType::kRegex:
      return matcher.regex && std::regex_match(path.begin(), path.end(), *matcher.regex);
  }
  return false;
}

bool methodAllowed(const Route& route, std::string_view method) {
  return route.methods.empty() ||
         std::find(route.methods.begin(), route.methods.end(), method) != route.methods.end();
}

bool headersMatch(const Route& route, const RequestView& request) {
  return std::all_of(route.headers.begin(), route.headers.end(), [&](const HeaderMatch& wanted) {
    if (request.header == nullptr) {
      return false;
    }
    const auto value = request.header(request.ctx, wanted.name);
    return value && *value == wanted.value;
  });
}

}  // namespace gw::core::routing::detail
