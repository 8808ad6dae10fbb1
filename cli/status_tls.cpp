#include "cli/status_tls.hpp"

#include <algorithm>
#include <set>

#include "cli/cert_state.hpp"

namespace gw::cli {
namespace {

bool hasHttps(const core::Gateway& gateway) {
  return std::ranges::any_of(gateway.listeners, [](const core::Listener& l) {
    return l.protocol == core::Protocol::kHttps;
  });
}

// Whether `domain` (a name or "*.suffix") covers `host` as a TLS client checks it.
bool covers(const std::string& domain, const std::string& host) {
  if (domain == host) {
    return true;
  }
  if (!domain.starts_with("*.") || host.starts_with("*.")) {
    return false;
  }
  const auto dot = host.find('.');
  return dot != std::string::npos && host.substr(dot) == domain.substr(1);
}

// The certificate a handshake for `host` on `gateway` gets: an exact name first.
const core::Certificate* certificateFor(const core::Config& config, const std::string& gateway,
                                        const std::string& host) {
  const core::Certificate* wildcard = nullptr;
  for (const core::Certificate& c : config.certificates) {
    if (!c.gateway.empty() && c.gateway != gateway) {
      continue;
    }
    for (const std::string& domain : c.domains) {
      if (domain == host) {
        return &c;
      }
      if (wildcard == nullptr && covers(domain, host)) {
        wildcard = &c;
      }
    }
  }
  return wildcard;
}

}  // namespace

Json tlsHosts(const core::Config& config, const std::filesystem::path& certs_dir) {
  Json out = Json::array();
  for (const core::Gateway& gateway : config.gateways) {
    if (!hasHttps(gateway)) {
      continue;
    }
    std::set<std::string> hosts;
    for (const core::Route& route : config.routes) {
      if (route.gateway == gateway.name) {
        hosts.insert(route.hosts.begin(), route.hosts.end());
      }
    }
    hosts.erase("*");
    for (const std::string& host : hosts) {
      Json row = {{"host", host}, {"gateway", gateway.name}};
      const core::Certificate* cert = certificateFor(config, gateway.name, host);
      if (cert == nullptr) {
        row["certificate"] = nullptr;
        row["state"] = "no certificate";
        out.push_back(row);
        continue;
      }
      const CertState state = stateOf(certs_dir / cert->name, *cert);
      row["certificate"] = cert->name;
      row["state"] = state.state;
      if (!state.reason.empty()) {
        row["reason"] = state.reason;
      }
      if (state.not_after != 0) {
        row["notAfter"] = isoTime(state.not_after);
        row["daysLeft"] = state.days_left;
      }
      out.push_back(row);
    }
  }
  return out;
}

}  // namespace gw::cli
