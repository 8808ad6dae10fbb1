#pragma once
// gw as the TLS client of a service's endpoints (core::UpstreamTls). One ClientContext per
// service and snapshot holds the OpenSSL context: TLS 1.2 and 1.3 with the listeners' cipher
// list (context.hpp), ALPN http/1.1, and unless `verify` is false the chain verified against
// the service's caFile or else the system's store. Each endpoint adds the names (EndpointTls):
// the SNI sent (the service's sni, else the endpoint's host when that is a name) and what the
// certificate must show (the same name, or the endpoint's IP address).
//
// Sessions are resumed: each worker's pool keeps the last session of every endpoint
// (upstream/pool.hpp) and the next connection offers it, so reconnecting costs one round
// trip and no certificate check. A session is only offered under the context that verified
// it (serial()): a reload that changes what is trusted starts with full handshakes.

#include <openssl/ssl.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "core/config/model.hpp"
#include "proxy/net.hpp"
#include "proxy/tls/server_tls.hpp"

namespace gw::proxy::tls {

class ClientContext {
 public:
  // Null, with `problem` saying why ("/etc/ca.pem: not a PEM certificate"), when OpenSSL
  // refuses the settings or the CA file.
  static std::shared_ptr<const ClientContext> build(const core::UpstreamTls& spec,
                                                    std::string& problem);

  SSL_CTX* get() const { return ctx_.get(); }
  const core::UpstreamTls& spec() const { return spec_; }
  // Different for every context this process builds.
  std::uint64_t serial() const { return serial_; }

 private:
  ClientContext() = default;

  CtxPtr ctx_;
  core::UpstreamTls spec_;
  std::uint64_t serial_ = 0;
};

// One endpoint of a TLS service, shared by every worker and the health checker.
class EndpointTls {
 public:
  // `host`: the endpoint's host as configured, a name or an IP literal; `where` names the
  // endpoint in the log ("service billing endpoint 10.0.0.5:8443").
  EndpointTls(std::shared_ptr<const ClientContext> context, const std::string& host,
              std::string where);

  // A connection's TLS state on `fd`, to connect, offering `resume` when not null (a session
  // made under this context). Null when OpenSSL cannot make one.
  SslPtr newConnection(int fd, SSL_SESSION* resume) const;
  std::uint64_t serial() const { return context_->serial(); }
  const std::string& sni() const { return sni_; }

  // Logs why the handshake on `ssl` failed with `ec` (handshakeFailure), at most once a
  // minute: an endpoint that fails every request must not fill the log with one line each.
  void reportFailure(const SSL* ssl, error_code ec) const;

 private:
  std::shared_ptr<const ClientContext> context_;
  std::string sni_;      // sent; empty: none (an IP literal and no sni)
  std::string name_;     // the certificate must show this DNS name, or
  std::string address_;  // this IP address
  std::string where_;
  mutable std::atomic<Clock::rep> quiet_until_{0};
};

// Why a handshake failed, in OpenSSL's words: "certificate verify failed: unable to get local
// issuer certificate", "wrong version number", or the socket's error.
std::string handshakeFailure(const SSL* ssl, error_code ec);

// What an upstream connect completes with when its TLS handshake failed (the reason went to
// the log): a connect failure to retries and outlier detection, answered 502 upstream_tls.
error_code handshakeError();

}  // namespace gw::proxy::tls
