#pragma once
// Builds Configs and requests for the routing tests in plain C++.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/config/model.hpp"
#include "core/routing/route_table.hpp"

namespace gw::core::routing::testing {

inline constexpr const char* kGateway = "shop-ingress";

inline Route makeRoute(std::string name, std::vector<std::string> hosts, std::string path,
                       MatchType type = MatchType::kPrefix) {
  Route route;
  route.name = std::move(name);
  route.gateway = kGateway;
  route.hosts = std::move(hosts);
  route.match = PathMatch{std::move(path), type};
  route.destinations = {Destination{"frontend", 100}};
  return route;
}

inline bool equalsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto lower = [](char c) {
      return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    };
    if (lower(a[i]) != lower(b[i])) {
      return false;
    }
  }
  return true;
}

// A request as the proxy hands it over: header names looked up case-insensitively.
struct Request {
  std::string host;
  std::string path = "/";
  std::string method = "GET";
  std::vector<std::pair<std::string, std::string>> headers = {};

  static std::optional<std::string_view> lookup(const void* ctx, std::string_view name) {
    for (const auto& [key, value] : static_cast<const Request*>(ctx)->headers) {
      if (equalsIgnoreCase(key, name)) {
        return std::string_view(value);
      }
    }
    return std::nullopt;
  }

  RequestView view() const { return RequestView{host, path, method, this, &Request::lookup}; }
};

// The winning route's name, or "" when no route matches.
inline std::string winner(const RouteTable& table, const Request& request) {
  const CompiledRoute* route = table.match(request.view());
  return route == nullptr ? std::string() : route->name;
}

}  // namespace gw::core::routing::testing
