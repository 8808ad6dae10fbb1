#include "cli/gateway_flags.hpp"

#include <algorithm>
#include <array>
#include <filesystem>
#include <limits>
#include <tuple>

#include "cli/cert_store.hpp"
#include "cli/flags.hpp"

namespace gw::cli {
namespace {

// Every listener is named after its protocol; a second one of a protocol gets a suffix.
core::Result<std::vector<core::Listener>> listenersFromFlags(
    const std::vector<std::string>& ports) {
  std::vector<core::Listener> listeners;
  for (const auto& port : ports) {
    auto listener = parseListenerFlag(port);
    if (!listener) {
      return std::move(listener).error();
    }
    const std::string base = listener->name;
    for (int n = 2; std::any_of(listeners.begin(), listeners.end(),
                                [&](const core::Listener& l) { return l.name == listener->name; });
         ++n) {
      listener->name = base + "-" + std::to_string(n);
    }
    listeners.push_back(*listener);
  }
  return listeners;
}

core::Status applyPlacement(core::Gateway& gateway, const GatewayOptions& o) {
  const auto& given = o.given;
  if (given.contains("port")) {
    auto listeners = listenersFromFlags(o.ports);
    if (!listeners) {
      return std::move(listeners).error();
    }
    gateway.listeners = std::move(*listeners);
  }
  if (given.contains("address")) {
    gateway.address = o.address;
  }
  if (given.contains("replicas")) {
    auto replicas = parseReplicasFlag(o.replicas);
    if (!replicas) {
      return std::move(replicas).error();
    }
    gateway.replicas = *replicas;
  }
  if (given.contains("service-type")) {
    gateway.service_type = o.service_type;
  }
  return core::Ok{};
}

// Request limits and client timeouts; sizes take KiB/MiB suffixes.
core::Status applyProtection(core::Gateway& gateway, const GatewayOptions& o) {
  const auto& given = o.given;
  if (given.contains("max-body-size")) {
    auto size = parseByteSizeFlag("--max-body-size", o.max_body_size);
    if (!size) {
      return std::move(size).error();
    }
    gateway.limits.max_body_bytes = *size;
  }
  if (given.contains("max-header-size")) {
    auto size = parseByteSizeFlag("--max-header-size", o.max_header_size);
    if (!size) {
      return std::move(size).error();
    }
    if (*size > std::numeric_limits<std::uint32_t>::max()) {
      return usageError("invalid --max-header-size \"" + o.max_header_size + "\": at most 4GiB");
    }
    gateway.limits.max_header_bytes = static_cast<std::uint32_t>(*size);
  }
  const std::array<std::tuple<const char*, const std::string*, core::Millis*>, 3> timeouts{{
      {"header-read-timeout", &o.header_read_timeout, &gateway.timeouts.header_read},
      {"idle-timeout", &o.idle_timeout, &gateway.timeouts.idle},
      {"write-timeout", &o.write_timeout, &gateway.timeouts.write},
  }};
  for (const auto& [flag, text, target] : timeouts) {
    if (!given.contains(flag)) {
      continue;
    }
    auto timeout = parseDurationFlag(std::string("--") + flag, *text);
    if (!timeout) {
      return std::move(timeout).error();
    }
    *target = *timeout;
  }
  return core::Ok{};
}

// --hsts sets the max-age (HSTS starts with it); the other two change an HSTS there is.
core::Status applyHsts(core::Gateway& gateway, const GatewayOptions& o) {
  const auto& given = o.given;
  if (given.contains("no-hsts")) {
    gateway.hsts.reset();
    return core::Ok{};
  }
  if (given.contains("hsts")) {
    auto age = parseDurationFlag("--hsts", o.hsts);
    if (!age) {
      return std::move(age).error();
    }
    if (age->count() % 1000 != 0) {
      return usageError("invalid --hsts \"" + o.hsts +
                        "\": expected whole seconds, like 1y, 180d or 3600s");
    }
    if (!gateway.hsts) {
      gateway.hsts = core::Hsts{};
    }
    gateway.hsts->max_age = std::chrono::duration_cast<std::chrono::seconds>(*age);
  }
  const std::array<std::tuple<const char*, bool, bool core::Hsts::*>, 2> switches{{
      {"hsts-include-subdomains", o.hsts_include_subdomains, &core::Hsts::include_subdomains},
      {"hsts-preload", o.hsts_preload, &core::Hsts::preload},
  }};
  for (const auto& [flag, value, member] : switches) {
    if (!given.contains(flag)) {
      continue;
    }
    if (!gateway.hsts) {
      return usageError(std::string("--") + flag +
                        " needs --hsts MAX_AGE (or a gateway with HSTS)");
    }
    (*gateway.hsts).*member = value;
  }
  return core::Ok{};
}

// The gateway's ACME settings the user named; paths are kept absolute, since the gateway
// does not run where the command did.
core::Status applyAcmeOrder(core::AcmeOrder& acme, const GatewayOptions& o) {
  const auto& given = o.given;
  if (given.contains("tls-challenge")) {
    acme.challenge = o.tls_challenge == "http-01" ? "" : o.tls_challenge;  // the default
  }
  if (given.contains("tls-dns-hook")) {
    // The gateway runs the hook from elsewhere: a path relative to here is kept absolute.
    const std::filesystem::path hook(o.tls_dns_hook);
    const bool relative_path = hook.is_relative() && o.tls_dns_hook.find('/') != std::string::npos;
    acme.dns_hook = relative_path ? std::filesystem::absolute(hook).lexically_normal().string()
                                  : o.tls_dns_hook;
  }
  if (given.contains("tls-email")) {
    acme.email = o.tls_email;
  }
  if (given.contains("tls-acme-directory")) {
    acme.directory = o.tls_acme_directory;
  }
  if (given.contains("tls-acme-ca-file") && !o.tls_acme_ca_file.empty()) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(o.tls_acme_ca_file, ec)) {
      return usageError("--tls-acme-ca-file " + o.tls_acme_ca_file + ": no such file");
    }
  }
  if (given.contains("tls-acme-ca-file")) {
    // The document needs an absolute path: the proxy does not run where the command did.
    acme.ca_file = o.tls_acme_ca_file.empty()
                       ? std::string()
                       : std::filesystem::absolute(o.tls_acme_ca_file).lexically_normal().string();
  }
  return core::Ok{};
}

