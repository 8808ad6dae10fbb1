// Reading a request body for Session, and streaming it to the upstream as it arrives. Only
// bodies longer than a retry may keep are streamed (readBody): the head and what was read ahead go
// first, then each piece the client sends, through the connection's own buffer, so memory stays
// bounded whatever the body's size. A Content-Length body goes out as it came; a chunked one is
// re-framed chunk by chunk (extensions and trailers are not passed on). The body cannot be
// sent twice, so there are no retries once it has started.

#include <algorithm>
#include <array>
#include <boost/asio/write.hpp>
#include <cstdio>

#include "proxy/parse.hpp"
#include "proxy/protection.hpp"
#include "proxy/retry/policy.hpp"
#include "proxy/session.hpp"
#include "proxy/worker.hpp"

namespace gw::proxy {
namespace {

constexpr std::string_view kCrlf = "\r\n";
constexpr std::string_view kLastChunk = "0\r\n\r\n";

}  // namespace

// Reads the body ahead up to the size a retry may keep (retry/policy.hpp): a body that ends
// within it is forwarded whole and can be sent again; a longer one (or a longer chunked one)
// is streamed from there on (below), never held whole.
void Session::readBody() {
  error_code ec;
  parseBuffered(*request_, buffer_, false, ec);
  if (ec || request_->is_done() || request_->get().body().size() >= kMaxReplayableBody) {
    onBody(ec);
    return;
  }
  clientDeadline(kBodyTimeout);
  const std::size_t room = buffer_.max_size() - buffer_.size();
  socket_.async_read_some(buffer_.prepare(std::min(kReadChunk, room)),
                          [self = shared_from_this()](error_code read_ec, std::size_t n) {
                            self->guarded([&] {
                              if (self->closed_) {
                                return;
                              }
                              self->buffer_.commit(n);
                              if (read_ec) {
                                self->closeNow();  // the client went away mid-body
                                return;
                              }
                              self->readBody();
                            });
                          });
}

void Session::onBody(error_code ec) {
  if (closed_) {
    return;
  }
  client_deadline_ = kNever;
  if (ec) {
    bodyError(ec);
    return;
  }
  body_streamed_ = !request_->is_done();
  dispatch();
}

void Session::bodyError(error_code ec) {
  if (ec == http::error::body_limit) {
    reject(Reason::kBodyTooLarge);
  } else if (isMalformed(ec)) {
    reject(Reason::kBadRequest);
  } else {
    closeNow();
  }
}

void Session::streamRequestBody() { writeBodyPiece(true); }

void Session::writeBodyPiece(bool with_head) {
  const std::string& piece = request_->get().body();
  const bool last = request_->is_done();
  const bool chunked = request_->chunked();
  chunk_line_size_ = 0;
  if (chunked && !piece.empty()) {
    const int written =
        std::snprintf(chunk_line_.data(), chunk_line_.size(), "%zx\r\n", piece.size());
    chunk_line_size_ = written > 0 ? static_cast<std::size_t>(written) : 0;
  }
  const std::array<asio::const_buffer, 5> buffers{
      with_head ? asio::buffer(head_) : asio::const_buffer(),
      asio::buffer(chunk_line_.data(), chunk_line_size_), asio::buffer(piece),
      chunked && !piece.empty() ? asio::buffer(kCrlf) : asio::const_buffer(),
      chunked && last ? asio::buffer(kLastChunk) : asio::const_buffer()};
  asio::async_write(upstream_->socket, buffers,
                    [self = shared_from_this()](error_code ec, std::size_t) {
                      self->guarded([&] { self->onBodyPieceSent(ec); });
                    });
}

void Session::onBodyPieceSent(error_code ec) {
  if (closed_) {
    return;
  }
  ec = upstreamError(ec);
  if (ec) {
    failUpstream(ec, false);  // the answer closes the client: its body is only partly read
    return;
  }
  request_->get().body().clear();  // the next piece is parsed into the same storage
  if (request_->is_done()) {
    onRequestSent(ec);  // the whole request is out: on to the answer
    return;
  }
  readBodyPiece();
}

void Session::readBodyPiece() {
  error_code ec;
  parseBuffered(*request_, buffer_, false, ec);
  if (ec) {
    dropUpstream();  // the upstream has an incomplete request: it cannot be reused
    bodyError(ec);
    return;
  }
  if (!request_->get().body().empty() || request_->is_done()) {
    writeBodyPiece(false);
    return;
  }
  clientDeadline(kBodyTimeout);
  const std::size_t room = buffer_.max_size() - buffer_.size();
  socket_.async_read_some(buffer_.prepare(std::min(kReadChunk, room)),
                          [self = shared_from_this()](error_code read_ec, std::size_t n) {
                            self->guarded([&] {
                              if (self->closed_) {
                                return;
                              }
                              self->client_deadline_ = kNever;
                              self->buffer_.commit(n);
                              if (read_ec) {
                                self->closeNow();  // the client went away mid-body
                                return;
                              }
                              self->readBodyPiece();
                            });
                          });
}

}  // namespace gw::proxy
