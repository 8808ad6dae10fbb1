#include "proxy/tls/context.hpp"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <memory>

#include "proxy/tls/ticket_keys.hpp"

namespace gw::proxy::tls {
namespace {

constexpr unsigned char kSessionContext[] = {'g', 'w'};

std::string opensslReason() {
  const unsigned long code = ERR_peek_last_error();
  std::string reason = code != 0 ? ERR_reason_error_string(code) : "";
  ERR_clear_error();
  return reason.empty() ? "unreadable" : reason;
}

// The client lists what it speaks; http/1.1 is taken when offered. A client offering only
// protocols the proxy does not speak (h2 alone) gets no ALPN answer and may go on without.
int onAlpn(SSL* /*ssl*/, const unsigned char** out, unsigned char* outlen, const unsigned char* in,
           unsigned int inlen, void* /*arg*/) {
  unsigned char* chosen = nullptr;
  if (SSL_select_next_proto(&chosen, outlen, kAlpnHttp11, sizeof kAlpnHttp11, in, inlen) !=
      OPENSSL_NPN_NEGOTIATED) {
    return SSL_TLSEXT_ERR_NOACK;
  }
  *out = chosen;
  return SSL_TLSEXT_ERR_OK;
}

bool configure(SSL_CTX* ctx) {
  SSL_CTX_set_mode(ctx, SSL_MODE_RELEASE_BUFFERS | SSL_MODE_ENABLE_PARTIAL_WRITE |
                            SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  SSL_CTX_set_options(
      ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION | SSL_OP_IGNORE_UNEXPECTED_EOF);
  SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);  // tickets carry the sessions
  SSL_CTX_set_num_tickets(ctx, 1);
  SSL_CTX_set_dh_auto(ctx, 1);
  SSL_CTX_set_alpn_select_cb(ctx, onAlpn, nullptr);
  useTicketKeys(ctx);
  return SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) == 1 &&
         SSL_CTX_set_cipher_list(ctx, kTls12Ciphers) == 1 &&
         SSL_CTX_set1_groups_list(ctx, kGroups) == 1 &&
         SSL_CTX_set_session_id_context(ctx, kSessionContext, sizeof kSessionContext) == 1;
}

std::vector<std::string> dnsNames(X509* cert) {
  std::vector<std::string> names;
  auto* sans =
      static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr));
  if (sans != nullptr) {
    for (int i = 0; i < sk_GENERAL_NAME_num(sans); ++i) {
      const GENERAL_NAME* name = sk_GENERAL_NAME_value(sans, i);
      if (name->type == GEN_DNS) {
        const ASN1_IA5STRING* dns = name->d.dNSName;
        names.push_back(normalizeName({reinterpret_cast<const char*>(ASN1_STRING_get0_data(dns)),
                                       static_cast<std::size_t>(ASN1_STRING_length(dns))}));
      }
    }
    GENERAL_NAMES_free(sans);
  }
  if (names.empty()) {
    char common_name[256] = {};
    if (X509_NAME_get_text_by_NID(X509_get_subject_name(cert), NID_commonName, common_name,
                                  sizeof common_name) > 0) {
      names.push_back(normalizeName(common_name));
    }
  }
  return names;
}

EVP_PKEY* readKey(const std::string& file) {
  std::unique_ptr<std::FILE, decltype(&std::fclose)> in(std::fopen(file.c_str(), "r"), std::fclose);
  EVP_PKEY* key = in ? PEM_read_PrivateKey(in.get(), nullptr, refusePassword, nullptr) : nullptr;
  ERR_clear_error();
  return key;
}

long long notAfter(X509* cert) {
  struct tm parsed = {};
  if (ASN1_TIME_to_tm(X509_get0_notAfter(cert), &parsed) != 1) {
    return 0;
  }
  return static_cast<long long>(timegm(&parsed));
}

}  // namespace

CtxPtr serverContext(std::string& problem) {
  ERR_clear_error();
  CtxPtr ctx(SSL_CTX_new(TLS_server_method()));
  if (!ctx || !configure(ctx.get())) {
    problem = "TLS settings refused: " + opensslReason();
    return nullptr;
  }
  return ctx;
}

int refusePassword(char* /*buf*/, int /*size*/, int /*rwflag*/, void* /*u*/) { return 0; }

std::optional<LoadedCertificate> loadCertificate(const CertificateFiles& files,
                                                 std::string& problem) {
  CtxPtr ctx = serverContext(problem);
  if (!ctx) {
    return std::nullopt;
  }
  if (SSL_CTX_use_certificate_chain_file(ctx.get(), files.cert_file.c_str()) != 1) {
    ERR_clear_error();
    problem = files.cert_file + ": not a PEM certificate chain";
    return std::nullopt;
  }
  const std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(readKey(files.key_file),
                                                                EVP_PKEY_free);
  if (!key) {
    problem = files.key_file + ": not a PEM private key";
    return std::nullopt;
  }
  if (SSL_CTX_use_PrivateKey(ctx.get(), key.get()) != 1 ||
      SSL_CTX_check_private_key(ctx.get()) != 1) {
    ERR_clear_error();
    problem = files.key_file + " is not the key of " + files.cert_file;
    return std::nullopt;
  }
  X509* leaf = SSL_CTX_get0_certificate(ctx.get());
  LoadedCertificate loaded;
  loaded.name = files.name;
  loaded.dns_names = dnsNames(leaf);
  loaded.not_after = notAfter(leaf);
  loaded.ctx = std::move(ctx);
  return loaded;
}

}  // namespace gw::proxy::tls
