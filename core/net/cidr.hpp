#pragma once
// IP addresses and CIDR ranges for IP lists and trusted proxies. Every address is kept as
// 16 bytes: IPv4 as its IPv4-mapped IPv6 form (::ffff:a.b.c.d), so "10.0.0.0/8" matches a
// client that reached a dual-stack listener as ::ffff:10.1.2.3, and the two families share
// one comparison. Strings only: no sockets.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gw::core::net {

using IpBytes = std::array<std::uint8_t, 16>;

// "10.1.2.3", "2001:db8::1", "::ffff:10.1.2.3" (and "[2001:db8::1]"); nothing for anything else.
std::optional<IpBytes> parseIp(std::string_view text);

// The address as text, IPv4-mapped addresses as plain IPv4.
std::string formatIp(const IpBytes& ip);

struct Cidr {
  IpBytes base{};  // host bits cleared
  int prefix = 0;  // over the 16 bytes (an IPv4 /8 is 104)
  bool operator==(const Cidr&) const = default;
  bool contains(const IpBytes& ip) const;
};

// "10.0.0.0/8", "2001:db8::/32", or an address alone (a /32 or /128). Host bits set below the
// prefix ("10.0.0.1/8") are refused, as they usually mean a typo in the prefix.
std::optional<Cidr> parseCidr(std::string_view text);
// Why parseCidr refused `text`, for error messages.
std::string cidrProblem(std::string_view text);

// A list of ranges, checked in order.
class CidrSet {
 public:
  CidrSet() = default;
  explicit CidrSet(std::vector<Cidr> ranges) : ranges_(std::move(ranges)) {}
  // The ranges of `texts` that parse (validation has refused the others).
  static CidrSet parse(const std::vector<std::string>& texts);

  bool empty() const { return ranges_.empty(); }
  bool contains(const IpBytes& ip) const;

 private:
  std::vector<Cidr> ranges_;
};

}  // namespace gw::core::net
