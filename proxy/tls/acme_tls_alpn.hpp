#pragma once
// TLS-ALPN-01 answers (RFC 8737). While a certificate is being ordered with this challenge,
// <dir>/<domain>.pem holds the challenge certificate and its key (core/acme/responders.hpp).
// A ClientHello that offers ALPN "acme-tls/1" is the CA validating: when the file for its SNI
// exists, the handshake completes with that certificate and negotiates exactly acme-tls/1,
// and the connection is then closed without reading anything (section 3); without the file
// it fails with a handshake_failure alert. Other handshakes never look at the folder.

#include <openssl/ssl.h>

#include <optional>
#include <string>
#include <string_view>

#include "proxy/tls/server_tls.hpp"

namespace gw::proxy::tls {

// "acme-tls/1" in ALPN's wire format (RFC 8737 section 6.2).
inline constexpr unsigned char kAlpnAcmeTls[] = {10,  'a', 'c', 'm', 'e', '-',
                                                 't', 'l', 's', '/', '1'};

// From a client hello callback: whether the ClientHello's ALPN list offers acme-tls/1.
bool offersAcmeTls(SSL* ssl);

// From a client hello callback (before OpenSSL has read the extension itself): the host name
// of the ClientHello's server_name extension, normalized ("Shop.Test." -> "shop.test"), or
// nothing when there is none or it is not a DNS name.
std::optional<std::string> helloServerName(SSL* ssl);

// Letters, digits and '-' in dot-separated labels of 1 to 63 characters, 253 at most in all:
// safe as a file name (no '/', no "..", no leading '.').
bool isDnsName(std::string_view name);

// A context that completes the handshake with the certificate and key in `pem_file` and
// negotiates acme-tls/1 only; null when the file is missing or does not hold a matching pair.
CtxPtr challengeContext(const std::string& pem_file);

// After the handshake: whether it answered a challenge (negotiated acme-tls/1), so the
// connection is to be closed rather than read.
bool answeredChallenge(const SSL* ssl);

}  // namespace gw::proxy::tls
