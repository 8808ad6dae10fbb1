#include "core/net/host_port.hpp"

#include <charconv>
#include <limits>

#include "core/config/checks.hpp"

namespace gw::core::net {

std::optional<Authority> splitAuthority(std::string_view text) {
  Authority out;
  if (!text.empty() && text.front() == '[') {
    const auto close = text.find(']');
    if (close == std::string_view::npos) {
      return std::nullopt;
    }
    out.host = text.substr(1, close - 1);
    out.bracketed = true;
    const std::string_view rest = text.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') {
        return std::nullopt;
      }
      out.port = rest.substr(1);
    }
    return out;
  }
  const auto colon = text.find(':');
  if (colon == std::string_view::npos || text.find(':', colon + 1) != std::string_view::npos) {
    out.host = text;
    return out;
  }
  out.host = text.substr(0, colon);
  out.port = text.substr(colon + 1);
  return out;
}

std::optional<std::uint16_t> parsePort(std::string_view text, PortZero zero) {
  unsigned value = 0;
  const char* const last = text.data() + text.size();
  const auto [end, ec] = std::from_chars(text.data(), last, value);
  if (text.empty() || ec != std::errc{} || end != last ||
      value > std::numeric_limits<std::uint16_t>::max() ||
      (value == 0 && zero == PortZero::kRefuse)) {
    return std::nullopt;
  }
  return static_cast<std::uint16_t>(value);
}

std::optional<HostPort> parseHostPort(std::string_view text, PortZero zero) {
  const auto authority = splitAuthority(text);
  if (!authority || !authority->port) {
    return std::nullopt;
  }
  const auto port = parsePort(*authority->port, zero);
  if (!port) {
    return std::nullopt;
  }
  const std::string host(authority->host);
  const bool host_ok =
      authority->bracketed ? isIpv6(host) : isIpv4(host) || isDnsName(toLower(host));
  if (!host_ok) {
    return std::nullopt;
  }
  return HostPort{host, *port};
}

}  // namespace gw::core::net
