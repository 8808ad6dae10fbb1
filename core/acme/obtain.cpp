#include "core/acme/obtain.hpp"

#include <nlohmann/json.hpp>

#include "core/acme/client.hpp"
#include "core/acme/encoding.hpp"
#include "core/acme/internal_issuer.hpp"
#include "core/acme/names.hpp"
#include "core/acme/responders.hpp"
#include "core/store/home.hpp"

namespace gw::acme {
namespace {

std::filesystem::path accountDir(const IssuerHome& home, std::string_view directory_url) {
  return home.acme_dir / "accounts" / hex(sha256(directory_url)).substr(0, 16);
}

// The binding kept for the account in `dir`, if any.
core::Result<std::optional<ExternalAccountBinding>> keptBinding(const std::filesystem::path& dir) {
  const auto file = dir / "eab.json";
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) {
    return std::optional<ExternalAccountBinding>();
  }
  auto text = core::readFile(file);
  if (!text) {
    return std::move(text).error();
  }
  auto doc = nlohmann::json::parse(*text, nullptr, false);
  if (!doc.is_object() || !doc.value("kid", nlohmann::json()).is_string() ||
      !doc.value("hmacKey", nlohmann::json()).is_string()) {
    return core::makeError(core::ErrorKind::kRuntime,
                           file.string() + ": not an External Account Binding (kid, hmacKey)");
  }
  return std::optional<ExternalAccountBinding>(
      ExternalAccountBinding{doc["kid"].get<std::string>(), doc["hmacKey"].get<std::string>()});
}

// The account key for one directory, made and kept (0600) on first use: one account per CA.
core::Result<PrivateKey> accountKey(const std::filesystem::path& dir) {
  const auto file = dir / "account-key.pem";
  std::error_code ec;
  if (std::filesystem::exists(file, ec)) {
    return PrivateKey::load(file);
  }
  auto key = PrivateKey::generate(KeyType::kEcdsaP256);
  if (!key) {
    return std::move(key).error();
  }
  std::filesystem::create_directories(dir, ec);
  if (auto written = writeKeyFile(file, key->pem()); !written) {
    return std::move(written).error();
  }
  return key;
}

// A client for the entry's CA, signed in with the kept account (or ready to make one).
class Account {
 public:
  static core::Result<Account> open(const IssuerHome& home, const core::Certificate& entry) {
    const std::string directory = directoryUrl(entry);
    auto dir = accountDir(home, directory);
    auto key = accountKey(dir);
    if (!key) {
      return std::move(key).error();
    }
    auto binding = keptBinding(dir);
    if (!binding) {
      return std::move(binding).error();
    }
    AccountSettings account;
    account.eab = *binding;
    account.terms_of_service_agreed = true;
    if (!entry.acme.email.empty()) {
      account.contact_emails.push_back(entry.acme.email);
    }
    if (auto url = core::readFile(dir / "url")) {
      account.url = *url;
    }
    AcmeSettings settings;
    settings.directory_url = directory;
    settings.ca_file = entry.acme.ca_file;
    return Account(std::move(dir), AcmeClient(settings, std::move(*key), account));
  }

  AcmeClient& client() { return client_; }

  // Keeps the account URL: the next order skips the lookup.
  void keep() {
    if (!client_.accountUrl().empty()) {
      static_cast<void>(core::writeFileAtomic(dir_ / "url", client_.accountUrl(), 0600));
    }
  }

 private:
  Account(std::filesystem::path dir, AcmeClient client)
      : dir_(std::move(dir)), client_(std::move(client)) {}

