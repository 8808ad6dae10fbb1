// Reading a request body for Session, and streaming it to the upstream as it arrives. Only
// bodies longer than a retry may keep are streamed (readBody): the head and what was read ahead go
// first, then each piece the client sends, through the connection's own buffer, so memory stays
// bounded whatever the body's size. A Content-Length body goes out as it came; a chunked one is
// re-framed chunk by chunk: chunk extensions are parsed and dropped (RFC 9112 section 7.1.1
// lets a proxy drop those it does not know), trailers follow the last chunk (chunked.hpp
// says which). A body read whole goes out with a Content-Length (forward.cpp), so it can be
// sent again on a retry; its trailers are then dropped, not merged into the head: RFC 9110
// section 6.5.2 allows merging only fields defined to be safe there. The streamed body
// cannot be sent twice, so there are no retries once it has started.

#include <algorithm>
#include <array>
#include <boost/asio/write.hpp>

#include "proxy/parse.hpp"
#include "proxy/protection.hpp"
#include "proxy/retry/policy.hpp"
#include "proxy/session.hpp"
#include "proxy/worker.hpp"

namespace gw::proxy {
namespace {

constexpr std::string_view kCrlf = "\r\n";

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
  const std::size_t line =
      chunked && !piece.empty() ? formatChunkLine(chunk_line_, piece.size()) : 0;
  tail_.clear();
  if (chunked && last) {
    appendLastChunk(request_->trailers(), tail_);
  }
  const std::array<asio::const_buffer, 5> buffers{
      with_head ? asio::buffer(head_) : asio::const_buffer(),
      asio::buffer(chunk_line_.data(), line), asio::buffer(piece),
      chunked && !piece.empty() ? asio::buffer(kCrlf) : asio::const_buffer(), asio::buffer(tail_)};
  asio::async_write(upstream_->socket, buffers,
                    [self = shared_from_this()](error_code ec, std::size_t) {
                      self->guarded([&] { self->onBodyPieceSent(ec); });
                    });
}

void Session::onBodyPieceSent(error_code ec) {
  if (closed_) {
    return;
  }
  if (ec) {
    bodyWriteFailed(ec);
    return;
  }
  request_->get().body().clear();  // the next piece is parsed into the same storage
  if (request_->is_done()) {
    onRequestSent(ec);  // the whole request is out: on to the answer
    return;
  }
  readBodyPiece();
}

// An upstream may answer before the body's end and close (a 413, say); a client sending a
// body is to watch for such an answer (RFC 9112, "Failures and Timeouts"), and so does the
// proxy. Only once writing fails is the answer read, so an upstream that keeps reading still
// gets the whole body. The failed write leaves the connection dead, so the read ends at
// once: with the answer the upstream sent before closing (relayed and counted by its status;
// the client connection then closes, see startRelay), or with nothing, which is a 502
// upstream_reset and counts as the endpoint's failure (onResponseHeader).
void Session::bodyWriteFailed(error_code ec) {
  ec = upstreamError(ec);
  if (ec == beast::error::timeout) {
    failUpstream(ec, false);  // the answer closes the client: its body is only partly read
    return;
  }
  readResponseHeader();
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
