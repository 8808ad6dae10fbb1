#include "proxy/session/tls_refusal.hpp"

#include <boost/asio/write.hpp>

#include "proxy/runtime/worker.hpp"

namespace gw::proxy {
namespace {

constexpr std::uint8_t kHandshakeRecord = 22;
constexpr std::size_t kRecordHeader = 5;
constexpr std::size_t kMaxRecord = 16384 + 2048;  // TLSPlaintext limit with slack
constexpr auto kReadTimeout = std::chrono::seconds(10);
constexpr auto kCloseTimeout = std::chrono::seconds(2);
// A TLS 1.2-framed fatal alert: type 21, version 3.3, length 2, level 2, handshake_failure.
constexpr std::array<std::uint8_t, 7> kHandshakeFailure{21, 3, 3, 0, 2, 2, 40};

}  // namespace

TlsRefusal::TlsRefusal(Worker& worker, Socket socket)
    : worker_(worker), socket_(std::move(socket)) {
  worker_.attach(this);
}

TlsRefusal::~TlsRefusal() { worker_.detach(this); }

void TlsRefusal::start() { readRecord(); }

void TlsRefusal::closeNow() {
  deadline_ = kNever;
  error_code ec;
  socket_.close(ec);
}

void TlsRefusal::onTick(Clock::time_point now) {
  if (now >= deadline_) {
    closeNow();
  }
}

void TlsRefusal::readRecord() {
  deadline_ = Clock::now() + kReadTimeout;
  const bool in_header = have_ < kRecordHeader;
  const std::size_t want =
      in_header ? kRecordHeader - have_ : std::min(record_left_, buffer_.size());
  const std::size_t offset = in_header ? have_ : 0;
  socket_.async_read_some(
      asio::buffer(buffer_.data() + offset, want),
      [self = shared_from_this()](error_code ec, std::size_t n) { self->onRead(ec, n); });
}

void TlsRefusal::onRead(error_code ec, std::size_t n) {
  if (ec) {
    closeNow();
    return;
  }
  if (have_ < kRecordHeader) {
    have_ += n;
    if (have_ < kRecordHeader) {
      readRecord();
      return;
    }
    if (buffer_[0] != kHandshakeRecord) {
      closeNow();  // not TLS at all
      return;
    }
    record_left_ = static_cast<std::size_t>(buffer_[3]) << 8 | buffer_[4];
    if (record_left_ > kMaxRecord) {
      sendAlert();
      return;
    }
  } else {
    record_left_ -= std::min(record_left_, n);
  }
  // Reading the whole ClientHello first means the close below is a FIN, not a reset that
  // could destroy the alert before the client reads it.
  if (record_left_ > 0) {
    readRecord();
    return;
  }
  sendAlert();
}

void TlsRefusal::sendAlert() {
  deadline_ = Clock::now() + kReadTimeout;
  asio::async_write(socket_, asio::buffer(kHandshakeFailure),
                    [self = shared_from_this()](error_code ec, std::size_t) {
                      if (ec) {
                        self->closeNow();
                        return;
                      }
                      error_code ignored;
                      self->socket_.shutdown(Socket::shutdown_send, ignored);
                      self->deadline_ = Clock::now() + kCloseTimeout;
                      self->awaitClose();
                    });
}

// Waits (briefly) for the client to close its side, discarding anything it still sends.
void TlsRefusal::awaitClose() {
  socket_.async_read_some(asio::buffer(buffer_),
                          [self = shared_from_this()](error_code ec, std::size_t) {
                            if (ec) {
                              self->closeNow();
                              return;
                            }
                            self->awaitClose();
                          });
}

}  // namespace gw::proxy
