#pragma once
// One call the gateway makes to an upstream. Every request the gateway sends itself goes
// through it: forwarding (forward/forwarder.cpp), mirror copies (upstream/mirror.cpp), health
// probes (health/health_checker.cpp) and the admin client (admin/client.cpp), and so can
// JWKS fetches, external authorization, aggregation and ACME.
//
// It holds one connection, pooled or fresh, and a deadline for whatever step is pending. The
// steps are what an HTTP/1.1 exchange needs: connect, write (head and body as buffers, one
// gathered write), read the response head (into a Beast parser the caller owns), read the
// body whole or in raw pieces into the connection's buffer (the relay parses them where they
// are, without a copy: http/span_body.hpp), and at the end finish(): the
// connection goes back to the pool when it can carry another request, else it is closed.
//
// Cancellation is by closing the socket: the pending step then completes with an error,
// which outcome() reports as a timeout when it was the deadline that closed it. Deadlines are
// time points. Inside a worker the owner calls expire() from its periodic sweep, so arming
// one costs a store; a call on a thread without a sweep (the health checker, the admin
// client) uses Deadlines::kTimer and arms an Asio timer instead.
//
// A service reached over TLS (tls/client_context.hpp) gets its handshake as the end of
// connect(), resuming the session the pool keeps for the endpoint, and every step then runs
// on the connection's stream through OpenSSL (tls/stream.hpp); a plain connection's steps
// are the socket's own behind one test of a null pointer.
//
// Completion handlers are the caller's own and go straight to Asio and Beast: a call adds
// no allocation, type erasure or virtual call to a step.

#include <boost/asio/connect.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <cstdint>
#include <memory>
#include <optional>
#include <utility>

#include "proxy/net.hpp"
#include "proxy/tls/client_context.hpp"
#include "proxy/upstream/pool.hpp"

namespace gw::proxy {

class UpstreamCall {
 public:
  enum class Deadlines { kSwept, kTimer };

  explicit UpstreamCall(asio::io_context& ioc, Deadlines deadlines = Deadlines::kSwept);
  UpstreamCall(const UpstreamCall&) = delete;
  UpstreamCall& operator=(const UpstreamCall&) = delete;
  ~UpstreamCall();

  // A pooled connection to `endpoint_id` that still looks open (upstream/pool.hpp says when
  // it is probed first): true, and the request can be written at once.
  bool takePooled(UpstreamPool& pool, std::uint32_t endpoint_id, Clock::time_point now,
                  bool always_probe);

  // A fresh connection; TCP_NODELAY is set once it is up. With `tls` (the endpoint's, or
  // null for plain TCP) the handshake follows, offering the session `sessions` keeps for the
  // endpoint; a failed one completes with tls::handshakeError() and its reason is logged.
  // `tls` and `sessions` outlive the connect (the snapshot and the worker own them).
  // `handler(error_code)`.
  template <class Handler>
  void connect(const tcp::endpoint& address, std::uint32_t endpoint_id, const tls::EndpointTls* tls,
               const UpstreamPool* sessions, Handler&& handler) {
    connection_ = std::make_unique<UpstreamConnection>(ioc_);
    connection_->endpoint_id = endpoint_id;
    connection_->stream.socket().async_connect(
        address,
        [this, tls, sessions, handler = std::forward<Handler>(handler)](error_code ec) mutable {
          if (!ec) {
            error_code ignored;
            connection_->stream.socket().set_option(tcp::no_delay(true), ignored);
            if (tls != nullptr) {
              handshake(*tls, sessions, std::move(handler));
              return;
            }
          }
          handler(ec);
        });
  }
  template <class Handler>
  void connect(const tcp::endpoint& address, std::uint32_t endpoint_id, Handler&& handler) {
    connect(address, endpoint_id, nullptr, nullptr, std::forward<Handler>(handler));
  }

  // `handler(error_code, std::size_t)`.
  template <class Buffers, class Handler>
  void write(const Buffers& buffers, Handler&& handler) {
    asio::async_write(connection_->stream, buffers, std::forward<Handler>(handler));
  }

