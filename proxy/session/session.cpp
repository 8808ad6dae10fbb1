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

namespace gw::proxy {
namespace {

constexpr auto kLingerTimeout = std::chrono::seconds(2);
constexpr std::size_t kLingerLimit = 1024 * 1024;
constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";

}  // namespace

Session::Session(Worker& worker, Socket socket, std::uint32_t listener_id)
    : worker_(worker),
      socket_(std::move(socket)),
      buffer_(kClientBufferLimit),
      listener_id_(listener_id) {
  error_code ec;
  const auto remote = socket_.remote_endpoint(ec);
  if (!ec) {
    auto address = remote.address();
    if (address.is_v6() && address.to_v6().is_v4_mapped()) {
      address = asio::ip::make_address_v4(asio::ip::v4_mapped, address.to_v6());
    }
    client_ip_ = address.to_string();
  }
  worker_.attach(this);
}

Session::~Session() { worker_.detach(this); }

void Session::start() { readRequest(); }

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
  socket_.close(ec);
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
      socket_.cancel(ec);
      return;
    }
    if (body_draining_) {
      // The rest of a body took too long to drain: the read is cancelled and the local
      // answer goes out with a close (local_answer.cpp).
      body_draining_ = false;
      client_deadline_ = now + writeTimeout();
      error_code ec;
      socket_.cancel(ec);
      return;
    }
    closeNow();  // idle, slow or stalled client
  } else if (phase_ == Phase::kIdle && now >= lean_at_ && buffer_.capacity() > 0 && !going_lean_) {
    going_lean_ = true;  // the read is cancelled; onFirstBytes then waits lean
    error_code ec;
    socket_.cancel(ec);
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
  // The next request is read into the buffer the last one used, which a busy connection
  // keeps. One that stays idle for kLeanAfter gives it back (onTick, waitLean).
  takeBufferBack();
  lean_at_ = client_deadline_ - idleTimeout() + kLeanAfter;
  socket_.async_read_some(buffer_.prepare(kReadChunk),
                          [self = shared_from_this()](error_code ec, std::size_t n) {
                            self->guarded([&] { self->onFirstBytes(ec, n); });
                          });
}

void Session::onFirstBytes(error_code ec, std::size_t n) {
  if (closed_) {
    return;
  }
  buffer_.commit(n);
  if (ec == asio::error::operation_aborted && going_lean_ && buffer_.size() == 0) {
    going_lean_ = false;
    waitLean();
    return;
  }
  going_lean_ = false;
  if (ec) {
    closeNow();
    return;
  }
  readHeader();
}

// An idle connection holds no buffer, as in nginx and HAProxy: the buffer and the request's
// state go back to the thread's cache (in_flight.hpp) and the connection waits for the next
// request's bytes before it takes them again. A peek first: bytes that came before the
// wait raise no new readiness to wait for.
void Session::waitLean() {
  char byte = 0;
  const ssize_t peeked = ::recv(socket_.native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  if (peeked != 0 && !(peeked < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))) {
    readFirstBytes();  // bytes, the close, or an error: the read says which
    return;
  }
  giveReadBuffer(std::move(buffer_));
  if (in_flight_ && in_flight_->forwarder.idle()) {
    giveInFlight(std::move(in_flight_));  // else a completion still to come refers to it
  }
  socket_.async_wait(Socket::wait_read, [self = shared_from_this()](error_code ec) {
    self->guarded([&] {
      if (ec || self->closed_) {
        self->closeNow();
        return;
      }
      self->readFirstBytes();
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

void Session::readFirstBytes() {
  takeBufferBack();
  const asio::mutable_buffer space = buffer_.prepare(kReadChunk);
  const ssize_t n = ::recv(socket_.native_handle(), space.data(), space.size(), MSG_DONTWAIT);
  if (n > 0) {
    buffer_.commit(static_cast<std::size_t>(n));
    readHeader();
    return;
  }
  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
    waitLean();  // woken for nothing: wait again
    return;
  }
  closeNow();  // the client closed, or the connection failed
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
  asio::async_write(socket_, asio::buffer(kContinue),
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
  asio::async_write(socket_, buffers, [self = shared_from_this()](error_code ec, std::size_t) {
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
  exchange().reset();
  if (!reuse_client || worker_.draining() || closed_) {
    lingerThenClose();
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
  lean_at_ = kNever;  // this read is the linger's own
  error_code ec;
  socket_.shutdown(Socket::shutdown_send, ec);
  if (ec || linger_bytes_ > kLingerLimit) {
    closeNow();
    return;
  }
  buffer_.consume(buffer_.size());
  clientDeadline(kLingerTimeout);
  socket_.async_read_some(buffer_.prepare(kReadChunk),
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
