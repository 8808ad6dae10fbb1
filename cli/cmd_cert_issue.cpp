// gw cert issue: a certificate from an ACME CA (Let's Encrypt by default, or any directory)
// or from the internal issuer, stored in the home and served from the next reload on.
// HTTP-01 and TLS-ALPN-01 answers are files the running gateway's http and https listeners
// serve (proxy/session/acme_challenge.hpp, proxy/tls/acme_tls_alpn.hpp); DNS-01 runs the
// user's hook (core/acme/dns_hook.hpp).

#include <filesystem>
#include <iostream>

#include "cli/cert_state.hpp"
#include "cli/cert_store.hpp"
#include "cli/command.hpp"
#include "cli/flags.hpp"
#include "cli/mutate.hpp"
#include "core/acme/names.hpp"
#include "core/acme/obtain.hpp"
#include "core/config/validate.hpp"

namespace gw::cli {
namespace {

struct IssueFlags {
  std::vector<std::string> domains;
  std::string name;
  std::string gateway;
  std::string issuer = "letsencrypt";
  core::AcmeOrder acme;
  acme::ExternalAccountBinding eab;  // kept with the account, never in the document
};

// The document entry the flags describe, checked as the document would check it (field
// names in errors are the document's) before anything is asked of a CA.
core::Result<core::Certificate> entryFrom(const IssueFlags& f, const core::Config& config) {
  auto domains = acme::normalizeDomains(f.domains);
  if (!domains) {
    return core::makeError(core::ErrorKind::kUsage, "--domain: " + domains.error().message);
  }
  auto issuer = core::parseIssuer(f.issuer);
  if (!issuer || *issuer == core::Issuer::kImported) {
    return core::makeError(
        core::ErrorKind::kUsage,
        "--issuer " + f.issuer + ": must be letsencrypt, letsencrypt-staging, acme or internal");
  }
  if (*issuer == core::Issuer::kAcme && f.acme.directory.empty()) {
    return core::makeError(core::ErrorKind::kUsage, "--issuer acme needs --acme-directory URL");
  }
  if (!f.gateway.empty() && config.findGateway(f.gateway) == nullptr) {
    return notFound("gateway", f.gateway);
  }
  core::Certificate entry;
  entry.name = f.name;
  if (entry.name.empty()) {  // the first domain; "*.shop.test" is named "wildcard.shop.test"
    const std::string& first = domains->front();
    entry.name = first.starts_with("*.") ? "wildcard" + first.substr(1) : first;
  }
  entry.domains = *domains;
  entry.issuer = *issuer;
  entry.gateway = f.gateway;
  if (*issuer != core::Issuer::kInternal) {
    entry.acme = f.acme;
    if (!entry.acme.ca_file.empty()) {
      std::error_code ec;
      entry.acme.ca_file = std::filesystem::absolute(entry.acme.ca_file, ec).string();
    }
    // The gateway's renewals run the hook from another folder: a script named relative to
    // this one ("./dns-hook.sh") is kept by its absolute path. A name without '/' is the
    // shell's to find on PATH, and a command line is kept as written.
    std::error_code ec;
    const std::filesystem::path hook(entry.acme.dns_hook);
    if (hook.is_relative() && entry.acme.dns_hook.find('/') != std::string::npos &&
        std::filesystem::is_regular_file(hook, ec)) {
      entry.acme.dns_hook = std::filesystem::absolute(hook, ec).lexically_normal().string();
    }
  }
  core::Config next = config;
  std::erase_if(next.certificates,
                [&](const core::Certificate& c) { return c.name == entry.name; });
  next.certificates.push_back(entry);
  if (auto problems = core::validate(next); !problems.empty()) {
    return core::validationError(quoted("certificate", entry.name), problems);
  }
  return entry;
}

core::Status runIssue(const IssueFlags& f, Context& ctx) {
  auto config = readConfig(ctx);
  if (!config) {
    return std::move(config).error();
  }
  auto entry = entryFrom(f, *config);
  if (!entry) {
    return std::move(entry).error();
  }
  const acme::IssuerHome home = issuerHome(ctx);
  if (!f.eab.kid.empty()) {
    if (entry->issuer == core::Issuer::kInternal) {
      return usageError("--eab-kid: the internal issuer has no accounts");
    }
    const acme::ExternalAccountBinding eab{f.eab.kid, eabHmacKey(f.eab.hmac_key)};
    if (eab.hmac_key.empty()) {
      return usageError("--eab-kid needs --eab-hmac-key KEY (or $GW_EAB_HMAC_KEY)");
    }
    if (auto kept = acme::keepAccountBinding(home, acme::directoryUrl(*entry), eab); !kept) {
      return kept;
    }
  }
  auto issued = acme::obtain(home, *entry);
  if (!issued) {
    return std::move(issued).error();
  }
  if (entry->issuer == core::Issuer::kInternal) {
    std::cout << "internal issuer: clients must trust " << (home.ca_dir / "root.pem").string()
              << '\n';
  }
  return storeCertificate(ctx, *entry, issued->chain_pem, issued->key_pem, "issued");
}

}  // namespace

void setupCertIssue(CLI::App& cert, Context& ctx) {
  auto flags = std::make_shared<IssueFlags>();
  CLI::App* i = addCommand(
      cert, "issue", "Get a certificate from an ACME CA or the internal issuer, and serve it",
      "  gw cert issue --domain shop.test --gateway shop-ingress --email ops@shop.test\n"
      "  gw cert issue --domain shop.test --challenge tls-alpn-01\n"
      "  gw cert issue --domain '*.shop.test' --domain shop.test --challenge dns-01 \\\n"
      "      --dns-hook /etc/gw/dns-hook.sh\n"
      "  gw cert issue --domain shop.test --issuer internal");
  i->add_option("--domain", flags->domains, "A name the certificate is for; repeatable")
      ->required()
      ->type_name("NAME");
  i->add_option("--name", flags->name, "The certificate's name (default: the first domain)")
      ->type_name("NAME");
  i->add_option("--gateway", flags->gateway, "Serve it on this gateway only (default: all)")
      ->type_name("GATEWAY");
  i->add_option("--issuer", flags->issuer,
                "letsencrypt (default), letsencrypt-staging, acme or internal")
      ->type_name("ISSUER");
  i->add_option("--acme-directory", flags->acme.directory, "The CA's directory URL (--issuer acme)")
      ->type_name("URL");
  i->add_option("--acme-ca-file", flags->acme.ca_file, "Trust this CA file for the CA's own API")
      ->type_name("FILE");
  i->add_option("--email", flags->acme.email, "A contact for the CA's account")->type_name("EMAIL");
  i->add_option("--challenge", flags->acme.challenge,
                "How names are proved (default http-01; wildcards need dns-01)")
      ->check(CLI::IsMember({"http-01", "tls-alpn-01", "dns-01"}));
  i->add_option("--dns-hook", flags->acme.dns_hook,
                "dns-01: CMD present|cleanup NAME VALUE publishes|removes the TXT record")
      ->type_name("CMD");
  auto* kid = i->add_option("--eab-kid", flags->eab.kid,
                            "External Account Binding key id, for a CA that asks for one; kept "
                            "with the account")
                  ->type_name("ID");
  i->add_option("--eab-hmac-key", flags->eab.hmac_key,
                "External Account Binding HMAC key (base64url; or $GW_EAB_HMAC_KEY)")
      ->type_name("KEY")
      ->needs(kid);
  i->add_option("--key-type", flags->acme.key_type,
                "ecdsa-p256 (default), ecdsa-p384, rsa2048, rsa4096")
      ->type_name("TYPE");
  i->add_option("--profile", flags->acme.profile, "A certificate profile the CA offers")
      ->type_name("PROFILE");
  onRun(i, ctx, flags, runIssue);
}

}  // namespace gw::cli
