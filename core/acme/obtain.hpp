#pragma once
// Getting a certificate the way its document entry says (issuer, CA, challenge, key type),
// for `gw cert issue`, `gw cert renew` and the running gateway's own renewals alike:
//
//   IssuerHome home{home / "acme", home / "ca"};
//   auto issued = obtain(home, entry, {.previous_chain_pem = old_chain});
//
// The ACME account key is made once per CA directory and kept (0600) under
// <acme_dir>/accounts/<id>/, with the account URL beside it so later orders skip the lookup.
// A CA that binds accounts to an external one (RFC 8555 7.3.4) gets the key id and HMAC key
// kept there too (`eab.json`, 0600): credentials stay out of the document.

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "core/acme/certificate.hpp"
#include "core/acme/client.hpp"
#include "core/acme/renewal.hpp"
#include "core/config/model.hpp"
#include "core/result.hpp"

namespace gw::acme {

inline constexpr std::string_view kLetsEncryptDirectory =
    "https://acme-v02.api.letsencrypt.org/directory";
inline constexpr std::string_view kLetsEncryptStagingDirectory =
    "https://acme-staging-v02.api.letsencrypt.org/directory";

struct IssuerHome {
  std::filesystem::path acme_dir;  // accounts, and the challenge answers the gateway serves
  std::filesystem::path ca_dir;    // the internal issuer's CA
};

struct ObtainOptions {
  std::string previous_chain_pem;  // the certificate this one renews (ARI "replaces")
  std::chrono::milliseconds deadline = std::chrono::seconds(300);
};

// The directory URL an ACME order goes to: its own, or Let's Encrypt's.
std::string directoryUrl(core::Issuer issuer, const core::AcmeOrder& order);
inline std::string directoryUrl(const core::Certificate& entry) {
  return directoryUrl(entry.issuer, entry.acme);
}

// Keeps External Account Binding credentials for the CA at `directory_url`: its account is
// made with them. Refused (nothing written) when the key id is empty or the HMAC key is not
// base64url.
core::Status keepAccountBinding(const IssuerHome& home, std::string_view directory_url,
                                const ExternalAccountBinding& eab);

// A new certificate and key for entry.domains from entry's issuer (ACME or internal).
core::Result<IssuedCertificate> obtain(const IssuerHome& home, const core::Certificate& entry,
                                       const ObtainOptions& options = {});

// Revokes the first certificate of `chain_pem` with the account that ordered it; `reason` is
// an RFC 5280 CRLReason code. The internal issuer keeps no revocation list: refused.
core::Status revoke(const IssuerHome& home, const core::Certificate& entry,
                    std::string_view chain_pem, int reason);

// The CA's renewal window for `chain_pem` (ARI, RFC 9773), nullopt when it offers none or the
// issuer is not ACME.
core::Result<std::optional<RenewalWindow>> renewalWindow(const IssuerHome& home,
                                                         const core::Certificate& entry,
                                                         std::string_view chain_pem);

}  // namespace gw::acme
