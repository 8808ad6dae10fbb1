#pragma once
// The certificates a gateway's https listeners serve: each one the document names for that
// gateway or for every gateway, from <certs_dir>/<name>/cert.pem and key.pem. One not issued
// yet (no files) or whose files are broken is left out (or served as loaded before, see
// certificate_cache.hpp), and `problems` says which and why (gw status shows them): a
// certificate never stops the rest of the document from serving.
// With a TLS-ALPN-01 folder the listeners answer challenges too, certificate or not.

#include <memory>
#include <string>
#include <vector>

#include "core/config/model.hpp"
#include "proxy/tls/certificate_cache.hpp"
#include "proxy/tls/server_tls.hpp"

namespace gw::proxy {

// Null when the gateway has no certificate to serve and no challenge folder (its https
// listeners then refuse TLS).
std::shared_ptr<const tls::ServerTls> gatewayTls(const core::Config& config,
                                                 const core::Gateway& gateway,
                                                 const std::string& certs_dir,
                                                 const std::string& tls_alpn01_dir,
                                                 tls::CertificateCache& cache,
                                                 std::vector<std::string>& problems);

}  // namespace gw::proxy
