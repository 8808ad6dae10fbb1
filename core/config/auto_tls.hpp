#pragma once
// Automatic HTTPS: a gateway whose tls.mode is auto gets a certificate for every concrete
// host its routes name, with no `gw cert issue`. Each is a certificate entry the document
// does not hold, derived from it: named "auto/<host>" (a wildcard host "*.x" is
// "auto/wildcard.x", and only with a DNS-01 hook, the one challenge that can prove it), with
// the gateway's issuer and ACME settings, its files in <home>/certs/auto/<host>/. A host a
// document certificate already covers for that gateway is left to that certificate.

#include <string>
#include <vector>

#include "core/config/model.hpp"

namespace gw::core {

inline constexpr std::string_view kAutoCertificatePrefix = "auto/";

// The automatic certificates one gateway serves (none unless its tls.mode is auto).
std::vector<Certificate> autoCertificates(const Config& config, const Gateway& gateway);

// Every gateway's, each name once (a host on two auto gateways shares one certificate).
std::vector<Certificate> autoCertificates(const Config& config);

// Whether `domain` ("shop.test" or "*.shop.test") covers `host` as a TLS client checks it.
bool domainCovers(std::string_view domain, std::string_view host);

}  // namespace gw::core
