#include "core/config/redirect.hpp"

#include "core/net/host_port.hpp"

namespace gw::core {
namespace {

std::uint16_t defaultPort(std::string_view scheme) { return scheme == "https" ? 443 : 80; }

// A host as a URL spells it: an IPv6 literal goes in brackets (RFC 3986 section 3.2.2).
std::string urlHost(std::string_view host) {
  if (host.find(':') == std::string_view::npos) {
    return std::string(host);
  }
  return "[" + std::string(host) + "]";
}

}  // namespace

std::optional<Redirect> parseRedirectUrl(std::string_view url) {
  Redirect out;
  if (url.starts_with('/')) {
    out.path = std::string(url);
    return out;
  }
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
  const auto parts = net::splitAuthority(authority);
  // A URL brackets an IPv6 literal; a bare one is not a host.
  if (!parts || parts->host.empty() ||
      (!parts->bracketed && parts->host.find(':') != std::string_view::npos)) {
    return std::nullopt;
  }
  out.host = urlHost(parts->host);
  // "host:" is a URL without a port (RFC 3986 section 3.2.3).
  if (parts->port && !parts->port->empty()) {
    out.port = net::parsePort(*parts->port);
    if (!out.port) {
      return std::nullopt;
    }
  }
  out.path = path_at == std::string_view::npos ? "/" : std::string(url.substr(path_at));
  if (out.path.front() != '/') {
    out.path.insert(out.path.begin(), '/');
  }
  return out;
}

std::optional<std::string> redirectUrl(const Redirect& r) {
  if (r.path.empty() || !r.prefix.empty() || r.code != Redirect{}.code || !r.keep_query) {
    return std::nullopt;
  }
  std::string url;
  if (!r.scheme.empty() || !r.host.empty() || r.port) {
    if (r.scheme.empty() || r.host.empty()) {
      return std::nullopt;
    }
    url = r.scheme + "://" + r.host;
    if (r.port) {
      url += ":" + std::to_string(*r.port);
    }
  }
  url += r.path;
  const auto back = parseRedirectUrl(url);
  if (!back || *back != r) {
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
  // A Host header that does not split is kept whole, as the host.
  const auto request_parts = net::splitAuthority(request.host);
  const std::string request_host =
      request_parts ? urlHost(request_parts->host) : std::string(request.host);
  const std::string_view request_port =
      request_parts ? request_parts->port.value_or(std::string_view()) : std::string_view();
  const std::string_view host = r.host.empty() ? std::string_view(request_host) : r.host;
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
