#include "proxy/tls/server_tls.hpp"

#include <openssl/err.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <cctype>

#include "proxy/tls/context.hpp"

namespace gw::proxy::tls {
namespace {

int onServerName(SSL* ssl, int* /*alert*/, void* arg) {
  const auto* self = static_cast<const ServerTls*>(arg);
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

std::shared_ptr<const ServerTls> ServerTls::build(const std::vector<CertificateFiles>& files,
                                                  std::vector<std::string>& problems) {
  auto tls = std::make_shared<ServerTls>();
  for (const CertificateFiles& file : files) {
    std::string problem;
    auto loaded = loadCertificate(file, problem);
    if (!loaded) {
      problems.push_back("certificate " + file.name + ": " + problem);
      continue;
    }
    // OpenSSL's macro for this casts in C style; the call it stands for:
    SSL_CTX_callback_ctrl(loaded->ctx.get(), SSL_CTRL_SET_TLSEXT_SERVERNAME_CB,
                          reinterpret_cast<void (*)()>(onServerName));
    SSL_CTX_set_tlsext_servername_arg(loaded->ctx.get(), tls.get());
    const std::size_t index = tls->certificates_.size();
    for (const std::string& name : loaded->dns_names) {
      if (name.starts_with("*.")) {
        tls->wildcard_.try_emplace(name.substr(2), index);
      } else {
        tls->exact_.try_emplace(name, index);
      }
    }
    tls->certificates_.push_back(std::move(*loaded));
  }
  if (tls->certificates_.empty()) {
    return nullptr;
  }
  return tls;
}

SslPtr ServerTls::newConnection(int fd) const {
  SslPtr ssl(SSL_new(certificates_.front().ctx.get()));
  if (!ssl || SSL_set_fd(ssl.get(), fd) != 1) {
    ERR_clear_error();
    return nullptr;
  }
  SSL_set_accept_state(ssl.get());
  return ssl;
}

SSL_CTX* ServerTls::pick(std::string_view server_name) const {
  if (!server_name.empty()) {
    const std::string name = normalizeName(server_name);
    if (const auto found = exact_.find(name); found != exact_.end()) {
      return certificates_[found->second].ctx.get();
    }
    if (const auto dot = name.find('.'); dot != std::string::npos) {
      if (const auto found = wildcard_.find(name.substr(dot + 1)); found != wildcard_.end()) {
        return certificates_[found->second].ctx.get();
      }
    }
  }
  return certificates_.front().ctx.get();  // the gateway's default
}

}  // namespace gw::proxy::tls
