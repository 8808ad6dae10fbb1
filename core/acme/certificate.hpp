#pragma once
// Certificates as gw reads them: a PEM chain (leaf first) parsed into what `gw cert list` and
// the renewal policy need, the key check before a certificate is served or imported, the
// CSR sent to finalize an order (RFC 8555 section 7.4), and the ARI certificate identifier
// (RFC 9773 section 4.1).

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "core/acme/key.hpp"
#include "core/result.hpp"

namespace gw::acme {

using SystemTime = std::chrono::system_clock::time_point;

struct CertificateInfo {
  std::string subject;                 // RFC 2253 form, e.g. "CN=shop.test"
  std::string issuer;                  // likewise
  std::vector<std::string> dns_names;  // subjectAltName dNSName (and iPAddress as text)
  std::string serial_hex;              // upper-case hex, as `openssl x509 -serial` prints it
  SystemTime not_before;
  SystemTime not_after;
  bool is_ca = false;
  std::string pem;  // this certificate alone
};

// What an issuer hands back: the caller stores the key with writeKeyFile (0600).
struct IssuedCertificate {
  std::string key_pem;    // PKCS#8
  std::string chain_pem;  // leaf first, then the intermediates
  SystemTime not_after;
  std::string url;  // where an ACME CA keeps the certificate; empty for the internal issuer
};

// Every certificate of `pem` in order; refuses text with none, or with a broken block.
core::Result<std::vector<CertificateInfo>> parseCertificateChain(std::string_view pem);

// Whether the first certificate of `cert_pem` carries the public half of `key`; the refusal
// says so in words ("the certificate does not match the private key").
core::Status certificateMatchesKey(std::string_view cert_pem, const PrivateKey& key);

// DER of the first certificate of `pem` (revokeCert's "certificate" member).
core::Result<std::string> certificateDer(std::string_view pem);

// A PKCS#10 request (DER) for `names` (validated by the caller), the first also as the
// subject's CN when it fits (64 characters), all of them in subjectAltName, signed by `key`.
core::Result<std::string> makeCsr(const PrivateKey& key, const std::vector<std::string>& names);

// base64url(authorityKeyIdentifier.keyIdentifier) "." base64url(serial's DER content octets).
core::Result<std::string> ariCertificateId(std::string_view cert_pem);

}  // namespace gw::acme
