#include "core/config/checks.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <cstring>

#include "core/net/host_port.hpp"

namespace gw::core {
namespace {

bool isLowerAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

bool isLabel(std::string_view label) {
  if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
    return false;
  }
  return std::all_of(label.begin(), label.end(),
                     [](char c) { return isLowerAlnum(c) || c == '-'; });
}

}  // namespace

bool isValidName(std::string_view s) {
  if (s.empty() || !isLowerAlnum(s.front())) {
    return false;
  }
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return isLowerAlnum(c) || c == '.' || c == '-'; });
}

bool isDnsName(std::string_view s) {
  if (s.empty() || s.size() > 253) {
    return false;
  }
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = s.find('.', start);
    if (!isLabel(s.substr(start, dot == std::string_view::npos ? dot : dot - start))) {
      return false;
    }
    if (dot == std::string_view::npos) {
      return true;
    }
    start = dot + 1;
  }
}

bool isHostPattern(std::string_view s) { return s == "*" || isDomain(s); }

bool isDomain(std::string_view s) {
  if (s.size() > 2 && s.substr(0, 2) == "*.") {
    return isDnsName(s.substr(2));
  }
  return isDnsName(s);
}

bool isIpv4(std::string_view s) {
  unsigned char buf[sizeof(in_addr)];
  return inet_pton(AF_INET, std::string(s).c_str(), buf) == 1;
}

bool isIpv6(std::string_view s) {
  unsigned char buf[sizeof(in6_addr)];
  return inet_pton(AF_INET6, std::string(s).c_str(), buf) == 1;
}

bool isHostPort(std::string_view s) { return net::parseHostPort(s).has_value(); }

bool isToken(std::string_view s) {
  constexpr std::string_view kSpecials = "!#$%&'*+-.^_`|~";
  return !s.empty() && std::all_of(s.begin(), s.end(), [&](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 ||
           kSpecials.find(c) != std::string_view::npos;
  });
}

std::string toLower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](char c) {
    return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  });
  return out;
}

std::string quote(std::string_view s) {
  std::string out = "\"";
  for (const char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
    }
    out += c;
  }
  out += '"';
  return out;
}

}  // namespace gw::core
