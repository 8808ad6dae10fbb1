// A gateway's https settings: the redirect, HSTS and how its certificates are obtained.

#include <algorithm>

#include "core/config/checks.hpp"
#include "core/config/validate_context.hpp"

namespace gw::core {
namespace {

// What the HSTS preload list (hstspreload.org) accepts: a year or more, subdomains included.
constexpr std::chrono::seconds kPreloadMinAge{365LL * 24 * 3600};

void checkHsts(const Hsts& hsts, const std::string& path, Checker& check) {
  if (hsts.max_age.count() < 0) {
    check.add(path + ".maxAge", "must be 0 or more (got " + formatDuration(hsts.max_age) + ")");
  }
  if (!hsts.preload) {
    return;
  }
  if (hsts.max_age < kPreloadMinAge) {
    check.add(path + ".preload", "the preload list needs maxAge 1y or more (got " +
                                     formatDuration(hsts.max_age) + ")");
  }
  if (!hsts.include_subdomains) {
    check.add(path + ".preload", "the preload list needs includeSubdomains: true");
  }
}

void checkTls(const GatewayTls& tls, bool https, const std::string& path, Checker& check) {
  if (tls.mode == GatewayTls::Mode::kAuto && !https) {
    check.add(path + ".mode", "auto needs an https listener");
  }
  if (tls.issuer == Issuer::kImported) {
    check.add(path + ".issuer",
              "must be one of letsencrypt, letsencrypt-staging, acme, internal (got "
              "\"imported\")");
    return;
  }
  checkAcmeOrder(tls.issuer, tls.acme, path, check);
}

}  // namespace

void checkGatewayHttps(const Gateway& gateway, const std::string& path, Checker& check) {
  const bool https = gateway.hasHttps();
  if (gateway.https_redirect && !https) {
    check.add(path + ".httpsRedirect", "needs an https listener");
  }
  if (gateway.hsts) {
    if (!https) {
      check.add(path + ".hsts", "needs an https listener (it is sent on https answers only)");
    }
    checkHsts(*gateway.hsts, path + ".hsts", check);
  }
  if (gateway.tls) {
    checkTls(*gateway.tls, https, path + ".tls", check);
  }
}

}  // namespace gw::core
