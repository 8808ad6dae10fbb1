#include "core/acme/challenge.hpp"

#include <array>
#include <chrono>

#include "core/acme/encoding.hpp"
#include "core/acme/jws.hpp"
#include "core/acme/x509_build.hpp"

namespace gw::acme {

namespace {

struct ChallengeName {
  ChallengeType type;
  std::string_view name;
  std::string_view label;
};
constexpr std::array<ChallengeName, 3> kChallengeNames{
    {{ChallengeType::kHttp01, "http-01", "HTTP-01"},
     {ChallengeType::kTlsAlpn01, "tls-alpn-01", "TLS-ALPN-01"},
     {ChallengeType::kDns01, "dns-01", "DNS-01"}}};

constexpr const char* kAcmeIdentifierOid = "1.3.6.1.5.5.7.1.31";

}  // namespace

std::string_view challengeTypeName(ChallengeType type) {
  for (const auto& c : kChallengeNames) {
    if (c.type == type) {
      return c.name;
    }
  }
  return "unknown";
}

std::string_view challengeLabel(ChallengeType type) {
  for (const auto& c : kChallengeNames) {
    if (c.type == type) {
      return c.label;
    }
  }
  return "unknown";
}

core::Result<ChallengeType> parseChallengeType(std::string_view name) {
  for (const auto& c : kChallengeNames) {
    if (c.name == name) {
      return c.type;
    }
  }
  return core::makeError(core::ErrorKind::kUsage, "unknown challenge type '" + std::string(name) +
                                                      "' (use http-01, tls-alpn-01 or dns-01)");
}

std::string keyAuthorization(std::string_view token, const PrivateKey& account_key) {
  return std::string(token) + "." + jwkThumbprint(account_key);
}

std::string dnsTxtValue(std::string_view key_authorization) {
  return base64url(sha256(key_authorization));
}

core::Result<TlsAlpnCertificate> tlsAlpnCertificate(std::string_view domain,
                                                    std::string_view key_authorization) {
  auto key = PrivateKey::generate(KeyType::kEcdsaP256);
  if (!key) {
    return std::move(key).error();
  }
  // extnValue holds the DER of `Authorization ::= OCTET STRING (SIZE (32))`: tag 0x04,
  // length 32, then the digest (RFC 8737 section 3).
  const std::string digest = sha256(key_authorization);
  const std::string der = std::string("\x04\x20", 2) + digest;
  const ossl::Asn1OctetString value(ASN1_OCTET_STRING_new());
  const ossl::Asn1Object oid(OBJ_txt2obj(kAcmeIdentifierOid, 1));
  if (!value || !oid ||
      ASN1_OCTET_STRING_set(value.get(), reinterpret_cast<const unsigned char*>(der.data()),
                            static_cast<int>(der.size())) != 1) {
    return ossl::error("building the acmeIdentifier extension");
  }
  std::vector<ossl::X509Ext> extra;
  extra.emplace_back(X509_EXTENSION_create_by_OBJ(nullptr, oid.get(), 1, value.get()));
  if (!extra.back()) {
    return ossl::error("building the acmeIdentifier extension");
  }
  const auto now = std::chrono::system_clock::now();
  CertificateSpec spec;
  spec.common_name = std::string(domain);
  spec.dns_names = {std::string(domain)};
  spec.not_before = now - std::chrono::hours(1);
  spec.not_after = now + std::chrono::hours(24 * 7);
  auto cert = buildCertificate(spec, key->native(), nullptr, key->native(), std::move(extra));
  if (!cert) {
    return std::move(cert).error();
  }
  return TlsAlpnCertificate{certificatePem(cert->get()), key->pem()};
}

core::Result<Challenge> makeChallenge(ChallengeType type, std::string_view domain,
                                      std::string_view token, const PrivateKey& account_key) {
  Challenge c;
  c.type = type;
  c.domain = std::string(domain);
  c.token = std::string(token);
  c.key_authorization = keyAuthorization(token, account_key);
  switch (type) {
    case ChallengeType::kHttp01:
      c.http_path = "/.well-known/acme-challenge/" + c.token;
      break;
    case ChallengeType::kDns01:
      c.dns_txt_name = "_acme-challenge." + c.domain;
      c.dns_txt_value = dnsTxtValue(c.key_authorization);
      break;
    case ChallengeType::kTlsAlpn01: {
      auto cert = tlsAlpnCertificate(c.domain, c.key_authorization);
      if (!cert) {
        return std::move(cert).error();
      }
      c.tls_alpn_cert_pem = std::move(cert->cert_pem);
      c.tls_alpn_key_pem = std::move(cert->key_pem);
      break;
    }
  }
  return c;
}

}  // namespace gw::acme
