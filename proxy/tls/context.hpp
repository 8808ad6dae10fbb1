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
// Mozilla's "intermediate" configuration (TLS 1.3's suites are OpenSSL's defaults), for both
// ends: the listeners and the connections to upstreams (client_context.hpp).
inline constexpr const char* kTls12Ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:"
    "DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384:DHE-RSA-CHACHA20-POLY1305";
inline constexpr const char* kGroups = "X25519:prime256v1:secp384r1";

// OpenSSL's password callback for every key gw reads: an encrypted key is refused rather than
// asked for on a terminal.
int refusePassword(char* buf, int size, int rwflag, void* u);

// Loads the chain and key of `files` into a new context; on failure says why in `problem`
// (the file and what is wrong with it) and returns nothing.
std::optional<LoadedCertificate> loadCertificate(const CertificateFiles& files,
                                                 std::string& problem);

}  // namespace gw::proxy::tls
