#pragma once
// The access-control flags shared by `gw route add|update` and `gw gateway create|update`:
// authentication, authorization rules, IP lists, and (routes) CORS; (gateways) trusted
// proxies. A list flag replaces the list when given; its value "" (or --auth none) clears it.

#include <CLI/CLI.hpp>
#include <set>
#include <string>
#include <vector>

#include "core/config/model.hpp"
#include "core/result.hpp"

namespace gw::cli {

struct AccessFlags {
  std::vector<std::string> auth;  // methods; "none" removes auth
  bool auth_optional = false;
  bool keep_credentials = false;
  std::string api_key_header;
  std::vector<std::string> allow_groups;
  std::vector<std::string> allow_consumers;
  std::vector<std::string> deny_groups;
  std::vector<std::string> deny_consumers;
  std::string authz_mode;
  std::string authz_url;  // external authorizer ("" removes it)
  std::string authz_timeout;
  std::string authz_on_error;
  std::vector<std::string> ip_allow;
  std::vector<std::string> ip_deny;
  std::vector<std::string> cors_origins;
  std::vector<std::string> cors_methods;
  std::vector<std::string> cors_headers;
  std::vector<std::string> cors_expose;
  bool cors_credentials = false;
  std::string cors_max_age;
  std::vector<std::string> trusted_proxies;
  std::string client_ca;            // gateways: clientCertificates.caFile ("" removes)
  std::string client_certificates;  // request or require
};

// `route`: the route flags (authorization, CORS); otherwise the gateway's (trusted proxies).
void addAccessFlags(CLI::App* sub, AccessFlags& o, bool route);

core::Status applyRouteAccess(core::Route& route, const AccessFlags& o,
                              const std::set<std::string>& given);
core::Status applyGatewayAccess(core::Gateway& gateway, const AccessFlags& o,
                                const std::set<std::string>& given);

}  // namespace gw::cli
