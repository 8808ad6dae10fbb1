#pragma once
// The flags of `gw gateway create` and `gw gateway update`, and how they change a Gateway.

#include <CLI/CLI.hpp>
#include <set>
#include <string>
#include <vector>

#include "cli/access_flags.hpp"
#include "cli/compress_flags.hpp"
#include "cli/limit_flags.hpp"
#include "core/acme/obtain.hpp"
#include "core/config/model.hpp"
#include "core/result.hpp"

namespace gw::cli {

struct GatewayOptions {
  std::string name;
  std::vector<std::string> ports;
  std::string address;
  std::string replicas;
  std::string service_type;
  std::string max_body_size;
  std::string max_header_size;
  std::string header_read_timeout;
  std::string idle_timeout;
  std::string write_timeout;
  bool https_redirect = false;
  bool no_https_redirect = false;  // update only
  std::string hsts;                // max-age
  bool hsts_include_subdomains = false;
  bool hsts_preload = false;
  bool no_hsts = false;  // update only
  std::string tls;       // auto or manual
  std::string tls_issuer;
  std::string tls_email;
  std::string tls_acme_directory;
  std::string tls_acme_ca_file;
  std::string tls_challenge;
  std::string tls_dns_hook;
  std::string tls_eab_kid;  // kept with the CA's account, never in the document
  std::string tls_eab_hmac_key;
  AccessFlags access;
  LimitFlags limits;
  CompressFlags compress;
  std::set<std::string> given;  // the flags on the command line (update replaces only those)
};

// `creating`: --port is required and the --no-* flags are left out.
void addGatewayFlags(CLI::App* sub, GatewayOptions& o, bool creating);

// Sets what the user named; values that do not parse are usage errors, the rest is left to
// validation.
core::Status applyGatewayFlags(core::Gateway& gateway, const GatewayOptions& o);

// --tls-eab-kid/--tls-eab-hmac-key: kept with the account of the gateway's CA (after
// applyGatewayFlags, before the gateway is reloaded, so its first order has them).
core::Status keepGatewayAccountBinding(const core::Gateway& gateway, const GatewayOptions& o,
                                       const acme::IssuerHome& home);

}  // namespace gw::cli
