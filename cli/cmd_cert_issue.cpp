// gw cert issue: a certificate from an ACME CA (Let's Encrypt by default, or any directory)
// or from the internal issuer, stored in the home and served from the next reload on.
// HTTP-01 answers are files the running gateway's http listeners serve
// (proxy/session/acme_challenge.hpp).

#include <filesystem>
#include <iostream>

#include "cli/cert_store.hpp"
#include "cli/command.hpp"
#include "cli/mutate.hpp"
#include "core/acme/client.hpp"
#include "core/acme/encoding.hpp"
#include "core/acme/internal_issuer.hpp"
#include "core/acme/names.hpp"
#include "core/store/home.hpp"

namespace gw::cli {
namespace {

constexpr const char* kLetsEncrypt = "https://acme-v02.api.letsencrypt.org/directory";
constexpr const char* kLetsEncryptStaging =
    "https://acme-staging-v02.api.letsencrypt.org/directory";

struct IssueFlags {
  std::vector<std::string> domains;
  std::string name;
  std::string gateway;
  std::string issuer = "letsencrypt";
  std::string directory;
  std::string ca_file;
  std::string email;
  std::string challenge = "http-01";
  std::string key_type = "ecdsa-p256";
  std::string profile;
};

// Pending HTTP-01 answers as files <dir>/<token>, which every http listener of the running
// gateway serves; removed again whatever the outcome.
class FileResponder final : public acme::ChallengeResponder {
 public:
  explicit FileResponder(std::filesystem::path dir) : dir_(std::move(dir)) {}
  core::Status present(const acme::Challenge& challenge) override {
    std::error_code ec;
    std::filesystem::create_directories(dir_, ec);
    return acme::writeFileWithMode(dir_ / challenge.token, challenge.key_authorization, 0644);
  }
  void cleanUp(const acme::Challenge& challenge) override {
    std::error_code ec;
    std::filesystem::remove(dir_ / challenge.token, ec);
  }

 private:
  std::filesystem::path dir_;
};

// The account key for one directory, made and kept (0600) on first use: one account per CA.
core::Result<acme::PrivateKey> accountKey(const std::filesystem::path& dir) {
  const auto file = dir / "account-key.pem";
  std::error_code ec;
  if (std::filesystem::exists(file, ec)) {
    return acme::PrivateKey::load(file);
  }
  auto key = acme::PrivateKey::generate(acme::KeyType::kEcdsaP256);
  if (!key) {
    return std::move(key).error();
  }
  std::filesystem::create_directories(dir, ec);
  if (auto written = acme::writeKeyFile(file, key->pem()); !written) {
    return std::move(written).error();
  }
  return key;
}

core::Result<acme::IssuedCertificate> fromAcme(const IssueFlags& f, const Context& ctx,
                                               const std::vector<std::string>& domains) {
  std::string directory = f.directory;
  if (f.issuer == "letsencrypt") {
    directory = kLetsEncrypt;
  } else if (f.issuer == "letsencrypt-staging") {
    directory = kLetsEncryptStaging;
  }
  auto challenge = acme::parseChallengeType(f.challenge);
  if (!challenge) {
    return core::makeError(core::ErrorKind::kUsage,
                           "--challenge " + f.challenge + ": " + challenge.error().message);
  }
  if (*challenge != acme::ChallengeType::kHttp01) {
    return core::makeError(
        core::ErrorKind::kUsage,
        "--challenge " + f.challenge + ": not served by the gateway yet; use http-01");
  }
  auto key_type = acme::parseKeyType(f.key_type);
  if (!key_type) {
    return core::makeError(core::ErrorKind::kUsage,
                           "--key-type " + f.key_type + ": " + key_type.error().message);
  }
  const auto acme_dir = ctx.home().file("acme");
  const auto account_dir = acme_dir / "accounts" / acme::hex(acme::sha256(directory)).substr(0, 16);
  auto key = accountKey(account_dir);
  if (!key) {
    return std::move(key).error();
  }
  acme::AccountSettings account;
  account.terms_of_service_agreed = true;
  if (!f.email.empty()) {
    account.contact_emails.push_back(f.email);
  }
  if (auto url = core::readFile(account_dir / "url")) {
    account.url = *url;
  }
  acme::AcmeSettings settings;
  settings.directory_url = directory;
  settings.ca_file = f.ca_file;
  acme::AcmeClient client(settings, std::move(*key), account);
  acme::IssueOptions options;
  options.challenge = *challenge;
  options.key_type = *key_type;
  options.profile = f.profile;
  FileResponder responder(acme_dir / "http-01");
  auto issued = client.issue(domains, options, responder);
  if (!client.accountUrl().empty()) {  // kept: the next order skips the account lookup
    static_cast<void>(core::writeFileAtomic(account_dir / "url", client.accountUrl(), 0600));
  }
  return issued;
}

core::Status runIssue(const IssueFlags& f, Context& ctx) {
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
  if (*issuer == core::Issuer::kAcme && f.directory.empty()) {
    return core::makeError(core::ErrorKind::kUsage, "--issuer acme needs --acme-directory URL");
  }
  auto config = readConfig(ctx);
  if (!config) {
    return std::move(config).error();
  }
  if (!f.gateway.empty() && config->findGateway(f.gateway) == nullptr) {
    return notFound("gateway", f.gateway);
  }
  acme::IssuedCertificate issued;
  if (*issuer == core::Issuer::kInternal) {
    auto ca = acme::InternalIssuer::open(ctx.home().file("ca"));
    if (!ca) {
      return std::move(ca).error();
    }
    auto made = ca->issue(*domains);
    if (!made) {
      return std::move(made).error();
    }
    issued = std::move(*made);
    std::cout << "internal issuer: clients must trust " << ca->rootCertificatePath().string()
              << '\n';
  } else {
    auto made = fromAcme(f, ctx, *domains);
    if (!made) {
      return std::move(made).error();
    }
    issued = std::move(*made);
  }
  const std::string name = f.name.empty() ? domains->front() : f.name;
  return storeCertificate(
      ctx, {name, *domains, *issuer, f.gateway, issued.chain_pem, issued.key_pem}, "issued");
}

}  // namespace

void setupCertIssue(CLI::App& cert, Context& ctx) {
  auto flags = std::make_shared<IssueFlags>();
  CLI::App* i = addCommand(
      cert, "issue", "Get a certificate from an ACME CA or the internal issuer, and serve it",
      "  gw cert issue --domain shop.test --gateway shop-ingress --email ops@shop.test\n"
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
  i->add_option("--acme-directory", flags->directory, "The CA's directory URL (--issuer acme)")
      ->type_name("URL");
  i->add_option("--acme-ca-file", flags->ca_file, "Trust this CA file for the CA's own API")
      ->type_name("FILE");
  i->add_option("--email", flags->email, "A contact for the CA's account")->type_name("EMAIL");
  i->add_option("--challenge", flags->challenge, "http-01 (default)")->type_name("TYPE");
  i->add_option("--key-type", flags->key_type, "ecdsa-p256 (default), ecdsa-p384, rsa2048, rsa4096")
      ->type_name("TYPE");
  i->add_option("--profile", flags->profile, "A certificate profile the CA offers")
      ->type_name("PROFILE");
  onRun(i, ctx, flags, runIssue);
}

}  // namespace gw::cli
