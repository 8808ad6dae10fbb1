// The answers Session makes itself: errors (with their reason in x-gw-error), redirects and
// direct responses.
//
// A local answer (no route, a redirect, a direct response, an upstream failure) can come
// while the request body is still arriving: the gateway reads at most 64 KiB before routing
// (readBody), and a streamed body stops being read when its upstream fails. What is left
// unread would be taken for the next request, so before answering, Session reads and drops
// a small rest, as nginx does when it discards a body: up to kDrainLimit bytes within
// kDrainTimeout, and the connection is kept. A longer rest (known from Content-Length, or
// found while reading a chunked one), a slow client or a broken body gets the answer with
// Connection: close instead, then lingerThenClose. Refusals (400, 413) never come here:
// reject() has already given up on the connection.

#include <algorithm>
#include <boost/beast/http/write.hpp>

#include "proxy/http/parse.hpp"
#include "proxy/runtime/worker.hpp"
#include "proxy/session/session.hpp"

namespace gw::proxy {
namespace {

// Reading this much costs less than a new connection (a TCP and maybe a TLS handshake), and
// it is what the gateway would have read ahead anyway (kMaxReplayableBody).
constexpr std::size_t kDrainLimit = 64 * 1024;
constexpr auto kDrainTimeout = std::chrono::seconds(1);
constexpr auto kWriteTimeout = std::chrono::seconds(60);

}  // namespace

void Session::answerRedirect(const std::string& location, int code) {
  status_ = static_cast<unsigned>(code);
  reason_ = Reason::kNone;
  local_ = {};
  local_.result(static_cast<unsigned>(code));
  local_.set(http::field::location, location);
  local_.set(http::field::content_type, "text/plain");
  local_.body() = "redirecting to " + location + "\n";
  if (route_ != nullptr) {
    route_->actions.response_headers.apply(local_);
  }
  writeLocal();
}

void Session::answerError(Reason reason) {
  const ReasonInfo& info = describe(reason);
  status_ = info.status;
  reason_ = reason;
  local_ = {};
  local_.result(info.status);
  local_.set(http::field::content_type, "text/plain");
  local_.set("x-gw-error", info.code);
  local_.body() = info.body;
  writeLocal();
}

void Session::writeLocal() {
  phase_ = Phase::kBusy;
  if (client_keep_alive_ && !worker_.draining() && request_ && request_->is_header_done() &&
      !request_->is_done()) {
    drainBody();  // comes back here with the body read, or to close
    return;
  }
  local_.version(client_version_);
  // A body left unread (too long to drain) would be read as the next request: the
  // connection ends instead.
  local_.keep_alive(client_keep_alive_ && !worker_.draining() &&
                    (!request_ || request_->is_done()));
  if (request_id_.empty()) {
    request_id_.generate();  // refused before it was routed
  }
  local_.set(kRequestIdHeader, request_id_.view());
  local_.prepare_payload();
  if (head_request_) {
    local_.body().clear();  // Content-Length still tells what a GET would get
  }
  bytes_ = local_.body().size();
  clientDeadline(kWriteTimeout);
  http::async_write(socket_, local_, [self = shared_from_this()](error_code ec, std::size_t) {
    self->guarded([&] { self->finishRequest(!ec && self->local_.keep_alive()); });
  });
}

void Session::drainBody() {
  const auto left = request_->content_length_remaining();
  if (left && *left > kDrainLimit) {
    drainEnded(false);
    return;
  }
  body_draining_ = true;  // onTick clears it when kDrainTimeout passes
  drained_bytes_ = 0;
  clientDeadline(kDrainTimeout);
  drainRead();
}

void Session::drainRead() {
  error_code ec;
  parseBuffered(*request_, buffer_, false, ec);
  request_->get().body().clear();
  if (ec || request_->is_done() || drained_bytes_ > kDrainLimit || !body_draining_) {
    drainEnded(!ec && request_->is_done());
    return;
  }
  const std::size_t room = buffer_.max_size() - buffer_.size();
  socket_.async_read_some(buffer_.prepare(std::min(kReadChunk, room)),
                          [self = shared_from_this()](error_code ec_read, std::size_t n) {
                            self->guarded([&] {
                              if (self->closed_) {
                                return;
                              }
                              self->buffer_.commit(n);
                              self->drained_bytes_ += n;
                              if (ec_read == asio::error::operation_aborted) {
                                self->drainEnded(false);  // kDrainTimeout passed
                              } else if (ec_read) {
                                self->closeNow();  // the client went away mid-body
                              } else {
                                self->drainRead();
                              }
                            });
                          });
}

void Session::drainEnded(bool complete) {
  body_draining_ = false;
  client_deadline_ = kNever;
  if (!complete) {
    client_keep_alive_ = false;
  }
  writeLocal();
}

}  // namespace gw::proxy
