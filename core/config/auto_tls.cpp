#include "core/config/auto_tls.hpp"

#include <algorithm>
#include <set>

namespace gw::core {
namespace {

bool coveredByDocument(const Config& config, const Gateway& gateway, const std::string& host) {
  return std::ranges::any_of(config.certificates, [&](const Certificate& c) {
    return (c.gateway.empty() || c.gateway == gateway.name) &&
           std::ranges::any_of(c.domains,
                               [&](const std::string& d) { return domainCovers(d, host); });
  });
}

}  // namespace

bool domainCovers(std::string_view domain, std::string_view host) {
  if (domain == host) {
    return true;
  }
  if (!domain.starts_with("*.") || host.starts_with("*.")) {
    return false;
  }
  const auto dot = host.find('.');
  return dot != std::string_view::npos && host.substr(dot) == domain.substr(1);
}

std::vector<Certificate> autoCertificates(const Config& config, const Gateway& gateway) {
  std::vector<Certificate> out;
  if (!gateway.tls || gateway.tls->mode != GatewayTls::Mode::kAuto || !gateway.hasHttps()) {
    return out;
  }
  const bool dns_hook =
      gateway.tls->acme.challenge == "dns-01" && !gateway.tls->acme.dns_hook.empty();
  std::set<std::string> hosts;
  for (const Route& route : config.routes) {
    if (route.gateway == gateway.name) {
      hosts.insert(route.hosts.begin(), route.hosts.end());
    }
  }
  for (const std::string& host : hosts) {
    const bool wildcard = host.starts_with("*.");
    if (host.empty() || host == "*" || (wildcard && !dns_hook) ||
        coveredByDocument(config, gateway, host)) {
      continue;
    }
    Certificate cert;
    cert.name =
        std::string(kAutoCertificatePrefix) + (wildcard ? "wildcard" + host.substr(1) : host);
    cert.domains = {host};
    cert.issuer = gateway.tls->issuer;
    cert.gateway = gateway.name;
    cert.acme = gateway.tls->acme;
    out.push_back(std::move(cert));
  }
  return out;
}

std::vector<Certificate> autoCertificates(const Config& config) {
  std::vector<Certificate> out;
  std::set<std::string> names;
  for (const Gateway& gateway : config.gateways) {
    for (Certificate& cert : autoCertificates(config, gateway)) {
      if (names.insert(cert.name).second) {
        out.push_back(std::move(cert));
      }
    }
  }
  return out;
}

}  // namespace gw::core
