#pragma once
// A TCP connection, plain or TLS, as one Asio stream (async_read_some, async_write_some), so
// Asio's and Beast's composed operations run on either and the code above has one path. Both
// ends of the proxy use it: a client's connection (session/client_stream.hpp), whose SSL
// accepts, and an upstream's (upstream/pool.hpp), whose SSL connects (client_context.hpp).
// Plain, each operation is the socket's own behind one test of a null pointer.
//
// TLS runs OpenSSL on the non-blocking socket itself (SSL_set_fd), as nginx and HAProxy do,
// rather than through asio::ssl::stream: no copy of every byte through memory BIOs, none of
// that stream's two 17 KiB engine buffers per connection, and OpenSSL's own buffers given
// back while a connection is idle (SSL_MODE_RELEASE_BUFFERS). Asio only waits for readiness.
// Reads and writes may be in progress together (a request body still arriving while the
// answer goes out): OpenSSL allows that on one thread, each call being non-blocking.

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <boost/asio/buffer.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <utility>

#include "proxy/net.hpp"
#include "proxy/tls/server_tls.hpp"

namespace gw::proxy::tls {

class Stream {
 public:
  // The names Asio's stream concepts require.
  using executor_type = Executor;  // NOLINT(readability-identifier-naming)

  // OpenSSL reads and writes the socket itself, so a TLS socket is made non-blocking here
  // (Asio would do it only at its own first operation).
  explicit Stream(Socket socket, SslPtr ssl = nullptr) : socket_(std::move(socket)) {
    if (ssl) {
      startTls(std::move(ssl));
    }
  }

  // TLS from here on (`ssl` is set up on this socket's fd), before the handshake.
  void startTls(SslPtr ssl) {
    ssl_ = std::move(ssl);
    broken_ = false;
    error_code ec;
    socket_.non_blocking(true, ec);
  }

  executor_type get_executor() {  // NOLINT(readability-identifier-naming)
    return socket_.get_executor();
  }
  Socket& socket() { return socket_; }
  int fd() { return socket_.native_handle(); }
  bool tls() const { return ssl_ != nullptr; }
  SSL* ssl() const { return ssl_.get(); }

  template <class MutableBuffers, class Token>
  auto async_read_some(  // NOLINT(readability-identifier-naming)
      const MutableBuffers& buffers, Token&& token) {
    return asio::async_initiate<Token, void(error_code, std::size_t)>(
        [this](auto handler, const MutableBuffers& bufs) {
          if (!ssl_) {
            socket_.async_read_some(bufs, std::move(handler));
            return;
          }
          tlsRead(firstOf<asio::mutable_buffer>(bufs), std::move(handler));
        },
        token, buffers);
  }

  template <class ConstBuffers, class Token>
  auto async_write_some(  // NOLINT(readability-identifier-naming)
      const ConstBuffers& buffers, Token&& token) {
    return asio::async_initiate<Token, void(error_code, std::size_t)>(
        [this](auto handler, const ConstBuffers& bufs) {
          if (!ssl_) {
            socket_.async_write_some(bufs, std::move(handler));
            return;
          }
          tlsWrite(bufs, std::move(handler));
        },
        token, buffers);
  }

  // Reads what is there without waiting, as recv(MSG_DONTWAIT): > 0 bytes read, 0 the end,
  // -1 with errno EAGAIN when nothing is there yet (or another errno when it failed).
  ssize_t tryRead(asio::mutable_buffer space);

  // `handler(ec)` once a read would find something (TLS: also bytes OpenSSL holds already).
  template <class Handler>
  void asyncWaitReadable(Handler&& handler) {
    if (ssl_ && SSL_has_pending(ssl_.get()) == 1) {
      asio::post(get_executor(),
                 beast::bind_front_handler(std::forward<Handler>(handler), error_code{}));
      return;
    }
    socket_.async_wait(waitFor(), std::forward<Handler>(handler));
  }

  // The TLS handshake (`handler(ec)`); nothing to do on a plain connection.
  template <class Handler>
  void asyncHandshake(Handler&& handler) {
    handshakeStep([handler = std::forward<Handler>(handler)](error_code ec, std::size_t) mutable {
      handler(ec);
    });
  }

