#include "proxy/tls/server_tls.hpp"

#include <openssl/err.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <cctype>

#include "proxy/tls/acme_tls_alpn.hpp"
#include "proxy/tls/certificate_cache.hpp"
#include "proxy/tls/client_auth.hpp"
#include "proxy/tls/context.hpp"

namespace gw::proxy::tls {
namespace {

// Where each connection keeps the ServerTls its handshake started on (a shared_ptr of its
// own, freed with the SSL): the callbacks below find it there, since a context may be shared
// by the ServerTls of several snapshots.
void freeOwner(void* /*parent*/, void* ptr, CRYPTO_EX_DATA* /*ad*/, int /*idx*/, long /*argl*/,
               void* /*argp*/) {
  delete static_cast<std::shared_ptr<const ServerTls>*>(ptr);
}

int ownerIndex() {
  static const int kIndex = SSL_get_ex_new_index(0, nullptr, nullptr, nullptr, freeOwner);
  return kIndex;
}

const ServerTls* ownerOf(SSL* ssl) {
  const auto* owner =
      static_cast<std::shared_ptr<const ServerTls>*>(SSL_get_ex_data(ssl, ownerIndex()));
  return owner != nullptr ? owner->get() : nullptr;
}

// Every handshake starts here; one that offers no acme-tls/1 costs a look at its ALPN list.
int onClientHello(SSL* ssl, int* alert, void* /*arg*/) {
  const ServerTls* self = ownerOf(ssl);
  if (self == nullptr) {
    *alert = SSL_AD_INTERNAL_ERROR;
    return SSL_CLIENT_HELLO_ERROR;
  }
  if (self->challengeDir().empty() || !offersAcmeTls(ssl)) {
    if (self->certificates().empty()) {
      *alert = SSL_AD_HANDSHAKE_FAILURE;  // nothing to serve
      return SSL_CLIENT_HELLO_ERROR;
    }
    return SSL_CLIENT_HELLO_SUCCESS;
  }
  // The SNI is a checked DNS name before it becomes part of a path. No file: no challenge is
  // pending for this name. The SSL keeps its own reference to the context it switches to.
  const auto name = helloServerName(ssl);
  const CtxPtr ctx = name ? challengeContext(self->challengeDir() + "/" + *name + ".pem") : nullptr;
  if (!ctx || SSL_set_SSL_CTX(ssl, ctx.get()) == nullptr) {
    *alert = SSL_AD_HANDSHAKE_FAILURE;
    return SSL_CLIENT_HELLO_ERROR;
  }
  // A challenge is answered once, with a full handshake: no ticket to resume it with.
  SSL_set_options(ssl, SSL_OP_NO_TICKET);
  SSL_set_num_tickets(ssl, 0);
  return SSL_CLIENT_HELLO_SUCCESS;
}

int onServerName(SSL* ssl, int* /*alert*/, void* /*arg*/) {
  const ServerTls* self = ownerOf(ssl);
  if (self == nullptr) {
    return SSL_TLSEXT_ERR_ALERT_FATAL;
  }
  const char* asked = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);
  SSL_CTX* ctx = self->pick(asked != nullptr ? asked : "");
  if (ctx != SSL_get_SSL_CTX(ssl)) {
    SSL_set_SSL_CTX(ssl, ctx);
  }
  return SSL_TLSEXT_ERR_OK;
}

}  // namespace

std::string normalizeName(std::string_view name) {
  if (!name.empty() && name.back() == '.') {
    name.remove_suffix(1);
  }
  std::string out(name);
  std::ranges::transform(out, out.begin(),
                         [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

void ServerTls::prepare(SSL_CTX* ctx, bool session_tickets) {
  if (!session_tickets) {  // and the session cache is off: every handshake is a full one
    SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET);
    SSL_CTX_set_num_tickets(ctx, 0);
  }
  // OpenSSL's macro for this casts in C style; the call it stands for:
  SSL_CTX_callback_ctrl(ctx, SSL_CTRL_SET_TLSEXT_SERVERNAME_CB,
                        reinterpret_cast<void (*)()>(onServerName));
  SSL_CTX_set_client_hello_cb(ctx, onClientHello, nullptr);
}

std::shared_ptr<const ServerTls> ServerTls::build(const std::vector<CertificateFiles>& files,
                                                  CertificateCache& cache,
                                                  std::vector<std::string>& problems,
                                                  std::string challenge_dir, bool session_tickets,
                                                  std::shared_ptr<const ClientAuth> client_auth) {
  auto tls = std::make_shared<ServerTls>();
  tls->challenge_dir_ = std::move(challenge_dir);
  tls->client_auth_ = std::move(client_auth);
  for (const CertificateFiles& file : files) {
    std::string problem;
    SharedCertificate loaded = cache.load(file, session_tickets, problem);
    if (!problem.empty()) {
      problems.push_back("certificate " + file.name + ": " + problem);
    }
    if (!loaded) {
      continue;
    }
    const std::size_t index = tls->certificates_.size();
    for (const std::string& name : loaded->dns_names) {
      if (name.starts_with("*.")) {
        tls->wildcard_.try_emplace(name.substr(2), index);
      } else {
        tls->exact_.try_emplace(name, index);
      }
    }
    tls->certificates_.push_back(std::move(loaded));
  }
  if (tls->challenge_dir_.empty()) {
    return tls->certificates_.empty() ? nullptr : tls;
  }
  if (tls->certificates_.empty()) {
    std::string problem;
    tls->no_certificate_ = serverContext(problem);
    if (!tls->no_certificate_) {
      problems.push_back("TLS-ALPN-01: " + problem);
      return nullptr;
    }
    prepare(tls->no_certificate_.get(), session_tickets);
  }
  return tls;
}

SSL_CTX* ServerTls::first() const {
  return certificates_.empty() ? no_certificate_.get() : certificates_.front()->ctx.get();
}

SslPtr ServerTls::newConnection(int fd) const {
  SslPtr ssl(SSL_new(first()));
  if (!ssl || SSL_set_fd(ssl.get(), fd) != 1) {
    ERR_clear_error();
    return nullptr;
  }
  auto owner = std::make_unique<std::shared_ptr<const ServerTls>>(shared_from_this());
  if (SSL_set_ex_data(ssl.get(), ownerIndex(), owner.get()) != 1) {
    ERR_clear_error();
    return nullptr;
  }
  static_cast<void>(owner.release());  // freeOwner deletes it with the SSL
  if (client_auth_) {
    client_auth_->apply(ssl.get());
  }
  SSL_set_accept_state(ssl.get());
  return ssl;
}

SSL_CTX* ServerTls::pick(std::string_view server_name) const {
  if (!server_name.empty()) {
    const std::string name = normalizeName(server_name);
    if (const auto found = exact_.find(name); found != exact_.end()) {
      return certificates_[found->second]->ctx.get();
    }
    if (const auto dot = name.find('.'); dot != std::string::npos) {
      if (const auto found = wildcard_.find(name.substr(dot + 1)); found != wildcard_.end()) {
        return certificates_[found->second]->ctx.get();
      }
    }
  }
  return first();  // the gateway's default
}

}  // namespace gw::proxy::tls
