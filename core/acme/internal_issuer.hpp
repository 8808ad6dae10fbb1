#pragma once
// The internal issuer: a local CA in a folder the caller gives ($GW_HOME/ca), so gw can serve
// https offline and in development. The root (P-256, 10 years) is made on first use:
//
//   <folder>/root-key.pem   the root's private key (0600)
//   <folder>/root.pem       the root certificate: trust this one in the browser or curl
//
// Leaves are signed by the root directly (90 days by default). The caller serializes writers
// (the home's lock); this class only creates files that are missing.

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "core/acme/certificate.hpp"
#include "core/acme/key.hpp"
#include "core/result.hpp"

namespace gw::acme {

struct InternalIssueOptions {
  std::chrono::hours validity{90 * 24};
  KeyType key_type = KeyType::kEcdsaP256;
};

class InternalIssuer {
 public:
  // Loads the CA in `folder`, or makes it when the folder holds none. A folder with only one
  // of the two files, or a key that does not match the root, is refused.
  static core::Result<InternalIssuer> open(const std::filesystem::path& folder);

  const std::filesystem::path& rootCertificatePath() const { return root_path_; }
  const std::string& rootPem() const { return root_pem_; }
  // Whether open() made a new root (so the CLI can say where it is, once).
  bool created() const { return created_; }

  // A leaf for `names` (validated like ACME names), signed by the root; chain_pem is the
  // leaf alone, since a client that trusts the root needs nothing in between.
  core::Result<IssuedCertificate> issue(const std::vector<std::string>& names,
                                        const InternalIssueOptions& options = {}) const;

 private:
  InternalIssuer(std::filesystem::path root_path, std::string root_pem, PrivateKey root_key,
                 bool created);

  std::filesystem::path root_path_;
  std::string root_pem_;
  PrivateKey root_key_;
  bool created_ = false;
};

}  // namespace gw::acme
