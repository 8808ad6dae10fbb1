#include "core/net/cidr.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>
#include <cstring>

namespace gw::core::net {
namespace {

constexpr int kMappedPrefix = 96;  // ::ffff:0:0/96 holds the IPv4-mapped addresses

bool isMapped(const IpBytes& ip) {
  return std::all_of(ip.begin(), ip.begin() + 10, [](std::uint8_t b) { return b == 0; }) &&
         ip[10] == 0xff && ip[11] == 0xff;
}

}  // namespace

std::optional<IpBytes> parseIp(std::string_view text) {
  if (text.size() >= 2 && text.front() == '[' && text.back() == ']') {
    text = text.substr(1, text.size() - 2);
  }
  if (text.empty() || text.size() >= INET6_ADDRSTRLEN) {
    return std::nullopt;
  }
  char buf[INET6_ADDRSTRLEN] = {};
  std::memcpy(buf, text.data(), text.size());
  IpBytes ip{};
  if (text.find(':') == std::string_view::npos) {
    in_addr v4{};
    if (inet_pton(AF_INET, buf, &v4) != 1) {
      return std::nullopt;
    }
    ip[10] = 0xff;
    ip[11] = 0xff;
    std::memcpy(ip.data() + 12, &v4, 4);
    return ip;
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, buf, &v6) != 1) {
    return std::nullopt;
  }
  std::memcpy(ip.data(), &v6, 16);
  return ip;
}

std::string formatIp(const IpBytes& ip) {
  char buf[INET6_ADDRSTRLEN] = {};
  if (isMapped(ip)) {
    inet_ntop(AF_INET, ip.data() + 12, buf, sizeof buf);
  } else {
    inet_ntop(AF_INET6, ip.data(), buf, sizeof buf);
  }
  return buf;
}

bool Cidr::contains(const IpBytes& ip) const {
  const auto whole = static_cast<std::size_t>(prefix / 8);
  if (std::memcmp(ip.data(), base.data(), whole) != 0) {
    return false;
  }
  const int rest = prefix % 8;
  if (rest == 0) {
    return true;
  }
  const auto mask = static_cast<std::uint8_t>(0xff << (8 - rest));
  return (ip[whole] & mask) == base[whole];
}

std::string cidrProblem(std::string_view text) {
  const auto slash = text.find('/');
  const auto ip = parseIp(text.substr(0, slash));
  if (!ip) {
    return "must be an IPv4 or IPv6 address or CIDR range";
  }
  if (slash == std::string_view::npos) {
    return "";
  }
  const std::string_view bits = text.substr(slash + 1);
  int prefix = -1;
  const auto [end, ec] = std::from_chars(bits.data(), bits.data() + bits.size(), prefix);
  const int max = text.find(':') == std::string_view::npos ? 32 : 128;
  if (bits.empty() || ec != std::errc() || end != bits.data() + bits.size() || prefix < 0 ||
      prefix > max) {
    return "the prefix length must be 0.." + std::to_string(max);
  }
  const int full = max == 32 ? prefix + kMappedPrefix : prefix;
  Cidr range{*ip, full};
  for (int bit = full; bit < 128; ++bit) {
    range.base[static_cast<std::size_t>(bit / 8)] &=
        static_cast<std::uint8_t>(~(0x80U >> static_cast<unsigned>(bit % 8)));
  }
  if (range.base != *ip) {
    return "has host bits set below the /" + std::to_string(prefix) + " prefix (did you mean " +
           formatIp(range.base) + "/" + std::to_string(prefix) + "?)";
  }
  return "";
}

std::optional<Cidr> parseCidr(std::string_view text) {
  if (!cidrProblem(text).empty()) {
    return std::nullopt;
  }
  const auto slash = text.find('/');
  const auto ip = parseIp(text.substr(0, slash));
  const bool v4 = text.find(':') == std::string_view::npos;
  int prefix = v4 ? 32 : 128;
  if (slash != std::string_view::npos) {
    const std::string_view bits = text.substr(slash + 1);
    std::from_chars(bits.data(), bits.data() + bits.size(), prefix);
  }
  return Cidr{*ip, v4 ? prefix + kMappedPrefix : prefix};
}

CidrSet CidrSet::parse(const std::vector<std::string>& texts) {
  std::vector<Cidr> ranges;
  for (const std::string& text : texts) {
    if (auto range = parseCidr(text)) {
      ranges.push_back(*range);
    }
  }
  return CidrSet(std::move(ranges));
}

bool CidrSet::contains(const IpBytes& ip) const {
  return std::any_of(ranges_.begin(), ranges_.end(),
                     [&](const Cidr& range) { return range.contains(ip); });
}

}  // namespace gw::core::net
