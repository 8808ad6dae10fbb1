#include "proxy/snapshot/certificates.hpp"

#include <algorithm>
#include <filesystem>

#include "core/config/auto_tls.hpp"
#include "proxy/tls/client_auth.hpp"

namespace gw::proxy {

std::shared_ptr<const tls::ServerTls> gatewayTls(const core::Config& config,
                                                 const core::Gateway& gateway,
                                                 const std::string& certs_dir,
                                                 const std::string& tls_alpn01_dir,
                                                 tls::CertificateCache& cache,
                                                 std::vector<std::string>& problems) {
  if (!gateway.hasHttps() || (certs_dir.empty() && tls_alpn01_dir.empty())) {
    return nullptr;
  }
  std::vector<tls::CertificateFiles> files;
  for (const core::Certificate& certificate : config.certificates) {
    if (certs_dir.empty() ||
        (!certificate.gateway.empty() && certificate.gateway != gateway.name)) {
      continue;
    }
    const std::filesystem::path dir = std::filesystem::path(certs_dir) / certificate.name;
    tls::CertificateFiles entry{certificate.name, (dir / "cert.pem").string(),
                                (dir / "key.pem").string()};
    std::error_code ec;
    if (!std::filesystem::exists(entry.cert_file, ec)) {
      problems.push_back("certificate " + certificate.name + ": not issued yet (no " +
                         entry.cert_file + ")");
      continue;
    }
    files.push_back(std::move(entry));
  }
  if (!certs_dir.empty()) {  // automatic HTTPS: those issued so far (the rest are coming)
    for (const core::Certificate& certificate : core::autoCertificates(config, gateway)) {
      const std::filesystem::path dir = std::filesystem::path(certs_dir) / certificate.name;
      tls::CertificateFiles entry{certificate.name, (dir / "cert.pem").string(),
                                  (dir / "key.pem").string()};
      std::error_code ec;
      if (std::filesystem::exists(entry.cert_file, ec)) {
        files.push_back(std::move(entry));
      }
    }
  }
  std::shared_ptr<const tls::ClientAuth> client_auth;
  if (gateway.client_certificates) {
    std::string problem;
    client_auth = tls::ClientAuth::build(*gateway.client_certificates, problem);
    if (!client_auth) {  // fail closed: no https rather than https without the check
      problems.push_back("gateway " + gateway.name + ": " + problem);
      return nullptr;
    }
  }
  return tls::ServerTls::build(files, cache, problems, tls_alpn01_dir, config.proxy.session_tickets,
                               std::move(client_auth));
}

}  // namespace gw::proxy
