#pragma once
// gw's ACME client (RFC 8555) over libcurl and OpenSSL: account, order, challenges, finalize,
// download, revocation, and renewal information (ARI, RFC 9773).
//
//   AcmeClient client(settings, std::move(account_key), account);
//   auto cert = client.issue({"shop.test", "www.shop.test"}, options, responder);
//   // cert->key_pem, cert->chain_pem, cert->not_after; keep client.accountUrl()
//
// The caller keeps the account key (and may keep the account URL, which saves a request);
// registering the same key again finds the existing account. Challenges are answered by the
// ChallengeResponder the caller gives. Every failure is a core::Error whose message is one
// sentence naming the domain, the challenge and what the CA said; nothing throws.
//
// Not thread-safe: one client per thread (it holds a nonce pool and an HTTP handle).

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/acme/certificate.hpp"
#include "core/acme/challenge.hpp"
#include "core/acme/key.hpp"
#include "core/acme/renewal.hpp"
#include "core/acme/transport.hpp"
#include "core/result.hpp"

namespace gw::acme {

struct AcmeSettings {
  std::string directory_url;
  std::string ca_file;  // trust for the CA's own API (e.g. Pebble's); empty: the system's
  std::chrono::milliseconds request_timeout = std::chrono::seconds(30);
  std::chrono::milliseconds connect_timeout = std::chrono::seconds(10);
  std::string user_agent;  // empty: "gw/<version>"
  // badNonce rejections retried per request: a CA may refuse any nonce (RFC 8555 6.5), and
  // one that refuses many (Pebble at 50%) still lets an issuance of fifty requests through.
  int bad_nonce_retries = 20;
};

struct ExternalAccountBinding {
  std::string kid;
  std::string hmac_key;  // base64url, as the CA hands it out
};

struct AccountSettings {
  std::vector<std::string> contact_emails;
  bool terms_of_service_agreed = false;
  std::optional<ExternalAccountBinding> eab;
  std::string url;  // the account URL kept from before; empty: find or create it
};

struct IssueOptions {
  ChallengeType challenge = ChallengeType::kHttp01;
  KeyType key_type = KeyType::kEcdsaP256;
  std::string key_pem;   // the certificate's key to reuse; empty: a new one of key_type
  std::string profile;   // newOrder "profile"; refused when the CA lists profiles without it
  std::string replaces;  // ARI identifier of the certificate this one renews (RFC 9773 5)
  std::chrono::milliseconds deadline = std::chrono::seconds(300);  // the whole issuance
  // Polls start at first_poll and double up to max_poll, unless the CA's Retry-After says.
  std::chrono::milliseconds first_poll{200};
  std::chrono::milliseconds max_poll{5000};
};

// A renewalInfo answer (RFC 9773 section 4.2): the window, its explanation, and when to ask
// again (`retry_after`, from the header). `what` names the request in errors.
core::Result<RenewalWindow> parseRenewalInfo(const nlohmann::json& doc,
                                             std::optional<SystemTime> retry_after,
                                             const std::string& what);

class AcmeClient {
 public:
  AcmeClient(AcmeSettings settings, PrivateKey account_key, AccountSettings account);

  core::Result<Directory> directory();

  // Creates the account, or finds the existing one for this key (the CA answers 200 with
  // its URL); returns the account URL. With a URL in AccountSettings, returns it unchecked.
  core::Result<std::string> registerAccount();
  // The account of this key without creating one (onlyReturnExisting); kNotFound if none.
  core::Result<std::string> findAccount();
  const std::string& accountUrl() const { return account_.url; }
  const PrivateKey& accountKey() const { return account_key_; }

  // One whole issuance: account (when not known yet), order, challenges through `responder`
  // (cleanUp always called), finalize with a CSR, poll, download the chain.
  core::Result<IssuedCertificate> issue(const std::vector<std::string>& names,
                                        const IssueOptions& options, ChallengeResponder& responder);

  // Revokes the first certificate of `cert_pem` with the account key (RFC 8555 section
  // 7.6); `reason` is an RFC 5280 CRLReason code (0 unspecified, 4 superseded, ...).
  core::Status revoke(std::string_view cert_pem, int reason = 0);

  // The CA's suggested renewal window for the certificate (RFC 9773 section 4.2); nullopt
  // when the CA offers no ARI.
  core::Result<std::optional<RenewalWindow>> renewalInfo(std::string_view cert_pem);

  // The Retry-After of the last refusal that carried one (a rate limit), for backoff.
  std::optional<SystemTime> retryAfter() const { return retry_after_; }
  int badNonceRetries() const { return transport_.badNonceRetries(); }

 private:
  core::Result<std::string> newAccount(bool only_existing);
  core::Status ensureAccount();
  Signer signer() const { return Signer{&account_key_, account_.url}; }
  // answerError, also remembering the Retry-After.
  core::Error refusal(const std::string& what, const HttpResponse& response);

  friend class OrderFlow;

  AcmeTransport transport_;
  PrivateKey account_key_;
  AccountSettings account_;
  std::optional<SystemTime> retry_after_;
};

}  // namespace gw::acme