  std::filesystem::path dir_;
  AcmeClient client_;
};

core::Result<IssuedCertificate> fromAcme(const IssuerHome& home, const core::Certificate& entry,
                                         const std::vector<std::string>& domains,
                                         const ObtainOptions& options) {
  const core::AcmeOrder& order = entry.acme;
  auto challenge = parseChallengeType(order.challenge.empty() ? "http-01" : order.challenge);
  if (!challenge) {
    return std::move(challenge).error();
  }
  auto key_type = parseKeyType(order.key_type.empty() ? "ecdsa-p256" : order.key_type);
  if (!key_type) {
    return std::move(key_type).error();
  }
  auto responder = makeResponder(*challenge, home.acme_dir, order.dns_hook);
  if (!responder) {
    return std::move(responder).error();
  }
  IssueOptions issue;
  issue.challenge = *challenge;
  issue.key_type = *key_type;
  issue.profile = order.profile;
  issue.deadline = options.deadline;
  if (!options.previous_chain_pem.empty()) {
    if (auto id = ariCertificateId(options.previous_chain_pem)) {
      issue.replaces = *id;
    }
  }
  auto account = Account::open(home, entry);
  if (!account) {
    return std::move(account).error();
  }
  auto issued = account->client().issue(domains, issue, **responder);
  account->keep();
  return issued;
}

}  // namespace

std::string directoryUrl(core::Issuer issuer, const core::AcmeOrder& order) {
  switch (issuer) {
    case core::Issuer::kLetsEncrypt:
      return order.directory.empty() ? std::string(kLetsEncryptDirectory) : order.directory;
    case core::Issuer::kLetsEncryptStaging:
      return order.directory.empty() ? std::string(kLetsEncryptStagingDirectory) : order.directory;
    default:
      return order.directory;
  }
}

core::Status keepAccountBinding(const IssuerHome& home, std::string_view directory_url,
                                const ExternalAccountBinding& eab) {
  if (eab.kid.empty()) {
    return core::makeError(core::ErrorKind::kUsage, "External Account Binding: empty key id");
  }
  if (eab.hmac_key.empty() || !base64urlDecode(eab.hmac_key)) {
    return core::makeError(core::ErrorKind::kUsage,
                           "External Account Binding: the HMAC key is not base64url");
  }
  const auto dir = accountDir(home, directory_url);
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  const nlohmann::json doc = {{"kid", eab.kid}, {"hmacKey", eab.hmac_key}};
  return core::writeFileAtomic(dir / "eab.json", doc.dump() + "\n", 0600);
}

core::Result<IssuedCertificate> obtain(const IssuerHome& home, const core::Certificate& entry,
                                       const ObtainOptions& options) {
  auto domains = normalizeDomains(entry.domains);
  if (!domains) {
    return std::move(domains).error();
  }
  if (entry.issuer == core::Issuer::kInternal) {
    auto ca = InternalIssuer::open(home.ca_dir);
    if (!ca) {
      return std::move(ca).error();
    }
    return ca->issue(*domains);
  }
  if (!core::isAcme(entry.issuer)) {
    return core::makeError(core::ErrorKind::kUsage, "certificate " + entry.name +
                                                        ": imported, so gw cannot renew it; " +
                                                        "import a new one with gw cert import");
  }
  return fromAcme(home, entry, *domains, options);
}

core::Status revoke(const IssuerHome& home, const core::Certificate& entry,
                    std::string_view chain_pem, int reason) {
  if (!core::isAcme(entry.issuer)) {
    return core::makeError(core::ErrorKind::kUsage,
                           "certificate " + entry.name + ": issued by " +
                               core::toString(entry.issuer) +
                               ", which keeps no revocation list; delete it instead");
  }
  auto account = Account::open(home, entry);
  if (!account) {
    return std::move(account).error();
  }
  auto revoked = account->client().revoke(chain_pem, reason);
  account->keep();
  return revoked;
}

core::Result<std::optional<RenewalWindow>> renewalWindow(const IssuerHome& home,
                                                         const core::Certificate& entry,
                                                         std::string_view chain_pem) {
  if (!core::isAcme(entry.issuer)) {
    return std::optional<RenewalWindow>();
  }
  auto account = Account::open(home, entry);
  if (!account) {
    return std::move(account).error();
  }
  return account->client().renewalInfo(chain_pem);
}

}  // namespace gw::acme
