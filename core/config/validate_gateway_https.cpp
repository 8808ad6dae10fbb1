// A gateway's https settings: the redirect, HSTS and how its certificates are obtained.

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>

#include "core/config/checks.hpp"
#include "core/config/validate_context.hpp"

namespace gw::core {
namespace {

// What the HSTS preload list (hstspreload.org) accepts: a year or more, subdomains included.
constexpr std::chrono::seconds kPreloadMinAge{365LL * 24 * 3600};

constexpr std::array<std::string_view, 3> kChallenges{"http-01", "tls-alpn-01", "dns-01"};

bool hasHttps(const Gateway& gateway) {
  return std::any_of(gateway.listeners.begin(), gateway.listeners.end(),
                     [](const Listener& l) { return l.protocol == Protocol::kHttps; });
}

// LOCAL@DOMAIN without spaces: enough to catch a flag given the wrong value; the CA checks
// the rest.
bool looksLikeEmail(std::string_view s) {
  const auto at = s.find('@');
  return at != std::string_view::npos && at > 0 && at + 1 < s.size() &&
         s.find('@', at + 1) == std::string_view::npos &&
         std::none_of(s.begin(), s.end(), [](char c) { return c == ' ' || c == '\t'; });
}

bool readableFile(const std::string& path) {
  std::error_code ec;
  return std::filesystem::is_regular_file(path, ec) && std::ifstream(path).good();
}

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
  }
  if (!tls.email.empty() && !looksLikeEmail(tls.email)) {
    check.add(path + ".email", "must be an email address (got " + quote(tls.email) + ")");
  }
  if (tls.issuer == Issuer::kAcme && tls.acme_directory.empty()) {
    check.add(path + ".acmeDirectory", "required with issuer acme");
  } else if (!tls.acme_directory.empty() && tls.issuer != Issuer::kAcme) {
    check.add(path + ".acmeDirectory", std::string("only used with issuer acme (the issuer is ") +
                                           toString(tls.issuer) + ")");
  } else if (!tls.acme_directory.empty() && !tls.acme_directory.starts_with("https://")) {
    check.add(path + ".acmeDirectory",
              "must be an https:// URL (got " + quote(tls.acme_directory) + ")");
  }
  if (!tls.acme_ca_file.empty()) {
    if (!std::filesystem::path(tls.acme_ca_file).is_absolute()) {
      check.add(path + ".acmeCaFile",
                "must be an absolute path (got " + quote(tls.acme_ca_file) + ")");
    } else if (!readableFile(tls.acme_ca_file)) {
      check.add(path + ".acmeCaFile", tls.acme_ca_file + ": not a readable file");
    }
  }
  if (std::find(kChallenges.begin(), kChallenges.end(), tls.challenge) == kChallenges.end()) {
    check.add(path + ".challenge",
              "must be one of http-01, tls-alpn-01, dns-01 (got " + quote(tls.challenge) + ")");
  }
}

}  // namespace

void checkGatewayHttps(const Gateway& gateway, const std::string& path, Checker& check) {
  const bool https = hasHttps(gateway);
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
