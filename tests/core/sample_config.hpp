#pragma once
// A small valid document for validation tests, and the problems left after changing it.

#include <functional>
#include <initializer_list>
#include <string>
#include <vector>

#include "core/config/validate.hpp"

namespace gw::core::testing {

using Lines = std::vector<std::string>;

// Endpoints of weight 1 from their addresses.
inline std::vector<Endpoint> endpointsAt(std::initializer_list<const char*> addresses) {
  std::vector<Endpoint> out;
  for (const char* address : addresses) {
    out.push_back(Endpoint{address, 1});
  }
  return out;
}

inline Config sample() {
  Config c;
  Gateway g;
  g.name = "shop-ingress";
  g.listeners = {{"http", Protocol::kHttp, 8080}, {"https", Protocol::kHttps, 8443}};
  c.gateways.push_back(g);
  Service s;
  s.name = "frontend";
  s.endpoints = endpointsAt({"127.0.0.1:9001"});
  c.services.push_back(s);
  s.name = "frontendv2";
  s.endpoints = endpointsAt({"127.0.0.1:9002", "[::1]:9002", "backend.internal:80"});
  c.services.push_back(s);
  Route r;
  r.name = "shop";
  r.gateway = "shop-ingress";
  r.hosts = {"shop.test"};
  r.destinations = {{"frontend", 50}, {"frontendv2", 50}};
  c.routes.push_back(r);
  r.name = "home";
  r.match = {"/", MatchType::kExact};
  r.destinations = {{"frontendv2", 100}};
  c.routes.push_back(r);
  Certificate cert{"shop.test", {"shop.test", "*.shop.test"}, Issuer::kLetsEncrypt, "", {}};
  cert.acme.challenge = "dns-01";  // the wildcard name needs it
  cert.acme.dns_hook = "/usr/local/bin/dns-hook";
  c.certificates.push_back(cert);
  return c;
}

inline Lines problems(const Config& c) {
  Lines out;
  for (const auto& d : validate(c)) {
    out.push_back(d.str());
  }
  return out;
}

inline Lines problemsAfter(const std::function<void(Config&)>& change) {
  Config c = sample();
  change(c);
  return problems(c);
}

}  // namespace gw::core::testing
