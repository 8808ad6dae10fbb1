#include "cli/status_tls.hpp"

#include <algorithm>
#include <optional>
#include <set>

#include "cli/cert_state.hpp"
#include "core/config/auto_tls.hpp"

namespace gw::cli {
namespace {

// The certificate a handshake for `host` on `gateway` gets: an exact name first.
std::optional<core::Certificate> certificateFor(const core::Config& config,
                                                const core::Gateway& gateway,
                                                const std::string& host) {
  std::optional<core::Certificate> wildcard;
  std::vector<core::Certificate> served = config.certificates;
  for (core::Certificate& automatic : core::autoCertificates(config, gateway)) {
    served.push_back(std::move(automatic));
  }
  for (const core::Certificate& c : served) {
    if (!c.gateway.empty() && c.gateway != gateway.name) {
      continue;
    }
    for (const std::string& domain : c.domains) {
      if (domain == host) {
        return c;
      }
      if (!wildcard && core::domainCovers(domain, host)) {
        wildcard = c;
      }
    }
  }
  return wildcard;
}

}  // namespace

Json tlsHosts(const core::Config& config, const std::filesystem::path& certs_dir) {
  Json out = Json::array();
  for (const core::Gateway& gateway : config.gateways) {
    if (!gateway.hasHttps()) {
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
      const auto cert = certificateFor(config, gateway, host);
      if (!cert) {
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
