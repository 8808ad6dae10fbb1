#include "core/acme/client.hpp"

#include <utility>

#include "core/acme/certificate.hpp"
#include "core/acme/encoding.hpp"
#include "core/acme/jws.hpp"
#include "core/acme/names.hpp"
#include "core/acme/order_flow.hpp"

#ifndef GW_VERSION
#define GW_VERSION "unknown"
#endif

namespace gw::acme {

namespace {

using core::ErrorKind;
using core::makeError;

HttpSettings httpSettings(const AcmeSettings& s) {
  HttpSettings http;
  http.ca_file = s.ca_file;
  http.timeout = s.request_timeout;
  http.connect_timeout = s.connect_timeout;
  http.user_agent = s.user_agent.empty() ? std::string("gw/") + GW_VERSION : s.user_agent;
  return http;
}

core::Result<nlohmann::json> contactList(const std::vector<std::string>& emails) {
  nlohmann::json contact = nlohmann::json::array();
  for (const auto& email : emails) {
    const std::size_t at = email.find('@');
    if (at == std::string::npos || at == 0 || at + 1 == email.size() ||
        email.find_first_of(" ,;<>\"") != std::string::npos) {
      return makeError(ErrorKind::kUsage, "'" + email + "' is not an e-mail address");
    }
    contact.push_back("mailto:" + email);
  }
  return contact;
}

}  // namespace

core::Result<RenewalWindow> parseRenewalInfo(const nlohmann::json& doc,
                                             std::optional<SystemTime> retry_after,
                                             const std::string& what) {
  const auto window = doc.find("suggestedWindow");
  if (window == doc.end() || !window->is_object()) {
    return makeError(ErrorKind::kRuntime, what + ": the answer has no suggestedWindow");
  }
  const auto start = parseRfc3339(window->value("start", ""));
  const auto end = parseRfc3339(window->value("end", ""));
  if (!start || !end || *end <= *start) {
    return makeError(ErrorKind::kRuntime, what + ": the suggested window is not a time range");
  }
  return RenewalWindow{*start, *end, doc.value("explanationURL", ""), retry_after};
}

AcmeClient::AcmeClient(AcmeSettings settings, PrivateKey account_key, AccountSettings account)
    : transport_(settings.directory_url, httpSettings(settings), settings.bad_nonce_retries),
      account_key_(std::move(account_key)),
      account_(std::move(account)) {}

core::Result<Directory> AcmeClient::directory() {
  auto dir = transport_.directory();
  if (!dir) {
    return std::move(dir).error();
  }
  return **dir;
}

core::Error AcmeClient::refusal(const std::string& what, const HttpResponse& response) {
  if (auto when =
          parseRetryAfter(response.header("retry-after"), std::chrono::system_clock::now())) {
    retry_after_ = when;
  }
  return answerError(what, response);
}

core::Result<std::string> AcmeClient::newAccount(bool only_existing) {
  auto dir = transport_.directory();
  if (!dir) {
    return std::move(dir).error();
  }
  const std::string what = std::string(only_existing ? "finding" : "creating") +
                           " the ACME account at " + transport_.directoryUrl();
  nlohmann::json payload = nlohmann::json::object();
  if (only_existing) {
    payload["onlyReturnExisting"] = true;
  } else {
    auto contact = contactList(account_.contact_emails);
    if (!contact) {
      return std::move(contact).error().context(what);
    }
    if (!contact->empty()) {
      payload["contact"] = std::move(*contact);
    }
    payload["termsOfServiceAgreed"] = account_.terms_of_service_agreed;
    if (account_.eab) {
      auto binding = externalAccountBinding(account_key_, account_.eab->kid, account_.eab->hmac_key,
                                            (*dir)->new_account);
      if (!binding) {
        return std::move(binding).error().context(what);
      }
      payload["externalAccountBinding"] = std::move(*binding);
    }
  }
  // No kid yet: a newAccount request is signed with the JWK (RFC 8555 section 6.2).
  auto response = transport_.post((*dir)->new_account, payload.dump(), Signer{&account_key_, ""});
  if (!response) {
    return std::move(response).error().context(what);
  }
  if (only_existing && isProblem(*response, "accountDoesNotExist")) {
    return makeError(ErrorKind::kNotFound, what + ": the CA has no account for this key");
  }
  // 201: created; 200: this key already had an account, and this is it (section 7.3.1).
  if (response->status != 200 && response->status != 201) {
    return refusal(what, *response);
  }
  std::string url = response->header("location");
  if (url.empty()) {
    return makeError(ErrorKind::kRuntime, what + ": the CA gave no account URL");
  }
  account_.url = url;
  return url;
}

core::Result<std::string> AcmeClient::registerAccount() {
  if (!account_.url.empty()) {
    return account_.url;
  }
  return newAccount(false);
}

core::Result<std::string> AcmeClient::findAccount() { return newAccount(true); }

core::Status AcmeClient::ensureAccount() {
  auto url = registerAccount();
  if (!url) {
    return std::move(url).error();
  }
  return core::Ok{};
}

core::Result<IssuedCertificate> AcmeClient::issue(const std::vector<std::string>& names,
                                                  const IssueOptions& options,
                                                  ChallengeResponder& responder) {
  auto domains = normalizeDomains(names);
  if (!domains) {
    return std::move(domains).error();
  }
  for (const auto& d : *domains) {
    if (d.starts_with("*.") && options.challenge != ChallengeType::kDns01) {
      return makeError(ErrorKind::kUsage, d + ": a wildcard name can only be proven with DNS-01");
    }
  }
  auto status = ensureAccount();
  if (!status) {
    return std::move(status).error();
  }
  OrderFlow flow(*this, options, responder);
  return flow.run(*domains);
}

core::Status AcmeClient::revoke(std::string_view cert_pem, int reason) {
  auto der = certificateDer(cert_pem);
  if (!der) {
    return std::move(der).error().context("revoking");
  }
  auto dir = transport_.directory();
  if (!dir) {
    return std::move(dir).error();
  }
  if ((*dir)->revoke_cert.empty()) {
    return makeError(ErrorKind::kRuntime, "the CA offers no revocation");
  }
  auto status = ensureAccount();
  if (!status) {
    return std::move(status).error();
  }
  const nlohmann::json payload{{"certificate", base64url(*der)}, {"reason", reason}};
  auto response = transport_.post((*dir)->revoke_cert, payload.dump(), signer());
  if (!response) {
    return std::move(response).error().context("revoking the certificate");
  }
  if (response->status != 200) {
    return refusal("revoking the certificate", *response);
  }
  return core::Ok{};
}

core::Result<std::optional<RenewalWindow>> AcmeClient::renewalInfo(std::string_view cert_pem) {
  auto dir = transport_.directory();
  if (!dir) {
    return std::move(dir).error();
  }
  if ((*dir)->renewal_info.empty()) {
    return std::optional<RenewalWindow>();
  }
  auto id = ariCertificateId(cert_pem);
  if (!id) {
    return std::move(id).error();
  }
  std::string url = (*dir)->renewal_info;
  if (!url.ends_with('/')) {
    url += '/';
  }
  url += *id;
  const std::string what = "asking the CA when to renew (" + url + ")";
  auto response = transport_.get(url);
  if (!response) {
    return std::move(response).error();
  }
  if (response->status != 200) {
    return refusal(what, *response);
  }
  auto doc = jsonBody(*response, what);
  if (!doc) {
    return std::move(doc).error();
  }
  auto window = parseRenewalInfo(
      *doc, parseRetryAfter(response->header("retry-after"), std::chrono::system_clock::now()),
      what);
  if (!window) {
    return std::move(window).error();
  }
  return std::optional<RenewalWindow>(std::move(*window));
}

}  // namespace gw::acme