core::Status applyTls(core::Gateway& gateway, const GatewayOptions& o) {
  const auto& given = o.given;
  if (given.contains("tls")) {
    if (!gateway.tls) {
      gateway.tls = core::GatewayTls{};
    }
    gateway.tls->mode = core::parseTlsMode(o.tls).value_or(core::GatewayTls::Mode::kManual);
  }
  for (const char* flag : {"tls-issuer", "tls-email", "tls-acme-directory", "tls-acme-ca-file",
                           "tls-challenge", "tls-dns-hook", "tls-eab-kid"}) {
    if (given.contains(flag) && !gateway.tls) {
      return usageError(std::string("--") + flag +
                        " needs --tls auto|manual (or a gateway with tls settings)");
    }
  }
  if (!gateway.tls) {
    return core::Ok{};
  }
  core::GatewayTls& tls = *gateway.tls;
  if (given.contains("tls-issuer")) {
    tls.issuer = core::parseIssuer(o.tls_issuer).value_or(core::Issuer::kLetsEncrypt);
    if (tls.issuer == core::Issuer::kInternal) {
      tls.acme = {};  // the internal issuer orders nothing from a CA
    } else if (tls.issuer != core::Issuer::kAcme) {
      tls.acme.directory.clear();  // it only goes with issuer acme
    }
  }
  return applyAcmeOrder(tls.acme, o);
}

void addProtectionFlags(CLI::App* sub, GatewayOptions& o) {
  sub->add_option("--max-body-size", o.max_body_size,
                  "Largest request body, e.g. 8MiB (default); larger ones get 413")
      ->type_name("SIZE");
  sub->add_option("--max-header-size", o.max_header_size,
                  "Largest request head, e.g. 16KiB (default); larger ones get 431")
      ->type_name("SIZE");
  sub->add_option("--header-read-timeout", o.header_read_timeout,
                  "Time a client has to send the request head (default 10s)")
      ->type_name("DURATION");
  sub->add_option("--idle-timeout", o.idle_timeout,
                  "Time a keep-alive connection may wait for its next request (default 60s)")
      ->type_name("DURATION");
  sub->add_option("--write-timeout", o.write_timeout,
                  "Time a client may take to read each part of an answer (default 60s)")
      ->type_name("DURATION");
}

