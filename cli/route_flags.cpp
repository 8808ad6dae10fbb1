#include "cli/route_flags.hpp"

#include <algorithm>
#include <cctype>

#include "cli/flags.hpp"
#include "cli/output.hpp"
#include "core/config/redirect.hpp"

namespace gw::cli {
namespace {

core::Status applyMatch(core::Route& route, const RouteOptions& o) {
  const auto& given = o.given;
  if (given.contains("gateway")) {
    route.gateway = o.gateway;
  }
  if (given.contains("host")) {
    route.hosts = o.hosts;
  }
  if (given.contains("path")) {
    route.match.path = o.path;
  }
  if (given.contains("match")) {
    route.match.type = core::parseMatchType(o.match).value_or(core::MatchType::kPrefix);
  }
  if (given.contains("method")) {
    route.methods.clear();
    for (std::string method : o.methods) {
      std::transform(method.begin(), method.end(), method.begin(),
                     [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
      route.methods.push_back(method);
    }
  }
  if (given.contains("header")) {
    route.headers.clear();
    for (const auto& header : o.headers) {
      auto parsed = parseHeaderFlag(header);
      if (!parsed) {
        return std::move(parsed).error();
      }
      route.headers.push_back(*parsed);
    }
  }
  return core::Ok{};
}

core::Status applyRetries(core::RetryPolicy& retries, const RouteOptions& o) {
  const auto& given = o.given;
  if (given.contains("retries")) {
    retries.attempts = o.retries;
  }
  if (given.contains("retry-on")) {
    retries.on = splitList(o.retry_on);
  }
  if (given.contains("per-try-timeout")) {
    retries.per_try_timeout.reset();
    if (!o.per_try_timeout.empty()) {
      auto timeout = parseDurationFlag("--per-try-timeout", o.per_try_timeout);
      if (!timeout) {
        return std::move(timeout).error();
      }
      retries.per_try_timeout = *timeout;
    }
  }
  if (given.contains("retry-non-idempotent")) {
    retries.non_idempotent = o.retry_non_idempotent;
  }
  if (given.contains("retry-budget")) {
    retries.budget_percent = o.retry_budget;
  }
  return core::Ok{};
}

// A route forwards, redirects or answers: two of those in one command is a contradiction, not
// a choice to make for the user. `--redirect ""` only removes, so it goes with any.
core::Status refuseTwoActions(const RouteOptions& o) {
  std::vector<std::string> actions;
  for (const char* flag : {"to", "redirect", "direct-response", "aggregate"}) {
    const std::string_view name = flag;
    if (o.given.contains(flag) && (name != "redirect" || !o.redirect.empty()) &&
        (name != "aggregate" ||
         !(o.aggregate.backends.empty() ||
           (o.aggregate.backends.size() == 1 && o.aggregate.backends[0].empty())))) {
      actions.push_back(std::string("--") + flag);
    }
  }
  if (actions.size() > 1) {
    return usageError(join(actions, " and ") +
                      " cannot go together: a route forwards (--to), redirects (--redirect), "
                      "answers itself (--direct-response) or aggregates (--aggregate)");
  }
  return core::Ok{};
}

core::Status applyRedirect(core::Route& route, const RouteOptions& o) {
  const auto& given = o.given;
  if (given.contains("redirect")) {
    route.redirect.reset();
    if (!o.redirect.empty()) {
      route.redirect = core::parseRedirectUrl(o.redirect);
      if (!route.redirect) {
        return usageError("invalid --redirect \"" + o.redirect +
                          "\": expected an http:// or https:// URL, or a path starting with /");
      }
      route.destinations.clear();
      route.direct_response.reset();
      route.aggregate.reset();
    }
  }
  for (const char* flag : {"redirect-code", "redirect-keep-query"}) {
    if (given.contains(flag) && !route.redirect) {
      return usageError(std::string("--") + flag + " needs --redirect (or a route that redirects)");
    }
  }
  if (given.contains("redirect-code")) {
    route.redirect->code = o.redirect_code;
  }
  if (given.contains("redirect-keep-query")) {
    route.redirect->keep_query = o.redirect_keep_query;
  }
  return core::Ok{};
}

core::Status applyDirectResponse(core::Route& route, const RouteOptions& o) {
  const auto& given = o.given;
  if (given.contains("direct-response")) {
    route.direct_response = core::DirectResponse{o.direct_response, "", "text/plain"};
    route.destinations.clear();
    route.redirect.reset();
    route.aggregate.reset();
  }
  if (given.contains("body") || given.contains("content-type")) {
    if (!route.direct_response) {
      return usageError(std::string(given.contains("body") ? "--body" : "--content-type") +
                        " needs --direct-response (or a route that answers directly)");
    }
    if (given.contains("body")) {
      route.direct_response->body = o.body;
    }
    if (given.contains("content-type")) {
      route.direct_response->content_type = o.content_type;
    }
  }
  return core::Ok{};
}

// What the route answers with: destinations, a redirect or a direct response.
core::Status applyAction(core::Route& route, const RouteOptions& o) {
  if (auto refused = refuseTwoActions(o); !refused) {
    return refused;
  }
  if (o.given.contains("to")) {
    auto destinations = parseDestinationFlags(o.to);
    if (!destinations) {
      return std::move(destinations).error();
    }
    route.destinations = *destinations;
    route.redirect.reset();
    route.direct_response.reset();
    route.aggregate.reset();
  }
  if (auto redirect = applyRedirect(route, o); !redirect) {
    return redirect;
  }
  return applyDirectResponse(route, o);
}

core::Status applyRewrite(core::Route& route, const RouteOptions& o) {
  const auto& given = o.given;
  if (given.contains("rewrite")) {
    route.rewrite.reset();
    if (!o.rewrite.empty()) {
      route.rewrite = core::Rewrite{o.rewrite, "", ""};
    }
  }
  if (given.contains("rewrite-regex")) {
    route.rewrite.reset();
    if (!o.rewrite_regex.empty()) {
      if (!given.contains("rewrite-substitution")) {
        return usageError("--rewrite-regex needs --rewrite-substitution");
      }
      route.rewrite = core::Rewrite{"", o.rewrite_regex, o.rewrite_substitution};
    }
  } else if (given.contains("rewrite-substitution")) {
    if (!route.rewrite || route.rewrite->regex.empty()) {
      return usageError("--rewrite-substitution needs --rewrite-regex");
    }
    route.rewrite->substitution = o.rewrite_substitution;
  }
  return core::Ok{};
}

// Each given flag replaces its list: update --request-header-set x=1 drops the old sets.
core::Status applyHeaderOps(core::HeaderOps& ops, const HeaderFlags& flags,
                            const std::string& prefix, const std::set<std::string>& given) {
  const auto values = [&](const std::vector<std::string>& texts, const std::string& flag,
                          std::vector<core::HeaderValue>& out) -> core::Status {
    std::vector<core::HeaderValue> parsed;
    for (const std::string& text : texts) {
      auto value = parseHeaderValueFlag("--" + flag, text);
      if (!value) {
        return std::move(value).error();
      }
      parsed.push_back(*value);
    }
    out = std::move(parsed);
    return core::Ok{};
  };
  if (given.contains(prefix + "-add")) {
    if (auto s = values(flags.add, prefix + "-add", ops.add); !s) {
      return s;
    }
  }
  if (given.contains(prefix + "-set")) {
    if (auto s = values(flags.set, prefix + "-set", ops.set); !s) {
      return s;
    }
  }
  if (given.contains(prefix + "-remove")) {
    ops.remove = flags.remove;
  }
  return core::Ok{};
}

void addHeaderFlags(CLI::App* sub, HeaderFlags& flags, const std::string& prefix,
                    const std::string& what) {
  sub->add_option("--" + prefix + "-add", flags.add,
                  "Add a " + what + " header NAME=VALUE, keeping existing values; repeat for more")
      ->type_name("K=V");
  sub->add_option("--" + prefix + "-set", flags.set,
                  "Set a " + what +
                      " header NAME=VALUE, replacing existing values; repeat for "
                      "more")
      ->type_name("K=V");
  sub->add_option("--" + prefix + "-remove", flags.remove,
                  "Remove a " + what + " header; repeat for more")
      ->type_name("NAME");
}

}  // namespace

core::Status applyRouteFlags(core::Route& route, const RouteOptions& o) {
  const auto& given = o.given;
  if (auto s = applyMatch(route, o); !s) {
    return s;
  }
  if (auto s = applyAction(route, o); !s) {
    return s;
  }
  if (given.contains("timeout")) {
    auto timeout = parseDurationFlag("--timeout", o.timeout);
    if (!timeout) {
      return std::move(timeout).error();
    }
    route.timeout = *timeout;
  }
  if (auto s = applyRetries(route.retries, o); !s) {
    return s;
  }
  if (auto s = applyRewrite(route, o); !s) {
    return s;
  }
  if (auto s = applyHeaderOps(route.request_headers, o.request_headers, "request-header", given);
      !s) {
    return s;
  }
  if (auto s = applyHeaderOps(route.response_headers, o.response_headers, "response-header", given);
      !s) {
    return s;
  }
  if (given.contains("mirror")) {
    route.mirror.reset();
    if (!o.mirror.empty()) {
      auto mirror = parseMirrorFlag(o.mirror);
      if (!mirror) {
        return std::move(mirror).error();
      }
      route.mirror = *mirror;
    }
  }
  if (given.contains("priority")) {
    route.priority = o.priority;
  }
  if (auto s = applyRouteAccess(route, o.access, given); !s) {
    return s;
  }
  if (auto s = applyCacheFlags(route, o.cache, given); !s) {
    return s;
  }
  if (auto s = applyCompressFlags(route.compress, o.compress, given); !s) {
    return s;
  }
  if (auto s = applyAggregateFlags(route, o.aggregate, given); !s) {
    return s;
  }
  return applyLimitFlags(route.rate_limits, o.limits, given);
}

void addRouteFlags(CLI::App* sub, RouteOptions& o, bool adding) {
  auto* gateway = sub->add_option("--gateway", o.gateway, "Gateway that serves the route")
                      ->type_name("GATEWAY");
  auto* host = sub->add_option("--host", o.hosts,
                               "Host to match: exact, *.example.com or *; repeat for more")
                   ->type_name("HOST");
  if (adding) {
    gateway->required();
    host->required();
  }
  sub->add_option("--path", o.path, "Path to match (default /)")->type_name("PATH");
  sub->add_option("--match", o.match, "How --path matches (default prefix)")
      ->check(CLI::IsMember({"prefix", "exact", "regex"}));
  sub->add_option("--method", o.methods, "HTTP method to match; repeat for more (default any)")
      ->type_name("METHOD");
  sub->add_option("--header", o.headers, "Header that must match, NAME=VALUE; repeat for more")
      ->type_name("K=V");
  sub->add_option("--to", o.to,
                  "Destination service with an optional weight 0..100; repeat to split "
                  "(weights sum to 100; services without one share the rest)")
      ->type_name("SERVICE[=WEIGHT]");
  sub->add_option("--timeout", o.timeout,
                  "Time for the whole request, retries included, e.g. 10s or 250ms")
      ->type_name("DURATION");
  sub->add_option("--retries", o.retries, "Retries after the first try (0..10)")->type_name("N");
  sub->add_option("--retry-on", o.retry_on,
                  "When to retry, comma separated: connect-failure, reset, timeout, 5xx or a "
                  "status such as 503")
      ->type_name("LIST");
  sub->add_option("--per-try-timeout", o.per_try_timeout, "Time each try may take")
      ->type_name("DURATION");
  sub->add_flag("--retry-non-idempotent", o.retry_non_idempotent,
                "Also retry POST, PATCH and other non-idempotent methods "
                "(--retry-non-idempotent=false turns it off)");
  sub->add_option("--retry-budget", o.retry_budget,
                  "Retries may add at most this share of the route's requests (default 20)")
      ->type_name("PERCENT");
  sub->add_option("--redirect", o.redirect,
                  "Answer with a redirect to URL, or to PATH on the same host, instead of "
                  "proxying; the request's query is added (\"\" removes it)")
      ->type_name("URL");
  sub->add_option("--redirect-code", o.redirect_code,
                  "Status of the redirect: 301, 302 (default), 303, 307 or 308")
      ->type_name("N");
  sub->add_flag("--redirect-keep-query", o.redirect_keep_query,
                "Add the request's query to the redirect (the default; "
                "--redirect-keep-query=false drops it)");
  sub->add_option("--rewrite", o.rewrite, "Replace the matched path prefix before forwarding")
      ->type_name("PREFIX");
  sub->add_option("--rewrite-regex", o.rewrite_regex,
                  "Rewrite the whole path with a regex (with --rewrite-substitution)")
      ->type_name("PATTERN");
  sub->add_option("--rewrite-substitution", o.rewrite_substitution,
                  "What --rewrite-regex makes of the path; $1 is the first group")
      ->type_name("S");
  addHeaderFlags(sub, o.request_headers, "request-header", "request");
  addHeaderFlags(sub, o.response_headers, "response-header", "response");
  sub->add_option("--direct-response", o.direct_response,
                  "Answer with this status (200..599) from the gateway itself")
      ->type_name("STATUS");
  sub->add_option("--body", o.body, "Body of the direct response")->type_name("TEXT");
  sub->add_option("--content-type", o.content_type,
                  "Content-Type of the direct response (default text/plain)")
      ->type_name("TYPE");
  sub->add_option("--mirror", o.mirror,
                  "Copy a share of requests (default 100%) to SERVICE; its answers are "
                  "dropped (\"\" stops)")
      ->type_name("SERVICE[=PERCENT]");
  sub->add_option("--priority", o.priority, "Higher wins over the path precedence")->type_name("N");
  addAccessFlags(sub, o.access, true);
  addLimitFlags(sub, o.limits);
  addCacheFlags(sub, o.cache);
  addAggregateFlags(sub, o.aggregate);
  addCompressFlags(sub, o.compress);
}

}  // namespace gw::cli
