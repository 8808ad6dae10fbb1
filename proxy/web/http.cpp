#include "proxy/web/http.hpp"

#include <cctype>

namespace gw::proxy::web {
namespace {

int hexValue(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  const char lower = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower >= 'a' && lower <= 'f') {
    return lower - 'a' + 10;
  }
  return -1;
}

// The value of `key` among `a=1&b=2` pairs, decoded; "" when absent.
std::string pairValue(std::string_view pairs, std::string_view key, bool plus_is_space) {
  while (!pairs.empty()) {
    const auto amp = pairs.find('&');
    const std::string_view pair = pairs.substr(0, amp);
    const auto eq = pair.find('=');
    if (percentDecode(pair.substr(0, eq), plus_is_space) == key) {
      return eq == std::string_view::npos ? std::string()
                                          : percentDecode(pair.substr(eq + 1), plus_is_space);
    }
    pairs = amp == std::string_view::npos ? std::string_view() : pairs.substr(amp + 1);
  }
  return {};
}

}  // namespace

std::string percentDecode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '%' && i + 2 < text.size()) {
      const int high = hexValue(text[i + 1]);
      const int low = hexValue(text[i + 2]);
      if (high >= 0 && low >= 0) {
        out += static_cast<char>(high * 16 + low);
        i += 2;
        continue;
      }
    }
    out += c == '+' && plus_is_space ? ' ' : c;
  }
  return out;
}

std::string formValue(std::string_view body, std::string_view key) {
  return pairValue(body, key, true);
}

std::string Request::path() const {
  const auto query_start = target.find('?');
  return percentDecode(std::string_view(target).substr(0, query_start));
}

std::string Request::query(std::string_view key) const {
  const auto query_start = target.find('?');
  if (query_start == std::string::npos) {
    return {};
  }
  return pairValue(std::string_view(target).substr(query_start + 1), key, true);
}

std::string Request::header(const std::string& lower_name) const {
  const auto it = headers.find(lower_name);
  return it == headers.end() ? std::string() : it->second;
}

std::string Request::cookie(std::string_view name) const {
  const auto found = headers.find("cookie");
  std::string_view rest = found == headers.end() ? std::string_view() : found->second;
  while (!rest.empty()) {
    const auto semi = rest.find(';');
    std::string_view item = rest.substr(0, semi);
    while (!item.empty() && item.front() == ' ') {
      item.remove_prefix(1);
    }
    const auto eq = item.find('=');
    if (eq != std::string_view::npos && item.substr(0, eq) == name) {
      return std::string(item.substr(eq + 1));
    }
    rest = semi == std::string_view::npos ? std::string_view() : rest.substr(semi + 1);
  }
  return {};
}

}  // namespace gw::proxy::web
