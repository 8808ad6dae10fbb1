#include "proxy/session/session.hpp"

#include <sys/socket.h>

#include <boost/asio/write.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/read.hpp>
#include <cerrno>
#include <string_view>

#include "proxy/http/headers.hpp"
#include "proxy/http/parse.hpp"
#include "proxy/http/protection.hpp"
#include "proxy/observe/access_log.hpp"
#include "proxy/runtime/worker.hpp"
#include "proxy/tls/acme_tls_alpn.hpp"
#include "proxy/tls/client_auth.hpp"

namespace gw::proxy {
namespace {

constexpr auto kLingerTimeout = std::chrono::seconds(2);
// A TLS client has this long to finish its handshake (nginx allows 60 s; a handshake takes
// a few round trips).
constexpr auto kHandshakeTimeout = std::chrono::seconds(10);
constexpr std::size_t kLingerLimit = 1024 * 1024;
constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";

}  // namespace

Session::Session(Worker& worker, ClientStream stream, const tcp::endpoint& peer,
                 std::uint32_t listener_id)
    : worker_(worker),
      stream_(std::move(stream)),
      buffer_(kClientBufferLimit),
      listener_id_(listener_id) {
  auto address = peer.address();
  if (address.is_v6() && address.to_v6().is_v4_mapped()) {
    address = asio::ip::make_address_v4(asio::ip::v4_mapped, address.to_v6());
  }
  client_ip_ = address.to_string();
  worker_.attach(this);
}

// What the connection held goes back to the thread's cache for the next connection, so a
// connection per request allocates neither (in_flight.hpp).
Session::~Session() {
  worker_.detach(this);
  if (in_flight_ && in_flight_->forwarder.idle()) {
    in_flight_->exchange.reset();
    giveInFlight(std::move(in_flight_));
  }
  if (buffer_.capacity() > 0) {
    buffer_.clear();
    giveReadBuffer(std::move(buffer_));
  }
}

void Session::start() {
  if (!stream_.tls()) {
    readRequest();
    return;
  }
  refreshSnapshot();  // keeps the certificates the handshake picks from alive
  clientDeadline(kHandshakeTimeout);
  stream_.asyncHandshake([self = shared_from_this()](error_code ec) {
    self->guarded([&] {
      if (self->closed_) {
        return;
      }
      self->client_deadline_ = kNever;
      if (ec) {
        self->closeNow();  // a client that could not agree on TLS: nothing to answer
        return;
      }
      if (tls::answeredChallenge(self->stream_.ssl())) {
        self->lingerThenClose();  // the handshake was the answer (RFC 8737 section 3)
        return;
      }
      if (self->listener_ != nullptr && self->listener_->tls &&
          self->listener_->tls->asksForClientCertificates()) {
        self->client_identities_ = tls::peerIdentities(self->stream_.ssl());
      }
      self->readRequest();
    });
  });
}

void Session::onDrain() {
  if (phase_ == Phase::kIdle) {
    closeNow();
  }
}

void Session::closeNow() {
  if (closed_) {
    return;
  }
  closed_ = true;
  client_deadline_ = kNever;
  error_code ec;
  stream_.close(ec);
  if (in_flight_) {
    in_flight_->forwarder.abort();
  }
}

void Session::onTick(Clock::time_point now) {
  if (now >= client_deadline_) {
    if (phase_ == Phase::kReading && !head_timed_out_ && in_flight_ && exchange().parser &&
        !exchange().parser->is_header_done()) {
      // A head still arriving after header_read (slowloris): the read is cancelled and
      // the client told 408 before the close.
      head_timed_out_ = true;
      client_deadline_ = now + kLingerTimeout;
      error_code ec;
      stream_.cancel(ec);
      return;
    }
    if (body_draining_) {
      // The rest of a body took too long to drain: the read is cancelled and the local
      // answer goes out with a close (local_answer.cpp).
      body_draining_ = false;
      client_deadline_ = now + writeTimeout();
      error_code ec;
      stream_.cancel(ec);
      return;
    }
    closeNow();  // idle, slow or stalled client
  } else if (in_flight_) {
    in_flight_->forwarder.expire(now);  // the pending upstream operation fails as a timeout
  }
}

void Session::readRequest() {
  phase_ = Phase::kIdle;
  if (closed_) {
    return;
  }
  if (buffer_.size() > 0) {  // a pipelined request is already here
    readHeader();
    return;
  }
  refreshSnapshot();
  clientDeadline(idleTimeout());
  readLean();
}

// An idle connection holds no buffer, as in nginx and HAProxy: it reads what is there into a
// buffer from the thread's cache (in_flight.hpp), and when nothing is, gives the buffer and
// the request's state back and waits for readiness. The read that found nothing is the one
// a waiting read makes anyway, so this costs no syscall.
void Session::readLean() {
  takeBufferBack();
  const asio::mutable_buffer space = buffer_.prepare(kReadChunk);
  const ssize_t n = stream_.tryRead(space);
  if (n > 0) {
    buffer_.commit(static_cast<std::size_t>(n));
    readHeader();
    return;
  }
  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
    park();
    return;
  }
  closeNow();  // the client closed, or the connection failed
}

