// Reading a request head for Session: the gateway's limits and deadlines (from the snapshot
// current when the head starts), the raw-byte screening and the checks of protection.hpp,
// and the refusals that end a connection.

#include <algorithm>
#include <string_view>

#include "proxy/http/parse.hpp"
#include "proxy/http/protection.hpp"
#include "proxy/runtime/worker.hpp"
#include "proxy/session/session.hpp"

namespace gw::proxy {

// The snapshot (and so the limits and routes) a request is served with: the worker's
// newest when its head starts.
void Session::refreshSnapshot() {
  if (snapshot_ == worker_.snapshot() && snapshot_) {
    return;
  }
  snapshot_ = worker_.snapshot();
  listener_ = snapshot_ ? snapshot_->listener(listener_id_) : nullptr;
  gateway_ =
      listener_ != nullptr ? snapshot_->config->findGateway(listener_->gateway_name) : nullptr;
}

const core::Limits& Session::limits() const {
  static const core::Limits kDefaults;
  return gateway_ != nullptr ? gateway_->limits : kDefaults;
}

Clock::duration Session::idleTimeout() const {
  return gateway_ != nullptr ? gateway_->timeouts.idle : core::GatewayTimeouts{}.idle;
}

Clock::duration Session::writeTimeout() const {
  return gateway_ != nullptr ? gateway_->timeouts.write : core::GatewayTimeouts{}.write;
}

void Session::readHeader() {
  phase_ = Phase::kReading;
  refreshSnapshot();
  if (!in_flight_) {
    in_flight_ = takeInFlight(worker_, *this);
  }
  const core::Limits& limit = limits();
  exchange().parser.emplace();
  exchange().parser->header_limit(limit.max_header_bytes);
  exchange().parser->body_limit(limit.max_body_bytes);
  buffer_.max_size(std::max<std::size_t>(kClientBufferLimit, limit.max_header_bytes + kReadChunk));
  head_timed_out_ = false;
  head_searched_ = 0;
  exchange().body_streamed = false;
  exchange().websocket = false;
  exchange().te_trailers = false;
  exchange().hsts = listener_ != nullptr ? listener_->hsts.get() : nullptr;
  // From the first byte of the head: a client cannot keep it open by trickling bytes.
  clientDeadline(gateway_ != nullptr ? gateway_->timeouts.header_read
                                     : core::GatewayTimeouts{}.header_read);
  parseHead();
}

// The head is parsed once it is all here (Beast needs it whole anyway), after the raw bytes
// have been screened for what the parser would silently accept.
void Session::parseHead() {
  const std::string_view bytes(static_cast<const char*>(buffer_.data().data()), buffer_.size());
  const std::size_t end = headEnd(bytes, head_searched_);
  head_searched_ = bytes.size();
  if (end != std::string_view::npos) {
    if (const Reason screened = screenHead(bytes.substr(0, end)); screened != Reason::kNone) {
      reject(screened);
      return;
    }
    // Judged before parsing: the parser consumes the request line even when it then fails.
    const Reason oversized = oversizedHead(bytes, limits());
    error_code ec;
    parseBuffered(*exchange().parser, buffer_, true, ec);
    if (ec == http::error::header_limit || ec == http::error::buffer_overflow) {
      reject(oversized);
      return;
    }
    if (!ec && !exchange().parser->is_header_done()) {
      ec = http::error::bad_line_ending;  // a blank line the parser did not take as the end
    }
    onHeader(ec);
    return;
  }
  if (bytes.size() > limits().max_header_bytes) {
    reject(oversizedHead(bytes, limits()));
    return;
  }
  const std::size_t room = buffer_.max_size() - buffer_.size();
  stream_.async_read_some(buffer_.prepare(std::min(kReadChunk, room)),
                          [self = shared_from_this()](error_code ec, std::size_t n) {
                            self->guarded([&] { self->onHeadBytes(ec, n); });
                          });
}

void Session::onHeadBytes(error_code ec, std::size_t n) {
  if (closed_) {
    return;
  }
  buffer_.commit(n);
  if (ec) {
    if (head_timed_out_) {
      reject(Reason::kRequestTimeout);
    } else {
      closeNow();  // the client went away mid-head
    }
    return;
  }
  parseHead();
}

// A refused request ends its connection: what follows it on the wire cannot be trusted to
// start where the refused one ends.
void Session::reject(Reason reason) {
  exchange().client_keep_alive = false;
  if (!exchange().parser || !exchange().parser->is_header_done()) {
    exchange().client_version = 11;
    exchange().head_request = false;
  }
  answerError(reason);
}

}  // namespace gw::proxy
