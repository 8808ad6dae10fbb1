#include <algorithm>

#include "core/routing/compiled.hpp"

namespace gw::core::routing {

std::string_view stripPort(std::string_view host) {
  if (!host.empty() && host.front() == '[') {
    const auto close = host.find(']');
    if (close == std::string_view::npos) {
      return host;
    }
    return host.substr(1, close - 1);
  }
  const auto colon = host.find(':');
  // Two colons or more: a bare IPv6 literal, which has no port without brackets.
  if (colon == std::string_view::npos || host.find(':', colon + 1) != std::string_view::npos) {
    return host;
  }
  return host.substr(0, colon);
}

namespace detail {

std::optional<std::string_view> normalizeHost(std::string_view raw, HostBuffer& buffer) {
  std::string_view host = stripPort(raw);
  if (!host.empty() && host.back() == '.') {
    host.remove_suffix(1);
  }
  if (host.size() > buffer.size()) {
    return std::nullopt;
  }
  std::transform(host.begin(), host.end(), buffer.begin(), [](char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  });
  return std::string_view(buffer.data(), host.size());
}

}  // namespace detail

const detail::HostRule* RouteTable::Impl::findRule(std::optional<std::string_view> host) const {
  if (host) {
    if (const auto it = exact_hosts.find(*host); it != exact_hosts.end()) {
      return &rules[it->second];
    }
    if (!wildcard_hosts.empty()) {
      // Left to right is longest suffix first; a wildcard needs a non-empty first label.
      for (std::size_t i = 1; i < host->size(); ++i) {
        if ((*host)[i] != '.') {
          continue;
        }
        if (const auto it = wildcard_hosts.find(host->substr(i)); it != wildcard_hosts.end()) {
          return &rules[it->second];
        }
      }
    }
  }
  return any_host ? &rules[*any_host] : nullptr;
}

}  // namespace gw::core::routing
