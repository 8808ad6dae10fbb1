// The canonical shape of the access-control parts of the document (access.hpp).

#include <chrono>

#include "core/config/document_tree.hpp"

namespace gw::core {
namespace {

using Tree = nlohmann::ordered_json;

Tree stringList(const std::vector<std::string>& items) {
  Tree out = Tree::array();
  for (const auto& s : items) {
    out.push_back(s);
  }
  return out;
}

void setList(Tree& out, const char* key, const std::vector<std::string>& items) {
  if (!items.empty()) {
    out[key] = stringList(items);
  }
}

std::string formatSeconds(std::chrono::seconds s) {
  return formatDuration(std::chrono::duration_cast<Millis>(s));
}

Tree accessRuleTree(const AccessRule& rule) {
  Tree out = Tree::object();
  setList(out, "consumers", rule.consumers);
  setList(out, "groups", rule.groups);
  if (!rule.claims.empty()) {
    Tree claims = Tree::object();
    for (const ClaimRule& c : rule.claims) {
      claims[c.claim] = stringList(c.values);
    }
    out["claims"] = std::move(claims);
  }
  return out;
}

}  // namespace

nlohmann::ordered_json consumerTree(const Consumer& c) {
  Tree out = Tree::object();
  out["name"] = c.name;
  setList(out, "groups", c.groups);
  if (!c.api_keys.empty()) {
    Tree keys = Tree::array();
    for (const ApiKey& k : c.api_keys) {
      Tree key = Tree{{"id", k.id}, {"sha256", k.sha256}};
      if (!k.created.empty()) {
        key["created"] = k.created;
      }
      keys.push_back(std::move(key));
    }
    out["apiKeys"] = std::move(keys);
  }
  if (!c.basic_auth.empty()) {
    Tree users = Tree::array();
    for (const BasicUser& u : c.basic_auth) {
      users.push_back(Tree{{"user", u.user}, {"hash", u.hash}});
    }
    out["basicAuth"] = std::move(users);
  }
  if (!c.jwt.empty()) {
    Tree ids = Tree::array();
    for (const JwtIdentity& j : c.jwt) {
      Tree id = Tree{{"provider", j.provider}};
      if (j.claim != JwtIdentity{}.claim) {
        id["claim"] = j.claim;
      }
      id["value"] = j.value;
      ids.push_back(std::move(id));
    }
    out["jwt"] = std::move(ids);
  }
  setList(out, "certificates", c.certificates);
  if (!c.plan.empty()) {
    out["plan"] = c.plan;
  }
  return out;
}

nlohmann::ordered_json jwtProviderTree(const JwtProvider& p) {
  const JwtProvider defaults;
  Tree out = Tree::object();
  out["name"] = p.name;
  if (!p.issuer.empty()) {
    out["issuer"] = p.issuer;
  }
  setList(out, "audiences", p.audiences);
  out["algorithms"] = stringList(p.algorithms);
  if (!p.jwks_url.empty()) {
    out["jwksUrl"] = p.jwks_url;
  }
  if (!p.keys.empty()) {
    out["keys"] = p.keys;
  }
  if (!p.ca_file.empty()) {
    out["caFile"] = p.ca_file;
  }
  if (p.clock_skew != defaults.clock_skew) {
    out["clockSkew"] = formatSeconds(p.clock_skew);
  }
  if (p.jwks_refresh != defaults.jwks_refresh) {
    out["jwksRefresh"] = formatSeconds(p.jwks_refresh);
  }
  if (!p.claims_to_headers.empty()) {
    Tree list = Tree::array();
    for (const ClaimHeader& h : p.claims_to_headers) {
      list.push_back(Tree{{"claim", h.claim}, {"header", h.header}});
    }
    out["claimsToHeaders"] = std::move(list);
  }
  return out;
}

nlohmann::ordered_json authTree(const AuthPolicy& a) {
  const AuthPolicy defaults;
  Tree out = Tree{{"methods", stringList(a.methods)}};
  if (a.optional) {
    out["optional"] = true;
  }
  if (a.keep_credentials) {
    out["keepCredentials"] = true;
  }
  if (a.api_key_header != defaults.api_key_header) {
    out["apiKeyHeader"] = a.api_key_header;
  }
  return out;
}

nlohmann::ordered_json authorizationTree(const Authorization& a) {
  Tree out = Tree::object();
  if (a.allow) {
    out["allow"] = accessRuleTree(*a.allow);
  }
  if (a.deny) {
    out["deny"] = accessRuleTree(*a.deny);
  }
  if (a.external) {
    Tree external = Tree{{"url", a.external->url}};
    if (a.external->timeout != ExternalAuthz{}.timeout) {
      external["timeout"] = formatDuration(a.external->timeout);
    }
    if (a.external->allow_on_error) {
      external["onError"] = "allow";
    }
    out["external"] = std::move(external);
  }
  if (a.mode == Authorization::Mode::kShadow) {
    out["mode"] = "shadow";
  }
  return out;
}

nlohmann::ordered_json corsTree(const Cors& c) {
  const Cors defaults;
  Tree out = Tree{{"origins", stringList(c.origins)}};
  setList(out, "methods", c.methods);
  setList(out, "headers", c.headers);
  setList(out, "exposeHeaders", c.expose_headers);
  if (c.credentials) {
    out["credentials"] = true;
  }
  if (c.max_age != defaults.max_age) {
    out["maxAge"] = formatSeconds(c.max_age);
  }
  return out;
}

void appendIpLists(nlohmann::ordered_json& out, const IpLists& ip) {
  setList(out, "ipAllow", ip.allow);
  setList(out, "ipDeny", ip.deny);
}

void appendGatewayAccess(nlohmann::ordered_json& out, const Gateway& g) {
  if (!g.client_ip.trusted_proxies.empty()) {
    out["clientIp"] = Tree{{"trustedProxies", stringList(g.client_ip.trusted_proxies)}};
  }
  appendIpLists(out, g.ip);
  if (g.auth) {
    out["auth"] = authTree(*g.auth);
  }
  if (g.client_certificates) {
    Tree certs = Tree::object();
    certs["mode"] =
        g.client_certificates->mode == ClientCertificates::Mode::kRequire ? "require" : "request";
    certs["caFile"] = g.client_certificates->ca_file;
    out["clientCertificates"] = std::move(certs);
  }
}

void appendRouteAccess(nlohmann::ordered_json& out, const Route& r) {
  if (r.auth) {
    out["auth"] = authTree(*r.auth);
  }
  if (r.authorization) {
    out["authorization"] = authorizationTree(*r.authorization);
  }
  appendIpLists(out, r.ip);
  if (r.cors) {
    out["cors"] = corsTree(*r.cors);
  }
}

}  // namespace gw::core
