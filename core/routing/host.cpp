#include <algorithm>

#include "core/net/host_port.hpp"
#include "core/routing/compiled.hpp"

namespace gw::core::routing {

std::string_view stripPort(std::string_view host) {
  // A malformed Host header ("[::1", "[::1]x") is kept whole; no host rule names such a thing.
  const auto parts = net::splitAuthority(host);
  return parts ? parts->host : host;
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
