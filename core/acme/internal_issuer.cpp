#include "core/acme/internal_issuer.hpp"

#include <openssl/err.h>
#include <openssl/pem.h>

#include <system_error>
#include <utility>

#include "core/acme/names.hpp"
#include "core/acme/x509_build.hpp"
#include "core/store/home.hpp"

namespace gw::acme {

namespace {

using core::ErrorKind;
using core::makeError;

constexpr std::chrono::hours kRootValidity{10 * 365 * 24 + 2 * 24};  // ten years, leap days

core::Result<ossl::X509Ptr> readCertificate(const std::string& pem) {
  auto bio = ossl::readBio(pem);
  ossl::X509Ptr cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
  if (!cert) {
    ERR_clear_error();
    return makeError(ErrorKind::kRuntime, "not a certificate in PEM form");
  }
  return cert;
}

struct Root {
  std::string pem;
  PrivateKey key;
};

core::Result<Root> makeRoot(const std::filesystem::path& folder) {
  auto key = PrivateKey::generate(KeyType::kEcdsaP256);
  if (!key) {
    return std::move(key).error();
  }
  const auto now = std::chrono::system_clock::now();
  CertificateSpec spec;
  spec.organization = "gw";
  spec.common_name = "gw internal root (" + folder.filename().string() + ")";
  spec.not_before = now - std::chrono::hours(1);
  spec.not_after = now + kRootValidity;
  spec.is_ca = true;
  auto cert = buildCertificate(spec, key->native(), nullptr, key->native());
  if (!cert) {
    return std::move(cert).error();
  }
  return Root{certificatePem(cert->get()), std::move(*key)};
}

}  // namespace

InternalIssuer::InternalIssuer(std::filesystem::path root_path, std::string root_pem,
                               PrivateKey root_key, bool created)
    : root_path_(std::move(root_path)),
      root_pem_(std::move(root_pem)),
      root_key_(std::move(root_key)),
      created_(created) {}

core::Result<InternalIssuer> InternalIssuer::open(const std::filesystem::path& folder) {
  const auto key_path = folder / "root-key.pem";
  const auto cert_path = folder / "root.pem";
  const std::string where = "the internal CA in " + folder.string();
  std::error_code ec;
  const bool has_key = std::filesystem::exists(key_path, ec);
  const bool has_cert = std::filesystem::exists(cert_path, ec);
  if (has_key != has_cert) {
    return makeError(ErrorKind::kRuntime,
                     where + " is incomplete (" + (has_key ? "root.pem" : "root-key.pem") +
                         " is missing); move the folder away to start a new CA");
  }
  if (!has_key) {
    std::filesystem::create_directories(folder, ec);
    std::filesystem::permissions(folder, std::filesystem::perms::owner_all, ec);
    auto root = makeRoot(folder);
    if (!root) {
      return std::move(root).error().context(where);
    }
    // The key first: a root.pem without its key could never sign, a lone key is refused above.
    auto written = writeKeyFile(key_path, root->key.pem());
    if (written) {
      written = writeFileWithMode(cert_path, root->pem, 0644);
    }
    if (!written) {
      return std::move(written).error().context(where);
    }
    return InternalIssuer(cert_path, std::move(root->pem), std::move(root->key), true);
  }
  auto key = PrivateKey::load(key_path);
  if (!key) {
    return std::move(key).error().context(where);
  }
  auto pem = core::readFile(cert_path);
  if (!pem) {
    return std::move(pem).error().context(where);
  }
  auto matches = certificateMatchesKey(*pem, *key);
  if (!matches) {
    return std::move(matches).error().context(where + ": " + cert_path.string());
  }
  return InternalIssuer(cert_path, std::move(*pem), std::move(*key), false);
}

core::Result<IssuedCertificate> InternalIssuer::issue(const std::vector<std::string>& names,
                                                      const InternalIssueOptions& options) const {
  auto domains = normalizeDomains(names);
  if (!domains) {
    return std::move(domains).error();
  }
  auto root = readCertificate(root_pem_);
  if (!root) {
    return std::move(root).error().context(root_path_.string());
  }
  auto key = PrivateKey::generate(options.key_type);
  if (!key) {
    return std::move(key).error();
  }
  const auto now = std::chrono::system_clock::now();
  CertificateSpec spec;
  spec.common_name = domains->front();
  spec.dns_names = *domains;
  // A little in the past, so a client whose clock lags a few minutes accepts it at once.
  spec.not_before = now - std::chrono::minutes(5);
  spec.not_after = now + options.validity;
  spec.server_auth = true;
  auto leaf = buildCertificate(spec, key->native(), root->get(), root_key_.native());
  if (!leaf) {
    return std::move(leaf).error().context("issuing from the internal CA");
  }
  IssuedCertificate out;
  out.key_pem = key->pem();
  out.chain_pem = certificatePem(leaf->get());
  out.not_after =
      std::chrono::system_clock::from_time_t(std::chrono::system_clock::to_time_t(spec.not_after));
  return out;
}

}  // namespace gw::acme
