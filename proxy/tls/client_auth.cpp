#include "proxy/tls/client_auth.hpp"

#include <openssl/err.h>
#include <openssl/x509v3.h>

namespace gw::proxy::tls {
namespace {

constexpr unsigned char kSessionContext[] = "gw-client-certificates";

std::string asText(const ASN1_STRING* value) {
  unsigned char* utf8 = nullptr;
  const int n = ASN1_STRING_to_UTF8(&utf8, value);
  if (n < 0) {
    return "";
  }
  std::string out(reinterpret_cast<const char*>(utf8), static_cast<std::size_t>(n));
  OPENSSL_free(utf8);
  return out;
}

void addAltNames(X509* cert, std::vector<std::string>& out) {
  auto* names =
      static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr));
  if (names == nullptr) {
    return;
  }
  for (int i = 0; i < sk_GENERAL_NAME_num(names); ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(names, i);
    switch (name->type) {
      case GEN_DNS:
        out.push_back("dns:" + asText(name->d.dNSName));
        break;
      case GEN_EMAIL:
        out.push_back("email:" + asText(name->d.rfc822Name));
        break;
      case GEN_URI:
        out.push_back("uri:" + asText(name->d.uniformResourceIdentifier));
        break;
      default:
        break;
    }
  }
  GENERAL_NAMES_free(names);
}

}  // namespace

std::shared_ptr<const ClientAuth> ClientAuth::build(const core::ClientCertificates& spec,
                                                    std::string& problem) {
  std::shared_ptr<ClientAuth> auth(new ClientAuth());
  auth->mode_ = SSL_VERIFY_PEER;
  if (spec.mode == core::ClientCertificates::Mode::kRequire) {
    auth->mode_ |= SSL_VERIFY_FAIL_IF_NO_PEER_CERT;
  }
  auth->store_ = X509_STORE_new();
  if (auth->store_ == nullptr || X509_STORE_load_file(auth->store_, spec.ca_file.c_str()) != 1) {
    ERR_clear_error();
    problem = "clientCertificates.caFile " + spec.ca_file + ": not a readable PEM certificate";
    return nullptr;
  }
  auth->names_ = SSL_load_client_CA_file(spec.ca_file.c_str());
  if (auth->names_ == nullptr) {
    ERR_clear_error();
    problem = "clientCertificates.caFile " + spec.ca_file + ": no certificate in it";
    return nullptr;
  }
  return auth;
}

ClientAuth::~ClientAuth() {
  X509_STORE_free(store_);
  sk_X509_NAME_pop_free(names_, X509_NAME_free);
}

void ClientAuth::apply(SSL* ssl) const {
  SSL_set_verify(ssl, mode_, nullptr);
  // OpenSSL's SSL_set1_verify_cert_store macro casts in C style; the call it stands for:
  SSL_ctrl(ssl, SSL_CTRL_SET_VERIFY_CERT_STORE, 1, store_);
  STACK_OF(X509_NAME)* names = SSL_dup_CA_list(names_);
  if (names != nullptr) {
    SSL_set_client_CA_list(ssl, names);  // takes ownership
  }
  SSL_set_session_id_context(ssl, kSessionContext, sizeof kSessionContext - 1);
}

std::vector<std::string> peerIdentities(SSL* ssl) {
  std::vector<std::string> out;
  X509* cert = SSL_get0_peer_certificate(ssl);
  if (cert == nullptr || SSL_get_verify_result(ssl) != X509_V_OK) {
    return out;
  }
  const X509_NAME* subject = X509_get_subject_name(cert);
  const int at = X509_NAME_get_index_by_NID(subject, NID_commonName, -1);
  if (at >= 0) {
    out.push_back("CN=" + asText(X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, at))));
  }
  addAltNames(cert, out);
  return out;
}

}  // namespace gw::proxy::tls
