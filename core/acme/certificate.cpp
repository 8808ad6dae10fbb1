#include "core/acme/certificate.hpp"

#include <openssl/err.h>
#include <openssl/pem.h>

#include <ctime>

#include "core/acme/encoding.hpp"
#include "core/acme/ossl.hpp"

namespace gw::acme {

namespace {

using core::ErrorKind;
using core::makeError;

std::string nameText(const X509_NAME* name) {
  auto bio = ossl::writeBio();
  X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
  return ossl::bioText(bio.get());
}

SystemTime timeOf(const ASN1_TIME* t) {
  std::tm tm{};
  ASN1_TIME_to_tm(t, &tm);
  return std::chrono::system_clock::from_time_t(timegm(&tm));
}

std::string ipText(const ASN1_OCTET_STRING* ip) {
  const unsigned char* p = ASN1_STRING_get0_data(ip);
  const int n = ASN1_STRING_length(ip);
  std::string out;
  if (n == 4) {
    for (int i = 0; i < 4; ++i) {
      out += (i > 0 ? "." : "") + std::to_string(p[i]);
    }
  } else {
    out = hex(std::string_view(reinterpret_cast<const char*>(p), static_cast<std::size_t>(n)));
  }
  return out;
}

std::vector<std::string> altNames(X509* cert) {
  std::vector<std::string> out;
  const ossl::GeneralNames names(
      static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr)));
  if (!names) {
    return out;
  }
  for (int i = 0; i < sk_GENERAL_NAME_num(names.get()); ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(names.get(), i);
    if (name->type == GEN_DNS) {
      const ASN1_IA5STRING* dns = name->d.dNSName;
      out.emplace_back(reinterpret_cast<const char*>(ASN1_STRING_get0_data(dns)),
                       static_cast<std::size_t>(ASN1_STRING_length(dns)));
    } else if (name->type == GEN_IPADD) {
      out.push_back(ipText(name->d.iPAddress));
    }
  }
  return out;
}

std::string pemOf(X509* cert) {
  auto bio = ossl::writeBio();
  PEM_write_bio_X509(bio.get(), cert);
  return ossl::bioText(bio.get());
}

CertificateInfo describe(X509* cert) {
  CertificateInfo info;
  info.subject = nameText(X509_get_subject_name(cert));
  info.issuer = nameText(X509_get_issuer_name(cert));
  info.dns_names = altNames(cert);
  const ossl::Bignum serial(ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert), nullptr));
  char* serial_text = BN_bn2hex(serial.get());
  info.serial_hex = serial_text;
  OPENSSL_free(serial_text);
  info.not_before = timeOf(X509_get0_notBefore(cert));
  info.not_after = timeOf(X509_get0_notAfter(cert));
  info.is_ca = X509_check_ca(cert) != 0;
  info.pem = pemOf(cert);
  return info;
}

core::Result<ossl::X509Ptr> firstCertificate(std::string_view pem) {
  auto bio = ossl::readBio(pem);
  ossl::X509Ptr cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
  if (!cert) {
    ERR_clear_error();
    return makeError(ErrorKind::kUsage, "not a certificate in PEM form");
  }
  return cert;
}

}  // namespace

core::Result<std::vector<CertificateInfo>> parseCertificateChain(std::string_view pem) {
  std::vector<CertificateInfo> chain;
  constexpr std::string_view kBegin = "-----BEGIN CERTIFICATE-----";
  std::size_t at = pem.find(kBegin);
  while (at != std::string_view::npos) {
    const std::size_t next = pem.find(kBegin, at + kBegin.size());
    const std::string_view block =
        pem.substr(at, next == std::string_view::npos ? std::string_view::npos : next - at);
    auto cert = firstCertificate(block);
    if (!cert) {
      return makeError(ErrorKind::kUsage, "certificate " + std::to_string(chain.size() + 1) +
                                              " of the chain is broken");
    }
    chain.push_back(describe(cert->get()));
    at = next;
  }
  if (chain.empty()) {
    return makeError(ErrorKind::kUsage, "no certificate in PEM form found");
  }
  return chain;
}

