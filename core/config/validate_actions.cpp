#include <algorithm>
#include <array>
#include <regex>

#include "core/config/checks.hpp"
#include "core/config/references.hpp"
#include "core/config/validate_context.hpp"

namespace gw::core {
namespace {

constexpr int kMaxRetries = 10;
constexpr std::array<int, 5> kRedirectCodes{301, 302, 303, 307, 308};

bool isRetryCondition(const std::string& s) {
  if (s == "connect-failure" || s == "reset" || s == "timeout" || s == "5xx") {
    return true;
  }
  return s.size() == 3 &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
         s >= "400" && s <= "599";
}

void percent(Checker& check, const std::string& path, int value) {
  if (value < 0 || value > 100) {
    check.add(path, "must be 0..100 (got " + std::to_string(value) + ")");
  }
}

bool hasLineBreak(const std::string& s) { return s.find_first_of("\r\n") != std::string::npos; }

// A host name, an IPv4 address or [IPv6], as it appears in a URL.
bool isUrlHost(const std::string& host) { return isHostPort(host + ":1"); }

void checkRetries(const RetryPolicy& retries, const std::string& path, Checker& check) {
  if (retries.attempts < 0 || retries.attempts > kMaxRetries) {
    check.add(path + ".attempts", "must be 0.." + std::to_string(kMaxRetries) + " (got " +
                                      std::to_string(retries.attempts) + ")");
  }
  for (std::size_t o = 0; o < retries.on.size(); ++o) {
    if (!isRetryCondition(retries.on[o])) {
      check.add(path + ".on[" + std::to_string(o) + "]",
                "must be connect-failure, reset, timeout, 5xx or a status code 400..599 (got " +
                    quote(retries.on[o]) + ")");
    }
  }
  if (retries.per_try_timeout) {
    checkDuration(check, path + ".perTryTimeout", *retries.per_try_timeout);
  }
  percent(check, path + ".budgetPercent", retries.budget_percent);
}

void checkRedirect(const Route& route, const std::string& path, Checker& check) {
  const Redirect& r = *route.redirect;
  if (!r.scheme.empty() && r.scheme != "http" && r.scheme != "https") {
    check.add(path + ".scheme", "must be http or https (got " + quote(r.scheme) + ")");
  }
  if (!r.host.empty() && !isUrlHost(r.host)) {
    check.add(path + ".host",
              "must be a host name, an IPv4 address or [IPv6] (got " + quote(r.host) + ")");
  }
  if (r.port && *r.port == 0) {
    check.add(path + ".port", "must be 1..65535 (got 0)");
  }
  if (!r.path.empty() && (r.path.front() != '/' || hasLineBreak(r.path))) {
    check.add(path + ".path", "must start with '/' (got " + quote(r.path) + ")");
  }
  if (!r.prefix.empty() && (r.prefix.front() != '/' || hasLineBreak(r.prefix))) {
    check.add(path + ".prefix", "must start with '/' (got " + quote(r.prefix) + ")");
  }
  if (r.scheme.empty() && r.host.empty() && !r.port && r.path.empty() && r.prefix.empty()) {
    check.add(path, "sends the request back to itself (set scheme, host, port, path or prefix)");
  } else if (!r.path.empty() && !r.prefix.empty()) {
    check.add(path, "has both path and prefix");
  } else if (!r.prefix.empty() && route.match.type != MatchType::kPrefix) {
    check.add(path + ".prefix", std::string("needs a prefix match (match.type is ") +
                                    toString(route.match.type) + ")");
  }
  if (std::find(kRedirectCodes.begin(), kRedirectCodes.end(), r.code) == kRedirectCodes.end()) {
    check.add(path + ".code",
              "must be 301, 302, 303, 307 or 308 (got " + std::to_string(r.code) + ")");
  }
}

// A prefix rewrite replaces the matched prefix (the whole path for exact and regex matches);
// a regex rewrite applies to the whole path whatever the match type.
void checkRewrite(const Rewrite& r, const std::string& path, Checker& check) {
  if (!r.regex.empty()) {
    if (!r.prefix.empty()) {
      check.add(path, "has both prefix and regex");
    }
    try {
      std::regex compiled(r.regex, std::regex::ECMAScript);
    } catch (const std::regex_error& e) {
      check.add(path + ".regex", std::string("invalid regex: ") + e.what());
    }
    if (r.substitution.empty() || r.substitution.front() != '/') {
      check.add(path + ".substitution", "must start with '/' (got " + quote(r.substitution) + ")");
    }
    return;
  }
  if (!r.substitution.empty()) {
    check.add(path + ".substitution", "needs a regex");
  }
  if (r.prefix.empty() || r.prefix.front() != '/') {
    check.add(path, "must start with '/' (got " + quote(r.prefix) + ")");
  }
}

void checkHeaderValues(const std::vector<HeaderValue>& values, const std::string& path,
                       Checker& check) {
  for (const HeaderValue& h : values) {
    if (!isToken(h.name)) {
      check.add(path, quote(h.name) + " is not an HTTP header name");
    } else if (hasLineBreak(h.value)) {
      check.add(path + "." + h.name, "must not contain line breaks");
    }
  }
}

void checkHeaderOps(const HeaderOps& ops, const std::string& path, Checker& check) {
  checkHeaderValues(ops.add, path + ".add", check);
  checkHeaderValues(ops.set, path + ".set", check);
  for (std::size_t i = 0; i < ops.remove.size(); ++i) {
    if (!isToken(ops.remove[i])) {
      check.add(path + ".remove[" + std::to_string(i) + "]",
                "must be an HTTP header name (got " + quote(ops.remove[i]) + ")");
    }
  }
}

void checkDirectResponse(const DirectResponse& d, const std::string& path, Checker& check) {
  if (d.status < 200 || d.status > 599) {
    check.add(path + ".status", "must be 200..599 (got " + std::to_string(d.status) + ")");
  }
  if (d.content_type.empty() || hasLineBreak(d.content_type)) {
    check.add(path + ".contentType", "must be a media type (got " + quote(d.content_type) + ")");
  }
}

}  // namespace

void checkRouteActions(const Config& config, const Route& route, const std::string& path,
                       Checker& check) {
  checkRetries(route.retries, path + ".retries", check);
  if (route.redirect) {
    checkRedirect(route, path + ".redirect", check);
  }
  if (route.rewrite) {
    checkRewrite(*route.rewrite, path + ".rewrite", check);
  }
  checkHeaderOps(route.request_headers, path + ".requestHeaders", check);
  checkHeaderOps(route.response_headers, path + ".responseHeaders", check);
  if (route.direct_response) {
    checkDirectResponse(*route.direct_response, path + ".directResponse", check);
  }
  if (route.mirror) {
    const Mirror& m = *route.mirror;
    if (m.service.empty()) {
      check.add(path + ".mirror.service", "must name a service");
    } else if (auto missing = missingService(config, m.service)) {
      check.add(path + ".mirror.service", std::move(*missing));
    }
    percent(check, path + ".mirror.percent", m.percent);
  }
}

}  // namespace gw::core
