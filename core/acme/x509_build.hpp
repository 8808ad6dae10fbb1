#pragma once
// Building X.509 certificates with OpenSSL: shared by the TLS-ALPN-01 answer (self-signed)
// and the internal issuer (root and leaves). Internal to core/acme.

#include <chrono>
#include <string>
#include <vector>

#include "core/acme/ossl.hpp"
#include "core/result.hpp"

namespace gw::acme {

struct CertificateSpec {
  std::string common_name;
  std::string organization;            // empty: none
  std::vector<std::string> dns_names;  // subjectAltName; empty: none
  std::chrono::system_clock::time_point not_before;
  std::chrono::system_clock::time_point not_after;
  bool is_ca = false;
  bool server_auth = false;  // extendedKeyUsage serverAuth and keyUsage digitalSignature
};

// Signs a certificate for `subject_key` as `spec` says. Self-signed when `issuer` is null
// (then `issuer_key` is `subject_key`). `extra` extensions are added as they are.
core::Result<ossl::X509Ptr> buildCertificate(const CertificateSpec& spec, EVP_PKEY* subject_key,
                                             X509* issuer, EVP_PKEY* issuer_key,
                                             std::vector<ossl::X509Ext> extra = {});

std::string certificatePem(X509* cert);

}  // namespace gw::acme
