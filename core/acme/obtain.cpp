#include "core/acme/obtain.hpp"

#include "core/acme/client.hpp"
#include "core/acme/encoding.hpp"
#include "core/acme/internal_issuer.hpp"
#include "core/acme/names.hpp"
#include "core/acme/responders.hpp"
#include "core/store/home.hpp"

namespace gw::acme {
namespace {

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
    auto dir = home.acme_dir / "accounts" / hex(sha256(directory)).substr(0, 16);
    auto key = accountKey(dir);
    if (!key) {
      return std::move(key).error();
    }
    AccountSettings account;
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

bool isAcme(core::Issuer issuer) {
  return issuer == core::Issuer::kLetsEncrypt || issuer == core::Issuer::kLetsEncryptStaging ||
         issuer == core::Issuer::kAcme;
}

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

std::string directoryUrl(const core::Certificate& entry) {
  switch (entry.issuer) {
    case core::Issuer::kLetsEncrypt:
      return entry.acme.directory.empty() ? std::string(kLetsEncryptDirectory)
                                          : entry.acme.directory;
    case core::Issuer::kLetsEncryptStaging:
      return entry.acme.directory.empty() ? std::string(kLetsEncryptStagingDirectory)
                                          : entry.acme.directory;
    default:
      return entry.acme.directory;
  }
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
  if (!isAcme(entry.issuer)) {
    return core::makeError(core::ErrorKind::kUsage, "certificate " + entry.name +
                                                        ": imported, so gw cannot renew it; " +
                                                        "import a new one with gw cert import");
  }
  return fromAcme(home, entry, *domains, options);
}

core::Status revoke(const IssuerHome& home, const core::Certificate& entry,
                    std::string_view chain_pem, int reason) {
  if (!isAcme(entry.issuer)) {
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
  if (!isAcme(entry.issuer)) {
    return std::optional<RenewalWindow>();
  }
  auto account = Account::open(home, entry);
  if (!account) {
    return std::move(account).error();
  }
  return account->client().renewalInfo(chain_pem);
}

}  // namespace gw::acme
