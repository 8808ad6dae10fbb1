#include "cli/access_flags.hpp"

#include <algorithm>
#include <filesystem>

#include "cli/flags.hpp"

namespace gw::cli {
namespace {

// The list as given, without the empty values that clear it.
std::vector<std::string> listed(const std::vector<std::string>& values) {
  std::vector<std::string> out;
  std::copy_if(values.begin(), values.end(), std::back_inserter(out),
               [](const std::string& v) { return !v.empty(); });
  return out;
}

void applyAuth(std::optional<core::AuthPolicy>& auth, const AccessFlags& o,
               const std::set<std::string>& given) {
  if (given.contains("auth")) {
    const auto methods = listed(o.auth);
    if (methods.empty() || methods == std::vector<std::string>{"none"}) {
      auth.reset();
    } else {
      if (!auth) {
        auth.emplace();
      }
      auth->methods = methods;
    }
  }
  if (!auth) {
    return;
  }
  if (given.contains("auth-optional")) {
    auth->optional = o.auth_optional;
  }
  if (given.contains("keep-credentials")) {
    auth->keep_credentials = o.keep_credentials;
  }
  if (given.contains("api-key-header")) {
    auth->api_key_header = o.api_key_header.empty() ? "x-api-key" : o.api_key_header;
  }
}

// One rule's consumers and groups from its two flags; the rule goes when both are empty.
void applyRule(std::optional<core::AccessRule>& rule, const std::vector<std::string>& groups,
               const std::vector<std::string>& consumers, const char* group_flag,
               const char* consumer_flag, const std::set<std::string>& given) {
  if (!given.contains(group_flag) && !given.contains(consumer_flag)) {
    return;
  }
  core::AccessRule next = rule.value_or(core::AccessRule{});
  if (given.contains(group_flag)) {
    next.groups = listed(groups);
  }
  if (given.contains(consumer_flag)) {
    next.consumers = listed(consumers);
  }
  rule = next.empty() ? std::nullopt : std::optional(next);
}

core::Status applyExternal(core::Authorization& authz, const AccessFlags& o,
                           const std::set<std::string>& given) {
  if (given.contains("authz-url")) {
    if (o.authz_url.empty()) {
      authz.external.reset();
    } else {
      if (!authz.external) {
        authz.external.emplace();
      }
      authz.external->url = o.authz_url;
    }
  }
  const bool other = given.contains("authz-timeout") || given.contains("authz-on-error");
  if (!authz.external) {
    if (other) {
      return usageError("--authz-timeout and --authz-on-error need --authz-url");
    }
    return core::Ok{};
  }
  if (given.contains("authz-timeout")) {
    auto timeout = parseDurationFlag("--authz-timeout", o.authz_timeout);
    if (!timeout) {
      return std::move(timeout).error();
    }
    authz.external->timeout = *timeout;
  }
  if (given.contains("authz-on-error")) {
    authz.external->allow_on_error = o.authz_on_error == "allow";
  }
  return core::Ok{};
}

core::Status applyAuthorization(core::Route& route, const AccessFlags& o,
                                const std::set<std::string>& given) {
  core::Authorization authz = route.authorization.value_or(core::Authorization{});
  applyRule(authz.allow, o.allow_groups, o.allow_consumers, "allow-group", "allow-consumer", given);
  applyRule(authz.deny, o.deny_groups, o.deny_consumers, "deny-group", "deny-consumer", given);
  if (auto s = applyExternal(authz, o, given); !s) {
    return s;
  }
  if (given.contains("authz-mode")) {
    authz.mode = o.authz_mode == "shadow" ? core::Authorization::Mode::kShadow
                                          : core::Authorization::Mode::kEnforce;
  }
  if (authz.allow || authz.deny || authz.external) {
    route.authorization = authz;
  } else {
    route.authorization.reset();
  }
  return core::Ok{};
}

void applyIpLists(core::IpLists& ip, const AccessFlags& o, const std::set<std::string>& given) {
  if (given.contains("ip-allow")) {
    ip.allow = listed(o.ip_allow);
  }
  if (given.contains("ip-deny")) {
    ip.deny = listed(o.ip_deny);
  }
}

core::Status applyCors(core::Route& route, const AccessFlags& o,
                       const std::set<std::string>& given) {
  if (given.contains("cors-origin")) {
    const auto origins = listed(o.cors_origins);
    if (origins.empty()) {
      route.cors.reset();
    } else {
      if (!route.cors) {
        route.cors.emplace();
      }
      route.cors->origins = origins;
    }
  }
  const bool other = given.contains("cors-method") || given.contains("cors-header") ||
                     given.contains("cors-expose-header") || given.contains("cors-credentials") ||
                     given.contains("cors-max-age");
  if (!route.cors) {
    if (other) {
      return usageError("--cors-method, --cors-header, ... need --cors-origin");
    }
    return core::Ok{};
  }
  if (given.contains("cors-method")) {
    route.cors->methods = listed(o.cors_methods);
  }
  if (given.contains("cors-header")) {
    route.cors->headers = listed(o.cors_headers);
  }
  if (given.contains("cors-expose-header")) {
    route.cors->expose_headers = listed(o.cors_expose);
  }
  if (given.contains("cors-credentials")) {
    route.cors->credentials = o.cors_credentials;
  }
  if (given.contains("cors-max-age")) {
    auto age = parseDurationFlag("--cors-max-age", o.cors_max_age);
    if (!age) {
      return std::move(age).error();
    }
    route.cors->max_age = std::chrono::duration_cast<std::chrono::seconds>(*age);
  }
  return core::Ok{};
}

core::Status applyClientCertificates(core::Gateway& gateway, const AccessFlags& o,
                                     const std::set<std::string>& given) {
  if (given.contains("client-ca")) {
    if (o.client_ca.empty()) {
      gateway.client_certificates.reset();
      return core::Ok{};
    }
    std::error_code ec;
    if (!std::filesystem::is_regular_file(o.client_ca, ec)) {
      return usageError("--client-ca " + o.client_ca + ": no such file");
    }
    if (!gateway.client_certificates) {
      gateway.client_certificates.emplace();
    }
    gateway.client_certificates->ca_file =
        std::filesystem::absolute(o.client_ca).lexically_normal().string();
  }
  if (given.contains("client-certificates")) {
    if (!gateway.client_certificates) {
      return usageError("--client-certificates needs --client-ca FILE");
    }
    gateway.client_certificates->mode = o.client_certificates == "require"
                                            ? core::ClientCertificates::Mode::kRequire
                                            : core::ClientCertificates::Mode::kRequest;
  }
  return core::Ok{};
}

void addAuthFlags(CLI::App* sub, AccessFlags& o) {
  sub->add_option("--auth", o.auth,
                  "Authentication method: api-key, basic, jwt:PROVIDER or mtls; repeat for "
                  "more, tried in order (none: remove)")
      ->type_name("METHOD");
  sub->add_flag("--auth-optional", o.auth_optional,
                "Let requests without credentials through, anonymous (bad ones are still "
                "refused)");
  sub->add_flag("--keep-credentials", o.keep_credentials,
                "Forward the credential headers upstream (default: removed)");
  sub->add_option("--api-key-header", o.api_key_header,
                  "Header that carries API keys (default x-api-key)")
      ->type_name("HEADER");
  sub->add_option("--ip-allow", o.ip_allow,
                  "Only clients in this CIDR (or address) pass; repeat for more (\"\": none)")
      ->type_name("CIDR");
  sub->add_option("--ip-deny", o.ip_deny,
                  "Clients in this CIDR (or address) get 403; repeat for more (\"\": none)")
      ->type_name("CIDR");
}

void addRouteOnlyFlags(CLI::App* sub, AccessFlags& o) {
  sub->add_option("--allow-group", o.allow_groups,
                  "Only consumers in this group pass (403 otherwise); repeat for more")
      ->type_name("GROUP");
  sub->add_option("--allow-consumer", o.allow_consumers,
                  "Only this consumer passes (with --allow-group: either); repeat for more")
      ->type_name("CONSUMER");
  sub->add_option("--deny-group", o.deny_groups, "Consumers in this group get 403; repeatable")
      ->type_name("GROUP");
  sub->add_option("--deny-consumer", o.deny_consumers, "This consumer gets 403; repeatable")
      ->type_name("CONSUMER");
  sub->add_option("--authz-url", o.authz_url,
                  "External authorizer: GET this http:// URL with the request's headers; 2xx "
                  "allows, anything else is 403 (\"\": none)")
      ->type_name("URL");
  sub->add_option("--authz-timeout", o.authz_timeout,
                  "How long the external authorizer may take (default 1s)")
      ->type_name("DURATION");
  sub->add_option("--authz-on-error", o.authz_on_error,
                  "When the external authorizer does not answer: deny (default) or allow")
      ->check(CLI::IsMember({"deny", "allow"}));
  sub->add_option("--authz-mode", o.authz_mode,
                  "enforce (default), or shadow: count and log refusals without refusing")
      ->check(CLI::IsMember({"enforce", "shadow"}));
  sub->add_option("--cors-origin", o.cors_origins,
                  "Allowed CORS origin: https://shop.test, https://*.shop.test or *; repeat for "
                  "more (\"\": CORS off)")
      ->type_name("ORIGIN");
  sub->add_option("--cors-method", o.cors_methods,
                  "Method allowed cross-origin (default GET, HEAD, POST); repeatable")
      ->type_name("METHOD");
  sub->add_option("--cors-header", o.cors_headers,
                  "Request header allowed cross-origin; repeatable")
      ->type_name("HEADER");
  sub->add_option("--cors-expose-header", o.cors_expose,
                  "Response header a page may read; repeatable")
      ->type_name("HEADER");
  sub->add_flag("--cors-credentials", o.cors_credentials,
                "Allow cookies and credentials cross-origin (not with origin *)");
  sub->add_option("--cors-max-age", o.cors_max_age,
                  "How long browsers keep a preflight's answer (default 10m)")
      ->type_name("DURATION");
}

}  // namespace

void addAccessFlags(CLI::App* sub, AccessFlags& o, bool route) {
  addAuthFlags(sub, o);
  if (route) {
    addRouteOnlyFlags(sub, o);
    return;
  }
  sub->add_option("--client-ca", o.client_ca,
                  "mTLS: ask https clients for a certificate that chains to this CA file (PEM); "
                  "\"\" stops asking")
      ->type_name("FILE");
  sub->add_option("--client-certificates", o.client_certificates,
                  "mTLS: request (default: a client may send none) or require (the handshake "
                  "fails without one)")
      ->check(CLI::IsMember({"request", "require"}));
  sub->add_option("--trusted-proxy", o.trusted_proxies,
                  "A proxy in front of the gateway (CIDR) whose X-Forwarded-For names the client; "
                  "repeat for more (\"\": none)")
      ->type_name("CIDR");
}

core::Status applyRouteAccess(core::Route& route, const AccessFlags& o,
                              const std::set<std::string>& given) {
  applyAuth(route.auth, o, given);
  if (auto s = applyAuthorization(route, o, given); !s) {
    return s;
  }
  applyIpLists(route.ip, o, given);
  return applyCors(route, o, given);
}

core::Status applyGatewayAccess(core::Gateway& gateway, const AccessFlags& o,
                                const std::set<std::string>& given) {
  applyAuth(gateway.auth, o, given);
  applyIpLists(gateway.ip, o, given);
  if (given.contains("trusted-proxy")) {
    gateway.client_ip.trusted_proxies = listed(o.trusted_proxies);
  }
  return applyClientCertificates(gateway, o, given);
}

}  // namespace gw::cli
