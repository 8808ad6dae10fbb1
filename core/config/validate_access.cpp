// What gateways and routes ask of a request: auth methods that exist, authorization rules
// that have an authenticated consumer to judge, CIDRs that parse, CORS that a browser honours.

#include <algorithm>
#include <set>

#include "core/config/checks.hpp"
#include "core/config/validate_context.hpp"
#include "core/net/cidr.hpp"
#include "core/net/host_port.hpp"

namespace gw::core {
namespace {

void checkCidrs(const std::vector<std::string>& items, const std::string& path, Checker& check) {
  for (std::size_t i = 0; i < items.size(); ++i) {
    const std::string problem = net::cidrProblem(items[i]);
    if (!problem.empty()) {
      check.add(path + "[" + std::to_string(i) + "]", problem + " (got " + quote(items[i]) + ")");
    }
  }
}

void checkIpLists(const IpLists& ip, const std::string& path, Checker& check) {
  checkCidrs(ip.allow, path + ".ipAllow", check);
  checkCidrs(ip.deny, path + ".ipDeny", check);
}

bool hasProvider(const Config& config, std::string_view name) {
  return std::any_of(config.jwt_providers.begin(), config.jwt_providers.end(),
                     [&](const JwtProvider& p) { return p.name == name; });
}

void checkMethod(const Config& config, const Gateway* gateway, const std::string& method,
                 const std::string& path, Checker& check) {
  if (method == "api-key" || method == "basic") {
    return;
  }
  if (method == "mtls") {
    if (gateway != nullptr && !gateway->client_certificates) {
      check.add(path, "mtls needs clientCertificates on gateway " + quote(gateway->name));
    }
    return;
  }
  if (method.rfind("jwt:", 0) == 0) {
    const std::string provider = method.substr(4);
    if (!hasProvider(config, provider)) {
      check.add(path, "unknown JWT provider " + quote(provider) + " (jwtProviders lists them)");
    }
    return;
  }
  check.add(path, "must be one of api-key, basic, jwt:PROVIDER, mtls (got " + quote(method) + ")");
}

void checkAuth(const Config& config, const Gateway* gateway, const AuthPolicy& auth,
               const std::string& path, Checker& check) {
  if (auth.methods.empty()) {
    check.add(path + ".methods",
              "must name at least one method (api-key, basic, jwt:PROVIDER, "
              "mtls)");
  }
  std::set<std::string> seen;
  for (std::size_t i = 0; i < auth.methods.size(); ++i) {
    const std::string mpath = path + ".methods[" + std::to_string(i) + "]";
    checkMethod(config, gateway, auth.methods[i], mpath, check);
    if (!seen.insert(auth.methods[i]).second) {
      check.add(mpath, "repeats " + quote(auth.methods[i]));
    }
  }
  if (!isToken(auth.api_key_header)) {
    check.add(path + ".apiKeyHeader",
              "must be a header name (got " + quote(auth.api_key_header) + ")");
  }
}

const AuthPolicy* effectiveAuth(const Config& config, const Route& route) {
  if (route.auth) {
    return &*route.auth;
  }
  const Gateway* gateway = config.findGateway(route.gateway);
  return gateway != nullptr && gateway->auth ? &*gateway->auth : nullptr;
}

bool hasJwtMethod(const AuthPolicy& auth) {
  return std::any_of(auth.methods.begin(), auth.methods.end(),
                     [](const std::string& m) { return m.rfind("jwt:", 0) == 0; });
}

void checkRule(const Config& config, const Route& route, const AccessRule& rule,
               const std::string& path, Checker& check) {
  if (rule.empty()) {
    check.add(path, "must list consumers, groups or claims");
    return;
  }
  const AuthPolicy* auth = effectiveAuth(config, route);
  if (auth == nullptr) {
    check.add(path, "needs authentication: give the route (or gateway " + quote(route.gateway) +
                        ") auth methods, so there is a consumer to judge");
    return;
  }
  for (std::size_t i = 0; i < rule.consumers.size(); ++i) {
    if (config.findConsumer(rule.consumers[i]) == nullptr) {
      check.add(path + ".consumers[" + std::to_string(i) + "]",
                "unknown consumer " + quote(rule.consumers[i]));
    }
  }
  for (std::size_t i = 0; i < rule.groups.size(); ++i) {
    check.name(path + ".groups[" + std::to_string(i) + "]", rule.groups[i]);
  }
  if (!rule.claims.empty() && !hasJwtMethod(*auth)) {
    check.add(path + ".claims",
              "claims come from a JWT: the route's auth needs a jwt:PROVIDER "
              "method");
  }
}

void checkAuthorization(const Config& config, const Route& route, const std::string& path,
                        Checker& check) {
  const Authorization& authz = *route.authorization;
  if (authz.deny) {
    checkRule(config, route, *authz.deny, path + ".deny", check);
  }
  if (authz.allow) {
    checkRule(config, route, *authz.allow, path + ".allow", check);
  }
  if (authz.external) {
    const ExternalAuthz& external = *authz.external;
    const bool http = external.url.rfind("http://", 0) == 0;
    const std::string rest = http ? external.url.substr(7) : "";
    const auto authority = net::splitAuthority(rest.substr(0, rest.find('/')));
    if (!http || !authority || authority->host.empty() || !authority->port ||
        !net::parsePort(*authority->port)) {
      check.add(path + ".external.url",
                "must be http://HOST:PORT/PATH (got " + quote(external.url) + ")");
    }
    checkDuration(check, path + ".external.timeout", external.timeout);
  }
  if (!authz.allow && !authz.deny && !authz.external) {
    check.add(path, "must have allow, deny or external");
  }
}

// "*", "scheme://host[:port]", or one "*" standing for a label: "https://*.shop.test".
bool isOriginPattern(std::string_view origin) {
  if (origin == "*") {
    return true;
  }
  const auto scheme_end = origin.find("://");
  if (scheme_end == std::string_view::npos || scheme_end == 0) {
    return false;
  }
  const std::string_view rest = origin.substr(scheme_end + 3);
  const bool clean = std::none_of(rest.begin(), rest.end(), [](char c) {
    return c == '/' || c == '?' || c == '#' || c == ' ';
  });
  return clean && !rest.empty() && std::count(origin.begin(), origin.end(), '*') <= 1;
}

void checkCors(const Cors& cors, const std::string& path, Checker& check) {
  if (cors.origins.empty()) {
    check.add(path + ".origins", R"(must list at least one origin ("https://shop.test" or "*"))");
  }
  for (std::size_t i = 0; i < cors.origins.size(); ++i) {
    const std::string& origin = cors.origins[i];
    const std::string opath = path + ".origins[" + std::to_string(i) + "]";
    if (!isOriginPattern(origin)) {
      check.add(opath, R"(must be "*" or SCHEME://HOST[:PORT], with at most one "*" (got )" +
                           quote(origin) + ")");
    } else if (origin == "*" && cors.credentials) {
      check.add(opath,
                "\"*\" cannot go with credentials: true (browsers refuse it); list the "
                "origins");
    }
  }
  for (std::size_t i = 0; i < cors.methods.size(); ++i) {
    if (!isToken(cors.methods[i])) {
      check.add(path + ".methods[" + std::to_string(i) + "]",
                "must be a method name (got " + quote(cors.methods[i]) + ")");
    }
  }
  for (std::size_t i = 0; i < cors.headers.size(); ++i) {
    if (!isToken(cors.headers[i])) {
      check.add(path + ".headers[" + std::to_string(i) + "]",
                "must be a header name (got " + quote(cors.headers[i]) + ")");
    }
  }
  if (cors.max_age.count() < 0) {
    check.add(path + ".maxAge", "must not be negative");
  }
}

}  // namespace

void checkGatewayAccess(const Config& config, const Gateway& gateway, const std::string& path,
                        Checker& check) {
  checkCidrs(gateway.client_ip.trusted_proxies, path + ".clientIp.trustedProxies", check);
  checkIpLists(gateway.ip, path, check);
  if (gateway.auth) {
    checkAuth(config, &gateway, *gateway.auth, path + ".auth", check);
  }
  if (gateway.client_certificates) {
    if (!gateway.hasHttps()) {
      check.add(path + ".clientCertificates", "needs an https listener");
    }
    checkCaFile(gateway.client_certificates->ca_file, path + ".clientCertificates.caFile", check);
  }
}

void checkRouteAccess(const Config& config, const Route& route, const std::string& path,
                      Checker& check) {
  if (route.auth) {
    checkAuth(config, config.findGateway(route.gateway), *route.auth, path + ".auth", check);
  }
  if (route.authorization) {
    checkAuthorization(config, route, path + ".authorization", check);
  }
  checkIpLists(route.ip, path, check);
  if (route.cors) {
    checkCors(*route.cors, path + ".cors", check);
  }
}

}  // namespace gw::core