void addHttpsFlags(CLI::App* sub, GatewayOptions& o, bool creating) {
  auto* redirect = sub->add_flag("--https-redirect", o.https_redirect,
                                 "Redirect every request on the http listeners to the first "
                                 "https listener (301 for GET and HEAD, 308 otherwise)");
  auto* hsts = sub->add_option("--hsts", o.hsts,
                               "Send Strict-Transport-Security with this max-age (e.g. 1y, "
                               "180d) on every answer of the https listeners")
                   ->type_name("MAX_AGE");
  auto* subdomains = sub->add_flag("--hsts-include-subdomains", o.hsts_include_subdomains,
                                   "HSTS covers the hosts' subdomains too");
  auto* preload = sub->add_flag("--hsts-preload", o.hsts_preload,
                                "Mark HSTS for browsers' preload list (needs --hsts 1y or more "
                                "and --hsts-include-subdomains)");
  sub->add_option("--tls", o.tls,
                  "auto: an issuer gets and renews certificates with the --tls-* settings; "
                  "manual: gw cert issue and gw cert import")
      ->check(CLI::IsMember({"auto", "manual"}));
  sub->add_option("--tls-issuer", o.tls_issuer,
                  "Who issues: letsencrypt (default), letsencrypt-staging, acme or internal")
      ->check(CLI::IsMember({"letsencrypt", "letsencrypt-staging", "acme", "internal"}));
  sub->add_option("--tls-email", o.tls_email, "A contact for the CA's account")->type_name("EMAIL");
  sub->add_option("--tls-acme-directory", o.tls_acme_directory,
                  "The CA's directory URL (--tls-issuer acme)")
      ->type_name("URL");
  sub->add_option("--tls-challenge", o.tls_challenge,
                  "How the CA checks the names: http-01 (default), tls-alpn-01 or dns-01")
      ->check(CLI::IsMember({"http-01", "tls-alpn-01", "dns-01"}));
  sub->add_option("--tls-dns-hook", o.tls_dns_hook,
                  "dns-01: the command that publishes the TXT record (as gw cert issue "
                  "--dns-hook); also lets wildcard hosts get certificates")
      ->type_name("CMD");
  sub->add_option("--tls-acme-ca-file", o.tls_acme_ca_file,
                  "Trust this CA file for the CA's own API (\"\" removes it)")
      ->type_name("FILE");
  auto* kid = sub->add_option("--tls-eab-kid", o.tls_eab_kid,
                              "External Account Binding key id, for a CA that asks for one; "
                              "kept with the account, not in the document")
                  ->type_name("ID");
  sub->add_option("--tls-eab-hmac-key", o.tls_eab_hmac_key,
                  "External Account Binding HMAC key (base64url; or $GW_EAB_HMAC_KEY)")
      ->type_name("KEY")
      ->needs(kid);
  if (!creating) {
    sub->add_flag("--no-https-redirect", o.no_https_redirect, "Stop redirecting to https")
        ->excludes(redirect);
    sub->add_flag("--no-hsts", o.no_hsts, "Stop sending Strict-Transport-Security")
        ->excludes(hsts)
        ->excludes(subdomains)
        ->excludes(preload);
  }
}

}  // namespace

core::Status applyGatewayFlags(core::Gateway& gateway, const GatewayOptions& o) {
  if (auto s = applyPlacement(gateway, o); !s) {
    return s;
  }
  if (auto s = applyProtection(gateway, o); !s) {
    return s;
  }
  if (o.given.contains("https-redirect")) {
    gateway.https_redirect = o.https_redirect;
  } else if (o.given.contains("no-https-redirect")) {
    gateway.https_redirect = false;
  }
  if (auto s = applyHsts(gateway, o); !s) {
    return s;
  }
  if (auto s = applyGatewayAccess(gateway, o.access, o.given); !s) {
    return s;
  }
  if (auto s = applyLimitFlags(gateway.rate_limits, o.limits, o.given); !s) {
    return s;
  }
  if (auto s = applyCompressFlags(gateway.compress, o.compress, o.given); !s) {
    return s;
  }
  return applyTls(gateway, o);
}

core::Status keepGatewayAccountBinding(const core::Gateway& gateway, const GatewayOptions& o,
                                       const acme::IssuerHome& home) {
  if (o.tls_eab_kid.empty()) {
    return core::Ok{};
  }
  if (!gateway.tls || gateway.tls->issuer == core::Issuer::kInternal ||
      gateway.tls->issuer == core::Issuer::kImported) {
    return usageError("--tls-eab-kid: the gateway's issuer has no accounts (--tls-issuer)");
  }
  const acme::ExternalAccountBinding eab{o.tls_eab_kid, eabHmacKey(o.tls_eab_hmac_key)};
  if (eab.hmac_key.empty()) {
    return usageError("--tls-eab-kid needs --tls-eab-hmac-key KEY (or $GW_EAB_HMAC_KEY)");
  }
  return acme::keepAccountBinding(home, acme::directoryUrl(gateway.tls->issuer, gateway.tls->acme),
                                  eab);
}

void addGatewayFlags(CLI::App* sub, GatewayOptions& o, bool creating) {
  auto* port = sub->add_option("--port", o.ports,
                               "A listener as PROTOCOL:PORT (http or https); repeat for more "
                               "(update: the given list replaces the old one)")
                   ->type_name("PROTO:PORT");
  if (creating) {
    port->required();
  }
  sub->add_option("--address", o.address,
                  "Address to bind (default 127.0.0.1: this host only; 0.0.0.0: every interface)")
      ->type_name("ADDRESS");
  sub->add_option("--replicas", o.replicas,
                  "Cluster mode only: replica range MIN:MAX (kept, unused in local mode)")
      ->type_name("MIN:MAX");
  sub->add_option("--service-type", o.service_type,
                  "Cluster mode only: Kubernetes Service type, e.g. LoadBalancer (kept, unused "
                  "in local mode)")
      ->type_name("TYPE");
  addProtectionFlags(sub, o);
  addHttpsFlags(sub, o, creating);
  addAccessFlags(sub, o.access, false);
  addLimitFlags(sub, o.limits);
  addCompressFlags(sub, o.compress);
}

}  // namespace gw::cli
