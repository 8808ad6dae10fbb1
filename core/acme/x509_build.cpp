#include "core/acme/x509_build.hpp"

#include <openssl/pem.h>

namespace gw::acme {

namespace {

// One extension from OpenSSL's config syntax ("critical,CA:TRUE"), with issuer and subject
// set so that "hash" and "keyid:always" can be computed.
bool addExtension(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  const ossl::X509Ext ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str()));
  return ext && X509_add_ext(cert, ext.get(), -1) == 1;
}

}  // namespace

core::Result<ossl::X509Ptr> buildCertificate(const CertificateSpec& spec, EVP_PKEY* subject_key,
                                             X509* issuer, EVP_PKEY* issuer_key,
                                             std::vector<ossl::X509Ext> extra) {
  ossl::X509Ptr cert(X509_new());
  const ossl::Asn1Integer serial = ossl::randomSerial();
  X509_NAME* name = X509_get_subject_name(cert.get());
  const auto add_entry = [&](const char* field, const std::string& text) {
    X509_NAME_add_entry_by_txt(name, field, MBSTRING_UTF8,
                               reinterpret_cast<const unsigned char*>(text.c_str()), -1, -1, 0);
  };
  if (!spec.organization.empty()) {
    add_entry("O", spec.organization);
  }
  if (!spec.common_name.empty() && spec.common_name.size() <= 64) {
    add_entry("CN", spec.common_name);
  }
  X509* signer = issuer != nullptr ? issuer : cert.get();
  bool ok = X509_set_version(cert.get(), 2) == 1 &&
            X509_set_serialNumber(cert.get(), serial.get()) == 1 &&
            X509_set_issuer_name(cert.get(), X509_get_subject_name(signer)) == 1 &&
            ASN1_TIME_set(X509_getm_notBefore(cert.get()),
                          std::chrono::system_clock::to_time_t(spec.not_before)) != nullptr &&
            ASN1_TIME_set(X509_getm_notAfter(cert.get()),
                          std::chrono::system_clock::to_time_t(spec.not_after)) != nullptr &&
            X509_set_pubkey(cert.get(), subject_key) == 1;
  if (spec.is_ca) {
    ok = ok && addExtension(cert.get(), signer, NID_basic_constraints, "critical,CA:TRUE") &&
         addExtension(cert.get(), signer, NID_key_usage, "critical,keyCertSign,cRLSign");
  } else {
    ok = ok && addExtension(cert.get(), signer, NID_basic_constraints, "critical,CA:FALSE");
  }
  if (spec.server_auth) {
    ok = ok && addExtension(cert.get(), signer, NID_key_usage, "critical,digitalSignature") &&
         addExtension(cert.get(), signer, NID_ext_key_usage, "serverAuth");
  }
  ok = ok && addExtension(cert.get(), signer, NID_subject_key_identifier, "hash");
  if (issuer != nullptr) {
    ok = ok && addExtension(cert.get(), signer, NID_authority_key_identifier, "keyid:always");
  }
  if (!spec.dns_names.empty()) {
    std::string san;
    for (const auto& dns : spec.dns_names) {
      san += (san.empty() ? "DNS:" : ",DNS:") + dns;
    }
    ok = ok && addExtension(cert.get(), signer, NID_subject_alt_name, san);
  }
  for (const auto& ext : extra) {
    ok = ok && X509_add_ext(cert.get(), ext.get(), -1) == 1;
  }
  if (!ok) {
    return ossl::error("building a certificate");
  }
  if (X509_sign(cert.get(), issuer_key, EVP_sha256()) <= 0) {
    return ossl::error("signing a certificate");
  }
  return cert;
}

std::string certificatePem(X509* cert) {
  auto bio = ossl::writeBio();
  PEM_write_bio_X509(bio.get(), cert);
  return ossl::bioText(bio.get());
}

}  // namespace gw::acme
