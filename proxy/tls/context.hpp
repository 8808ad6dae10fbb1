#pragma once
// One certificate's OpenSSL server context with gw's TLS settings (server_tls.hpp says
// which).

#include <optional>
#include <string>

#include "proxy/tls/server_tls.hpp"

namespace gw::proxy::tls {

// The ALPN protocols the proxy speaks, in its order of preference (wire format).
inline constexpr unsigned char kAlpnHttp11[] = {8, 'h', 't', 't', 'p', '/', '1', '.', '1'};

// A context with gw's TLS settings and no certificate yet; null (and why in `problem`) when
// OpenSSL refuses them.
CtxPtr serverContext(std::string& problem);

// Loads the chain and key of `files` into a new context; on failure says why in `problem`
// (the file and what is wrong with it) and returns nothing.
std::optional<LoadedCertificate> loadCertificate(const CertificateFiles& files,
                                                 std::string& problem);

}  // namespace gw::proxy::tls