  // No more writes: TLS sends its close_notify first.
  void shutdownSend(error_code& ec);
  void cancel(error_code& ec) { socket_.cancel(ec); }
  void close(error_code& ec);

 private:
  template <class Buffer, class Buffers>
  static Buffer firstOf(const Buffers& buffers) {
    // A pointer for a single buffer, an iterator for a sequence:
    for (auto it = asio::buffer_sequence_begin(buffers);  // NOLINT(readability-qualified-auto)
         it != asio::buffer_sequence_end(buffers); ++it) {
      const Buffer piece(*it);
      if (piece.size() > 0) {
        return piece;
      }
    }
    return Buffer();
  }

  // What the last OpenSSL call that returned `result` needs: nothing (a wait: the socket's
  // readiness, see waitFor) or the error that ends the connection.
  error_code failure(int result);
  Socket::wait_type waitFor() const;

  template <class Handler>
  void complete(Handler&& handler, error_code ec, std::size_t n) {
    asio::post(get_executor(), beast::bind_front_handler(std::forward<Handler>(handler), ec, n));
  }

  // One OpenSSL call, `io(n)` (SSL_read_ex and its kin): completes `handler(ec, n)` with its
  // outcome, or waits for what OpenSSL wants from the socket and calls `retry(handler)`.
  template <class Io, class Retry, class Handler>
  void attempt(Io&& io, Retry&& retry, Handler&& handler) {
    ERR_clear_error();
    std::size_t n = 0;
    const int result = io(n);
    if (result == 1) {
      complete(std::forward<Handler>(handler), error_code{}, n);
      return;
    }
    if (const error_code ec = failure(result)) {
      complete(std::forward<Handler>(handler), ec, 0);
      return;
    }
    socket_.async_wait(waitFor(),
                       [retry = std::forward<Retry>(retry),
                        handler = std::forward<Handler>(handler)](error_code ec) mutable {
                         if (ec) {
                           handler(ec, std::size_t{0});
                           return;
                         }
                         retry(std::move(handler));
                       });
  }

  template <class Handler>
  void handshakeStep(Handler&& handler) {
    attempt([this](std::size_t& /*n*/) { return SSL_do_handshake(ssl_.get()); },
            [this](auto&& again) { this->handshakeStep(std::forward<decltype(again)>(again)); },
            std::forward<Handler>(handler));
  }

  template <class Handler>
  void tlsRead(asio::mutable_buffer space, Handler&& handler) {
    if (space.size() == 0) {
      complete(std::forward<Handler>(handler), error_code{}, 0);
      return;
    }
    attempt(
        [this, space](std::size_t& n) {
          return SSL_read_ex(ssl_.get(), space.data(), space.size(), &n);
        },
        [this, space](auto&& again) { this->tlsRead(space, std::forward<decltype(again)>(again)); },
        std::forward<Handler>(handler));
  }

  // One record per write (SSL_MODE_ENABLE_PARTIAL_WRITE): pieces smaller than a record are
  // gathered into it first, so a head and a small body go out as one record and one send.
  template <class ConstBuffers, class Handler>
  void tlsWrite(const ConstBuffers& buffers, Handler&& handler) {
    const auto first = firstOf<asio::const_buffer>(buffers);
    const std::size_t total = asio::buffer_size(buffers);
    asio::const_buffer out = first;
    if (first.size() < total && first.size() < kRecord) {
      out = asio::const_buffer(staging(),
                               asio::buffer_copy(asio::buffer(staging(), kRecord), buffers));
    }
    if (out.size() == 0) {
      complete(std::forward<Handler>(handler), error_code{}, 0);
      return;
    }
    // Retried with the same bytes (staged again: the sequence has not moved).
    attempt([this,
             out](std::size_t& n) { return SSL_write_ex(ssl_.get(), out.data(), out.size(), &n); },
            [this, buffers](auto&& again) {
              this->tlsWrite(buffers, std::forward<decltype(again)>(again));
            },
            std::forward<Handler>(handler));
  }

  static constexpr std::size_t kRecord = 16 * 1024;  // TLS's largest record
  static char* staging();                            // one per thread, kRecord bytes

  Socket socket_;
  SslPtr ssl_;
  bool broken_ = false;  // a fatal TLS error: no close_notify may follow
};

}  // namespace gw::proxy::tls
