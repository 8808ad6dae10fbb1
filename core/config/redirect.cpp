#include "core/config/redirect.hpp"

#include <charconv>

namespace gw::core {
namespace {

std::uint16_t defaultPort(std::string_view scheme) { return scheme == "https" ? 443 : 80; }

// "host:port" / "[v6]:port" -> host and port ("" when absent).
std::pair<std::string_view, std::string_view> splitAuthority(std::string_view authority) {
  const auto colon = authority.rfind(':');
  const auto bracket = authority.rfind(']');
  if (colon == std::string_view::npos || (bracket != std::string_view::npos && colon < bracket)) {
    return {authority, {}};
  }
  return {authority.substr(0, colon), authority.substr(colon + 1)};
}

}  // namespace

std::optional<Redirect> parseRedirectUrl(std::string_view url) {
  Redirect out;
  if (url.rfind("http://", 0) == 0) {
    out.scheme = "http";
  } else if (url.rfind("https://", 0) == 0) {
    out.scheme = "https";
  } else {
    return std::nullopt;
  }
  url.remove_prefix(out.scheme.size() + 3);
  const auto path_at = url.find_first_of("/?#");
  const std::string_view authority = url.substr(0, path_at);
  const auto [host, port] = splitAuthority(authority);
  if (host.empty()) {
    return std::nullopt;
  }
  out.host = std::string(host);
  if (!port.empty()) {
    unsigned value = 0;
    const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc() || end != port.data() + port.size() || value == 0 || value > 65535) {
      return std::nullopt;
    }
    out.port = static_cast<std::uint16_t>(value);
  }
  out.path = path_at == std::string_view::npos ? "/" : std::string(url.substr(path_at));
  if (out.path.front() != '/') {
    out.path.insert(out.path.begin(), '/');
  }
  out.keep_query = false;
  return out;
}

std::optional<std::string> redirectUrl(const Redirect& r) {
  if (r.scheme.empty() || r.host.empty() || r.path.empty() || !r.prefix.empty() ||
      r.code != Redirect{}.code || r.keep_query) {
    return std::nullopt;
  }
  std::string url = r.scheme + "://" + r.host;
  if (r.port) {
    url += ":" + std::to_string(*r.port);
  }
  url += r.path;
  const auto back = parseRedirectUrl(url);
  if (!back || back->scheme != r.scheme || back->host != r.host || back->port != r.port ||
      back->path != r.path) {
    return std::nullopt;
  }
  return url;
}

std::string replacePrefix(std::string_view path, std::string_view matched,
                          std::string_view prefix) {
  std::string_view rest;
  if (path.size() >= matched.size()) {
    rest = path.substr(matched.size());
  }
  std::string out(prefix);
  if (!out.empty() && out.back() == '/' && !rest.empty() && rest.front() == '/') {
    rest.remove_prefix(1);
  } else if (!rest.empty() && rest.front() != '/' && (out.empty() || out.back() != '/')) {
    out += '/';
  }
  out += rest;
  if (out.empty()) {
    out.push_back('/');
  }
  return out;
}

std::string redirectLocation(const Redirect& r, const Route& route, const RequestUrl& request) {
  const std::string_view scheme = r.scheme.empty() ? request.scheme : r.scheme;
  const auto [request_host, request_port] = splitAuthority(request.host);
  const std::string_view host = r.host.empty() ? request_host : std::string_view(r.host);
  std::string port;
  if (r.port) {
    port = std::to_string(*r.port);
  } else if (r.host.empty() && (r.scheme.empty() || r.scheme == request.scheme)) {
    port = std::string(request_port);
  }
  if (port == std::to_string(defaultPort(scheme))) {
    port.clear();
  }
  std::string out = std::string(scheme) + "://" + std::string(host);
  if (!port.empty()) {
    out += ":" + port;
  }
  if (!r.path.empty()) {
    out += r.path;
  } else if (!r.prefix.empty() && route.match.type == MatchType::kPrefix) {
    out += replacePrefix(request.path, route.match.path, r.prefix);
  } else {
    out += request.path.empty() ? std::string_view("/") : request.path;
  }
  if (r.keep_query && !request.query.empty()) {
    out += out.find('?') == std::string::npos ? '?' : '&';
    out += request.query;
  }
  return out;
}

}  // namespace gw::core
