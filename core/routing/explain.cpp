#include "core/routing/compiled.hpp"

namespace gw::core::routing {

namespace {

std::string quoted(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  out += '"';
  out += s;
  out += '"';
  return out;
}

// `exact path "/"`, `prefix "/api"`, `regex "^/v[0-9]+/.*"`.
std::string describePath(const Route& route) {
  switch (route.match.type) {
    case MatchType::kExact:
      return "exact path " + quoted(route.match.path);
    case MatchType::kPrefix:
      return "prefix " + quoted(route.match.path.empty() ? "/" : route.match.path);
    case MatchType::kRegex:
      return "regex " + quoted(route.match.path);
  }
  return {};
}

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) {
    if (!out.empty()) {
      out += ", ";
    }
    out += item;
  }
  return out;
}

// Why `route` does not take the request, or "" when it does.
std::string mismatch(const Route& route, const detail::RouteMatcher& matcher,
                     const RequestView& request, std::string_view path) {
  if (route.match.type == MatchType::kRegex && !matcher.regex) {
    return "regex " + quoted(route.match.path) + " does not compile";
  }
  if (!detail::pathMatches(route, matcher, path)) {
    return "path does not match (" + describePath(route) + ")";
  }
  if (!detail::methodAllowed(route, request.method)) {
    const std::string method = request.method.empty() ? "(none)" : std::string(request.method);
    return "method " + method + " not in [" + joined(route.methods) + "]";
  }
  for (const HeaderMatch& wanted : route.headers) {
    const auto value =
        request.header == nullptr ? std::nullopt : request.header(request.ctx, wanted.name);
    if (!value) {
      return "header " + wanted.name + " missing";
    }
    if (*value != wanted.value) {
      return "header " + wanted.name + " is " + quoted(*value) + ", not " + quoted(wanted.value);
    }
  }
  return {};
}

std::string winReason(const Route& route) {
  std::string reason = "wins: " + describePath(route);
  if (route.priority) {
    reason += " (priority " + std::to_string(*route.priority) + ")";
  }
  return reason;
}

}  // namespace

Explanation RouteTable::explain(const RequestView& request) const {
  Explanation out;
  detail::HostBuffer buffer;
  const auto host = detail::normalizeHost(request.host, buffer);
  const std::string shown = host ? std::string(*host) : std::string(stripPort(request.host));
  const detail::HostRule* rule = impl_->findRule(host);
  if (rule == nullptr) {
    out.summary = "no route: no route serves host " + quoted(shown) +
                  " (no exact, wildcard or \"*\" host rule matches it)";
    return out;
  }
  out.host_rule = rule->name;
  const std::string_view path = detail::requestPath(request.path);
  for (const std::uint32_t pos : rule->all) {
    const CompiledRoute& compiled = impl_->routes[pos];
    Candidate candidate;
    candidate.route = compiled.name;
    if (out.winner != nullptr) {
      candidate.reason = "not reached: " + quoted(out.winner->name) + " won first";
    } else if (auto why = mismatch(*compiled.route, impl_->matchers[pos], request, path);
               !why.empty()) {
      candidate.reason = std::move(why);
    } else {
      out.winner = &compiled;
      candidate.matched = true;
      candidate.reason = winReason(*compiled.route);
    }
    out.candidates.push_back(std::move(candidate));
  }
  if (out.winner != nullptr) {
    out.summary = "route " + quoted(out.winner->name) + " (host rule " + quoted(rule->name) + ")";
  } else {
    out.summary = "no route: none of the " + std::to_string(out.candidates.size()) +
                  " routes of host rule " + quoted(rule->name) + " matches " + quoted(path);
  }
  return out;
}

}  // namespace gw::core::routing