void Session::park() {
  giveReadBuffer(std::move(buffer_));
  if (in_flight_ && in_flight_->forwarder.idle()) {
    giveInFlight(std::move(in_flight_));  // else a completion still to come refers to it
  }
  // The read above drained the socket, so what comes next raises a new readiness.
  stream_.asyncWaitReadable([self = shared_from_this()](error_code ec) {
    self->guarded([&] {
      if (ec || self->closed_) {
        self->closeNow();
        return;
      }
      self->readLean();
    });
  });
}

// A lean connection's buffer, from the thread's cache (in_flight.hpp).
void Session::takeBufferBack() {
  if (buffer_.capacity() == 0) {
    buffer_ = takeReadBuffer();
    buffer_.max_size(kClientBufferLimit);
  }
}

void Session::onHeader(error_code ec) {
  if (closed_) {
    return;
  }
  client_deadline_ = kNever;
  exchange().started = Clock::now();
  if (ec) {
    if (ec == http::error::header_limit || ec == http::error::buffer_overflow) {
      reject(Reason::kHeaderTooLarge);
    } else if (ec == http::error::body_limit) {
      reject(Reason::kBodyTooLarge);
    } else if (isMalformed(ec)) {
      reject(Reason::kBadRequest);
    } else {
      closeNow();
    }
    return;
  }
  const auto& req = exchange().request();
  exchange().client_version = req.version();
  exchange().client_keep_alive = req.keep_alive();
  exchange().client_closes = !req.keep_alive();
  exchange().head_request = req.method() == http::verb::head;
  if (const Reason refused = checkHead(req, limits()); refused != Reason::kNone) {
    reject(refused);
    return;
  }
  exchange().websocket = isWebSocketUpgrade(req);
  exchange().te_trailers = acceptsTrailers(req);
  if (exchange().parser->is_done()) {
    dispatch();
    return;
  }
  if (!beast::iequals(req[http::field::expect], "100-continue")) {
    readBody();
    return;
  }
  clientDeadline(writeTimeout());
  asio::async_write(stream_, asio::buffer(kContinue),
                    [self = shared_from_this()](error_code ec_write, std::size_t) {
                      if (ec_write) {
                        self->closeNow();
                        return;
                      }
                      self->guarded([&] { self->readBody(); });
                    });
}

void Session::writeToClient(ClientWrite buffers) {
  clientDeadline(writeTimeout());
  asio::async_write(stream_, buffers, [self = shared_from_this()](error_code ec, std::size_t) {
    self->guarded([&] {
      if (self->closed_) {
        return;
      }
      self->client_deadline_ = kNever;
      self->forwarder().onClientWritten(ec);
    });
  });
}

void Session::finishRequest(bool reuse_client) {
  client_deadline_ = kNever;
  logRequest();
  // A client that said it sends no more, and whose request was read to its end with
  // nothing after it, has nothing unread to turn the close into a reset: closed at once,
  // as nginx does, without the half-close and the wait for its FIN.
  const bool nothing_unread = exchange().client_closes && exchange().parser &&
                              exchange().parser->is_done() && buffer_.size() == 0;
  exchange().reset();
  if (!reuse_client || worker_.draining() || closed_) {
    if (nothing_unread) {
      closeNow();
    } else {
      lingerThenClose();
    }
    return;
  }
  readRequest();
}

// Closing a socket with unread input sends a reset, which can destroy the answer before the
// client reads it (a 413 or 431 while the client is still sending). So: send FIN, read and
// drop what still comes for a moment, then close.
void Session::lingerThenClose() {
  if (closed_) {
    return;
  }
  phase_ = Phase::kIdle;
  error_code ec;
  stream_.shutdownSend(ec);
  if (ec || linger_bytes_ > kLingerLimit) {
    closeNow();
    return;
  }
  buffer_.consume(buffer_.size());
  clientDeadline(kLingerTimeout);
  stream_.async_read_some(buffer_.prepare(kReadChunk),
                          [self = shared_from_this()](error_code read_ec, std::size_t n) {
                            self->linger_bytes_ += n;
                            if (read_ec) {
                              self->closeNow();
                              return;
                            }
                            self->guarded([&] { self->lingerThenClose(); });
                          });
}

}  // namespace gw::proxy
