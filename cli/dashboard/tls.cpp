// GET /api/v1/tls: each certificate's state, as `gw cert list` reads it from its files, and
// the state of each host a gateway serves: the certificate that covers it, or why none does.

#include <set>

#include "cli/dashboard/dashboard.hpp"
#include "core/config/model.hpp"

namespace gw::dashboard {
namespace {

// Whether a certificate for `domain` ("shop.test", "*.shop.test") covers `host`.
bool covers(const std::string& domain, const std::string& host) {
  if (domain == host) {
    return true;
  }
  if (!domain.starts_with("*.")) {
    return false;
  }
  const auto dot = host.find('.');
  return dot != std::string::npos && host.substr(dot) == domain.substr(1);
}

// The API's words for `gw cert list`'s states: "not issued" is "missing".
Json certificateOf(const Json& listed) {
  std::string state = listed.value("state", "");
  std::string reason = listed.value("reason", "");
  if (state == "not issued") {
    state = "missing";
    reason = "not issued yet";
  }
  if (listed.contains("lastError") && state == "valid") {
    state = "expiring";
    reason = "the last renewal failed: " + listed.value("lastError", "");
  } else if (state == "expiring" && reason.empty()) {
    reason = "renewal is due";
  } else if (state == "expired" && reason.empty()) {
    reason = "it expired on " + listed.value("notAfter", "");
  }
  return {{"name", listed.value("name", "")},
          {"domains", listed.value("domains", Json::array())},
          {"issuer", listed.value("issuer", "")},
          {"gateway", listed.value("gateway", "")},
          {"state", state},
          {"daysLeft", listed.contains("daysLeft") ? listed["daysLeft"] : Json(nullptr)},
          {"notAfter", listed.value("notAfter", "")},
          {"reason", reason}};
}

// How good a state is, to pick the best of several certificates covering one host.
int rank(const std::string& state) {
  if (state == "valid") {
    return 4;
  }
  if (state == "renewing" || state == "expiring") {
    return 3;
  }
  return state == "expired" ? 1 : 2;
}

Json hostOf(const core::Gateway& gateway, const std::string& host, bool https,
            const Json& certificates) {
  Json out = {{"gateway", gateway.name},
              {"host", host},
              {"https", https},
              {"certificate", nullptr},
              {"state", ""},
              {"daysLeft", nullptr},
              {"reason", ""}};
  if (!https) {
    return out;
  }
  const Json* best = nullptr;
  for (const Json& c : certificates) {
    const std::string on = c.value("gateway", "");
    if (!on.empty() && on != gateway.name) {
      continue;
    }
    bool covering = false;
    for (const Json& domain : c["domains"]) {
      covering = covering || (domain.is_string() && covers(domain.get<std::string>(), host));
    }
    if (covering &&
        (best == nullptr || rank(c.value("state", "")) > rank((*best).value("state", "")))) {
      best = &c;
    }
  }
  if (best == nullptr) {
    out["state"] = "missing";
    out["reason"] = "no certificate covers " + host + ": gw cert issue --domain " + host +
                    " --gateway " + gateway.name;
    return out;
  }
  out["certificate"] = (*best)["name"];
  out["state"] = (*best)["state"];
  out["daysLeft"] = (*best)["daysLeft"];
  out["reason"] = (*best)["reason"];
  return out;
}

}  // namespace

Response Dashboard::tls() {
  auto loaded = documents_.current();
  if (!loaded) {
    return errorAnswer(loaded.error());
  }
  const core::Config* config = loaded->get();
  Response listed = runGw(env_, {"cert", "list"});
  if (listed.status != 200) {
    return listed;
  }
  const Json list = Json::parse(listed.body, nullptr, false);
  Json certificates = Json::array();
  if (list.is_array()) {
    for (const Json& item : list) {
      certificates.push_back(certificateOf(item));
    }
  }
  Json hosts = Json::array();
  for (const core::Gateway& gateway : config->gateways) {
    bool https = false;
    for (const auto& listener : gateway.listeners) {
      https = https || listener.protocol == core::Protocol::kHttps;
    }
    std::set<std::string> names;
    for (const core::Route& route : config->routes) {
      if (route.gateway == gateway.name) {
        names.insert(route.hosts.begin(), route.hosts.end());
      }
    }
    for (const std::string& host : names) {
      hosts.push_back(hostOf(gateway, host, https, certificates));
    }
  }
  return jsonAnswer(200, {{"certificates", std::move(certificates)}, {"hosts", std::move(hosts)}});
}

}  // namespace gw::dashboard