core::Status certificateMatchesKey(std::string_view cert_pem, const PrivateKey& key) {
  auto cert = firstCertificate(cert_pem);
  if (!cert) {
    return std::move(cert).error();
  }
  if (EVP_PKEY_eq(X509_get0_pubkey(cert->get()), key.native()) != 1) {
    ERR_clear_error();
    return makeError(ErrorKind::kUsage, "the certificate does not match the private key");
  }
  return core::Ok{};
}

core::Result<std::string> certificateDer(std::string_view pem) {
  auto cert = firstCertificate(pem);
  if (!cert) {
    return std::move(cert).error();
  }
  unsigned char* der = nullptr;
  const int size = i2d_X509(cert->get(), &der);
  if (size <= 0) {
    return ossl::error("encoding a certificate");
  }
  std::string out(reinterpret_cast<const char*>(der), static_cast<std::size_t>(size));
  OPENSSL_free(der);
  return out;
}

core::Result<std::string> makeCsr(const PrivateKey& key, const std::vector<std::string>& names) {
  if (names.empty()) {
    return makeError(ErrorKind::kUsage, "a certificate request needs at least one name");
  }
  const ossl::X509Req req(X509_REQ_new());
  X509_REQ_set_version(req.get(), 0);
  // CN is limited to 64 characters (RFC 5280 ub-common-name); the SAN carries every name.
  if (names.front().size() <= 64) {
    X509_NAME* subject = X509_REQ_get_subject_name(req.get());
    X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>(names.front().c_str()), -1,
                               -1, 0);
  }
  std::string san;
  for (const auto& name : names) {
    san += (san.empty() ? "DNS:" : ",DNS:") + name;
  }
  STACK_OF(X509_EXTENSION)* exts = sk_X509_EXTENSION_new_null();
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, nullptr, NID_subject_alt_name, san.c_str());
  if (ext == nullptr) {
    sk_X509_EXTENSION_free(exts);
    return ossl::error("building the subjectAltName of a certificate request");
  }
  sk_X509_EXTENSION_push(exts, ext);
  const int added = X509_REQ_add_extensions(req.get(), exts);
  sk_X509_EXTENSION_pop_free(exts, X509_EXTENSION_free);
  if (added != 1 || X509_REQ_set_pubkey(req.get(), key.native()) != 1 ||
      X509_REQ_sign(req.get(), key.native(),
                    key.type() == KeyType::kEcdsaP384 ? EVP_sha384() : EVP_sha256()) <= 0) {
    return ossl::error("signing a certificate request");
  }
  unsigned char* der = nullptr;
  const int size = i2d_X509_REQ(req.get(), &der);
  if (size <= 0) {
    return ossl::error("encoding a certificate request");
  }
  std::string out(reinterpret_cast<const char*>(der), static_cast<std::size_t>(size));
  OPENSSL_free(der);
  return out;
}

core::Result<std::string> ariCertificateId(std::string_view cert_pem) {
  auto cert = firstCertificate(cert_pem);
  if (!cert) {
    return std::move(cert).error();
  }
  const ASN1_OCTET_STRING* key_id = X509_get0_authority_key_id(cert->get());
  if (key_id == nullptr) {
    return makeError(ErrorKind::kUsage,
                     "the certificate has no authority key identifier, so ARI cannot name it");
  }
  // The serial's DER content octets: i2d gives tag, length, content; skip the first two
  // (serials are at most 20 octets, so the length is always one byte).
  unsigned char* der = nullptr;
  const int size = i2d_ASN1_INTEGER(X509_get0_serialNumber(cert->get()), &der);
  if (size < 3) {
    OPENSSL_free(der);
    return ossl::error("encoding a serial number");
  }
  const std::string serial(reinterpret_cast<const char*>(der) + 2,
                           static_cast<std::size_t>(size - 2));
  OPENSSL_free(der);
  const std::string aki(reinterpret_cast<const char*>(ASN1_STRING_get0_data(key_id)),
                        static_cast<std::size_t>(ASN1_STRING_length(key_id)));
  return base64url(aki) + "." + base64url(serial);
}

}  // namespace gw::acme
