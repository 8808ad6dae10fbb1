#include "proxy/tls/client_context.hpp"

#include <openssl/err.h>
#include <openssl/x509v3.h>

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ssl/error.hpp>
#include <cstdio>

#include "proxy/observe/event_log.hpp"
#include "proxy/tls/context.hpp"

namespace gw::proxy::tls {
namespace {

constexpr auto kReportEvery = std::chrono::minutes(1);

std::atomic<std::uint64_t> next_serial{1};

bool configure(SSL_CTX* ctx, const core::UpstreamTls& spec) {
  // Partial writes and a moving write buffer: the stream's writes (stream.hpp) need both.
  SSL_CTX_set_mode(ctx, SSL_MODE_RELEASE_BUFFERS | SSL_MODE_ENABLE_PARTIAL_WRITE |
                            SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  // An upstream that closes without close_notify ends its stream like any other: HTTP's own
  // framing says whether the answer was whole.
  SSL_CTX_set_options(
      ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION | SSL_OP_IGNORE_UNEXPECTED_EOF);
  // The pool keeps the sessions to resume, per endpoint; OpenSSL's own cache would only grow.
  SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
  SSL_CTX_set_verify(ctx, spec.verify ? SSL_VERIFY_PEER : SSL_VERIFY_NONE, nullptr);
  return SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) == 1 &&
         SSL_CTX_set_cipher_list(ctx, kTls12Ciphers) == 1 &&
         SSL_CTX_set1_groups_list(ctx, kGroups) == 1 &&
         SSL_CTX_set_alpn_protos(ctx, kAlpnHttp11, sizeof kAlpnHttp11) == 0;  // 0 is success
}

// Boost's categories have a protected, non-virtual destructor by design: one is never
// deleted through a pointer to its base, being a function's static.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wnon-virtual-dtor"
class HandshakeCategory final : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "gw.upstream_tls"; }
  std::string message(int /*value*/) const override {
    return "TLS handshake with the upstream failed";
  }
};
#pragma GCC diagnostic pop

}  // namespace

std::shared_ptr<const ClientContext> ClientContext::build(const core::UpstreamTls& spec,
                                                          std::string& problem) {
  ERR_clear_error();
  std::shared_ptr<ClientContext> context(new ClientContext());
  context->ctx_.reset(SSL_CTX_new(TLS_client_method()));
  if (!context->ctx_ || !configure(context->ctx_.get(), spec)) {
    ERR_clear_error();
    problem = "TLS settings refused";
    return nullptr;
  }
  SSL_CTX* ctx = context->ctx_.get();
  if (spec.verify) {
    const bool loaded = spec.ca_file.empty()
                            ? SSL_CTX_set_default_verify_paths(ctx) == 1
                            : SSL_CTX_load_verify_file(ctx, spec.ca_file.c_str()) == 1;
    ERR_clear_error();
    if (!loaded) {
      problem = spec.ca_file.empty() ? "the system's certificate store cannot be read"
                                     : spec.ca_file + ": not a PEM certificate";
      return nullptr;
    }
  }
  context->spec_ = spec;
  context->serial_ = next_serial.fetch_add(1, std::memory_order_relaxed);
  return context;
}

EndpointTls::EndpointTls(std::shared_ptr<const ClientContext> context, const std::string& host,
                         std::string where)
    : context_(std::move(context)), where_(std::move(where)) {
  error_code ec;
  static_cast<void>(asio::ip::make_address(host, ec));
  const bool literal = !ec;
  const std::string& sni = context_->spec().sni;
  sni_ = !sni.empty() ? sni : (literal ? std::string() : host);
  if (!sni.empty()) {
    name_ = sni;
  } else if (literal) {
    address_ = host;
  } else {
    name_ = host;
  }
}

SslPtr EndpointTls::newConnection(int fd, SSL_SESSION* resume) const {
  SslPtr ssl(SSL_new(context_->get()));
  if (!ssl || SSL_set_fd(ssl.get(), fd) != 1) {
    ERR_clear_error();
    return nullptr;
  }
  SSL_set_connect_state(ssl.get());
  // SSL_set_tlsext_host_name, without the macro's C-style cast (OpenSSL copies the name):
  bool ok =
      sni_.empty() || SSL_ctrl(ssl.get(), SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
                               const_cast<char*>(sni_.c_str())) == 1;
  if (context_->spec().verify) {
    SSL_set_hostflags(ssl.get(), X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
    ok = ok && (address_.empty() ? SSL_set1_host(ssl.get(), name_.c_str()) == 1
                                 : X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl.get()),
                                                                 address_.c_str()) == 1);
  }
  if (ok && resume != nullptr) {
    ok = SSL_set_session(ssl.get(), resume) == 1;
  }
  ERR_clear_error();
  return ok ? std::move(ssl) : nullptr;
}

void EndpointTls::reportFailure(const SSL* ssl, error_code ec) const {
  const Clock::rep now = Clock::now().time_since_epoch().count();
  Clock::rep quiet_until = quiet_until_.load(std::memory_order_relaxed);
  const Clock::rep next = now + std::chrono::duration_cast<Clock::duration>(kReportEvery).count();
  if (now < quiet_until || !quiet_until_.compare_exchange_strong(quiet_until, next)) {
    return;  // said less than a minute ago, or another thread says it now
  }
  logEvent(where_ + ": TLS handshake failed: " + handshakeFailure(ssl, ec));
}

std::string handshakeFailure(const SSL* ssl, error_code ec) {
  if (ec.category() != asio::error::get_ssl_category()) {
    return ec == asio::error::eof ? "the endpoint closed the connection" : ec.message();
  }
  const char* reason = ERR_reason_error_string(static_cast<unsigned long>(ec.value()));
  std::string out = reason != nullptr ? reason : "error " + std::to_string(ec.value());
  const long verified = ssl != nullptr ? SSL_get_verify_result(ssl) : X509_V_OK;
  if (verified != X509_V_OK) {
    out.append(": ").append(X509_verify_cert_error_string(verified));
  }
  return out;
}

error_code handshakeError() {
  static const HandshakeCategory kCategory;
  return {1, kCategory};
}

}  // namespace gw::proxy::tls
