#pragma once
// Where the CLI keeps a certificate: its files in the home (certs/<name>/cert.pem, key.pem
// 0600) and its entry in the document, written together so the reload that follows serves
// the new files; on a refused change the old files are put back.

#include <filesystem>
#include <string>
#include <vector>

#include "cli/context.hpp"
#include "core/config/model.hpp"
#include "core/result.hpp"

namespace gw::cli {

std::filesystem::path certDir(const Context& ctx, const std::string& name);

struct StoredCertificate {
  std::string name;
  std::vector<std::string> domains;
  core::Issuer issuer = core::Issuer::kLetsEncrypt;
  std::string gateway;  // "" = every gateway
  std::string chain_pem;
  std::string key_pem;
};

// `verb` says what happened in the confirmation line ("imported", "issued").
core::Status storeCertificate(const Context& ctx, const StoredCertificate& cert,
                              const std::string& verb);

}  // namespace gw::cli
