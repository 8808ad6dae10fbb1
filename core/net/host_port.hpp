#pragma once
// HOST:PORT and URL authorities (RFC 3986 sections 3.2.2 and 3.2.3): the one place gw takes
// them apart, so endpoints, admin addresses, Host headers and redirect URLs agree on where
// the host ends and the port begins. Strings only: no sockets, no name resolution.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace gw::core::net {

struct HostPort {
  std::string host;  // an IPv6 literal comes without its brackets
  std::uint16_t port = 0;

  bool operator==(const HostPort&) const = default;
};

// Port 0 means "any free port" to a listener being bound, and nothing at all to a peer.
enum class PortZero : std::uint8_t { kRefuse, kAllow };

// An authority split at its port colon, neither part judged.
struct Authority {
  std::string_view host;                 // without IPv6 brackets
  std::optional<std::string_view> port;  // the text after ':', possibly empty ("host:")
  bool bracketed = false;                // the host was written "[...]"
};

// "host", "host:port", "[v6]" or "[v6]:port". An unbracketed host with two colons or more is
// a bare IPv6 literal, which cannot carry a port, so it is all host. Nothing for a '[' without
// its ']' or for anything but ":port" after the ']'.
std::optional<Authority> splitAuthority(std::string_view text);

// Decimal digits only, 1..65535, and 0 when `zero` allows it.
std::optional<std::uint16_t> parsePort(std::string_view text, PortZero zero = PortZero::kRefuse);

// "name:port", "1.2.3.4:port" or "[v6]:port", the port required. The host must be a DNS name
// (any case), an IPv4 literal or a bracketed IPv6 literal.
std::optional<HostPort> parseHostPort(std::string_view text, PortZero zero = PortZero::kRefuse);

}  // namespace gw::core::net