  // Reads until `parser` has the response head. The caller first parses what the connection's
  // buffer already holds (http/parse.hpp), as most answers arrive whole. `handler(ec, n)`.
  template <class Parser, class Handler>
  void readHeader(Parser& parser, Handler&& handler) {
    http::async_read_header(connection_->stream, connection_->buffer, parser,
                            std::forward<Handler>(handler));
  }

  // Reads up to `size` bytes into the connection's buffer, which the caller then commits
  // (`buffer().commit(n)`) and parses. `handler(ec, n)`.
  template <class Handler>
  void readSome(std::size_t size, Handler&& handler) {
    connection_->stream.async_read_some(connection_->buffer.prepare(size),
                                        std::forward<Handler>(handler));
  }

  // Reads the rest of the message (or until a buffer_body's buffer is full). `handler(ec, n)`.
  template <class Parser, class Handler>
  void read(Parser& parser, Handler&& handler) {
    http::async_read(connection_->stream, connection_->buffer, parser,
                     std::forward<Handler>(handler));
  }

  // Waits until the upstream has sent something (or closed), without reading: it holds no
  // buffer, so the connection may be closed under it. `handler(error_code)`.
  template <class Handler>
  void waitReadable(Handler&& handler) {
    connection_->stream.asyncWaitReadable(std::forward<Handler>(handler));
  }

  // Reads what the upstream has sent into the connection's buffer, without waiting, after
  // waitReadable: the bytes read; 0 with `ec` clear when nothing came but TLS's own records
  // (wait again); `ec` set when the stream ended, failed or the buffer is full.
  std::size_t readNow(error_code& ec);

  // The pending step must end by `deadline`.
  void expiresAt(Clock::time_point deadline);
  void noDeadline();
  // The owner's sweep (Deadlines::kSwept): past the deadline, the socket is closed and the
  // pending step fails. True when that happened now.
  bool expire(Clock::time_point now);
  // A step's error as the caller should see it: a timeout when the deadline closed it.
  error_code outcome(error_code ec) const {
    return ec && timed_out_ ? error_code(beast::error::timeout) : ec;
  }

  // Ends the call: the connection goes back to `pool` when `reusable` (and nothing unread
  // is buffered), else it is closed; either way `pool` keeps its TLS session. The call can
  // then start over.
  void finish(UpstreamPool* pool, bool reusable, Clock::time_point now);
  // Closes the socket but keeps the connection object: a pending step may still refer to its
  // buffer, and completes with an error.
  void abort();
  // Cancels the pending steps; the connection stays open.
  void cancel();

  // Hands the connection over (to a tunnel, after an upgrade); the call is then empty.
  std::unique_ptr<UpstreamConnection> release() {
    noDeadline();
    return std::move(connection_);
  }

  bool active() const { return connection_ != nullptr; }
  beast::flat_buffer& buffer() { return connection_->buffer; }

 private:
  template <class Handler>
  void handshake(const tls::EndpointTls& tls, const UpstreamPool* sessions, Handler&& handler) {
    UpstreamConnection& connection = *connection_;
    connection.tls_serial = tls.serial();
    tls::SslPtr ssl = tls.newConnection(
        connection.stream.fd(),
        sessions != nullptr ? sessions->session(connection.endpoint_id, tls.serial()) : nullptr);
    if (!ssl) {
      handler(tls::handshakeError());
      return;
    }
    connection.stream.startTls(std::move(ssl));
    connection.stream.asyncHandshake(
        [this, &tls, handler = std::forward<Handler>(handler)](error_code ec) mutable {
          // A deadline or an abort closed the socket under it: not the endpoint's doing.
          if (ec && !timed_out_ && ec != asio::error::operation_aborted && connection_) {
            tls.reportFailure(connection_->stream.ssl(), ec);
            ec = tls::handshakeError();
          }
          handler(ec);
        });
  }
  void armTimer();

  asio::io_context& ioc_;
  std::unique_ptr<UpstreamConnection> connection_;
  Clock::time_point deadline_ = kNever;
  bool timed_out_ = false;
  std::optional<asio::steady_timer> timer_;  // Deadlines::kTimer only
  std::shared_ptr<const bool> alive_;        // likewise: tells the timer's handler we exist
};

}  // namespace gw::proxy
