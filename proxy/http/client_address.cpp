#include "proxy/http/client_address.hpp"

#include <vector>

namespace gw::proxy {
namespace {

std::string_view trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
    s.remove_suffix(1);
  }
  return s;
}

// "1.2.3.4", "1.2.3.4:5678", "2001:db8::1" or "[2001:db8::1]:5678".
std::optional<core::net::IpBytes> entryAddress(std::string_view entry) {
  if (auto ip = core::net::parseIp(entry)) {
    return ip;
  }
  if (!entry.empty() && entry.front() == '[') {
    const auto close = entry.find(']');
    return close == std::string_view::npos ? std::nullopt
                                           : core::net::parseIp(entry.substr(1, close - 1));
  }
  const auto colon = entry.find(':');
  if (colon != std::string_view::npos && entry.find(':', colon + 1) == std::string_view::npos) {
    return core::net::parseIp(entry.substr(0, colon));
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> forwardedClient(const http::fields& fields, std::string_view peer,
                                           const core::net::CidrSet& trusted) {
  if (trusted.empty()) {
    return std::nullopt;
  }
  const auto peer_ip = core::net::parseIp(peer);
  if (!peer_ip || !trusted.contains(*peer_ip)) {
    return std::nullopt;
  }
  std::vector<std::string_view> entries;
  const auto range = fields.equal_range("X-Forwarded-For");
  for (auto it = range.first; it != range.second; ++it) {
    std::string_view value = it->value();
    while (!value.empty()) {
      const auto comma = value.find(',');
      entries.push_back(trimmed(value.substr(0, comma)));
      value = comma == std::string_view::npos ? std::string_view{} : value.substr(comma + 1);
    }
  }
  std::optional<core::net::IpBytes> client;
  for (std::size_t i = entries.size(); i-- > 0;) {  // right to left
    const auto ip = entryAddress(entries[i]);
    if (!ip) {
      break;
    }
    client = ip;
    if (!trusted.contains(*ip)) {
      break;
    }
  }
  if (!client) {
    return std::nullopt;
  }
  return core::net::formatIp(*client);
}

}  // namespace gw::proxy
