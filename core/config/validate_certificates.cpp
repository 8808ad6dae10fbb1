// Certificates: names, domains, and how an ACME certificate is ordered.

#include <algorithm>
#include <initializer_list>

#include "core/config/checks.hpp"
#include "core/config/errors.hpp"
#include "core/config/references.hpp"
#include "core/config/validate_context.hpp"

namespace gw::core {
namespace {

bool oneOf(const std::string& value, std::initializer_list<std::string_view> allowed) {
  return std::ranges::find(allowed, value) != allowed.end();
}

// LOCAL@DOMAIN without spaces: enough to catch a flag given the wrong value; the CA checks
// the rest.
bool looksLikeEmail(std::string_view s) {
  const auto at = s.find('@');
  return at != std::string_view::npos && at > 0 && at + 1 < s.size() &&
         s.find('@', at + 1) == std::string_view::npos &&
         s.find_first_of(" \t,<>") == std::string_view::npos;
}

}  // namespace

// The CA file is not opened here: a document must keep loading (and serving) when the file
// goes missing later; the order that needs it then fails and says so.
void checkAcmeOrder(Issuer issuer, const AcmeOrder& o, const std::string& path, Checker& check) {
  if (!isAcme(issuer)) {
    if (!(o == AcmeOrder{})) {
      check.add(path + ".issuer",
                std::string("ACME settings are only for ACME issuers (this one is ") +
                    toString(issuer) + ")");
    }
    return;
  }
  if (issuer == Issuer::kAcme && o.directory.empty()) {
    check.add(path + ".acmeDirectory", "required with issuer acme");
  } else if (!o.directory.empty() && issuer != Issuer::kAcme) {
    check.add(path + ".acmeDirectory",
              std::string("only used with issuer acme (the issuer is ") + toString(issuer) + ")");
  } else if (!o.directory.empty() && !o.directory.starts_with("https://")) {
    check.add(path + ".acmeDirectory", "must be an https:// URL (got " + quote(o.directory) + ")");
  }
  if (!o.ca_file.empty() && !o.ca_file.starts_with('/')) {
    check.add(path + ".acmeCaFile", "must be an absolute path (got " + quote(o.ca_file) + ")");
  }
  if (!o.email.empty() && !looksLikeEmail(o.email)) {
    check.add(path + ".email", "must be an email address (got " + quote(o.email) + ")");
  }
  if (!o.challenge.empty() && !oneOf(o.challenge, {"http-01", "tls-alpn-01", "dns-01"})) {
    check.add(path + ".challenge",
              "must be one of http-01, tls-alpn-01, dns-01 (got " + quote(o.challenge) + ")");
  }
  if (!o.key_type.empty() &&
      !oneOf(o.key_type, {"ecdsa-p256", "ecdsa-p384", "rsa2048", "rsa4096"})) {
    check.add(path + ".keyType", "must be one of ecdsa-p256, ecdsa-p384, rsa2048, rsa4096 (got " +
                                     quote(o.key_type) + ")");
  }
  const bool dns = o.challenge == "dns-01";
  if (dns && o.dns_hook.empty()) {
    check.add(path + ".dnsHook", "required with challenge dns-01");
  }
  if (!dns && !o.dns_hook.empty()) {
    check.add(path + ".dnsHook", "only used with challenge dns-01");
  }
}

namespace {

// Only DNS-01 can prove a wildcard name (RFC 8555 section 7.1.3).
void checkWildcards(const Certificate& cert, const std::string& path, Checker& check) {
  if (!isAcme(cert.issuer) || cert.acme.challenge == "dns-01") {
    return;
  }
  for (std::size_t d = 0; d < cert.domains.size(); ++d) {
    if (cert.domains[d].starts_with("*.")) {
      check.add(path + ".domains[" + std::to_string(d) + "]",
                "a wildcard name can only be proved with challenge dns-01");
    }
  }
}

}  // namespace

void validateCertificates(const Config& config, Checker& check) {
  check.uniqueNames(config.certificates, "certificates", "certificate");
  for (std::size_t c = 0; c < config.certificates.size(); ++c) {
    const Certificate& cert = config.certificates[c];
    const std::string path = at("certificates", c);
    if (cert.domains.empty()) {
      check.add(path + ".domains", "at least one domain is required");
    }
    for (std::size_t d = 0; d < cert.domains.size(); ++d) {
      if (!isDomain(cert.domains[d])) {
        check.add(
            path + ".domains[" + std::to_string(d) + "]",
            "must be a lower-case DNS name or \"*.suffix\" (got " + quote(cert.domains[d]) + ")");
      }
    }
    if (auto missing = missingGateway(config, cert.gateway)) {
      check.add(path + ".gateway", std::move(*missing));
    }
    checkAcmeOrder(cert.issuer, cert.acme, path, check);
    checkWildcards(cert, path, check);
  }
}

}  // namespace gw::core
