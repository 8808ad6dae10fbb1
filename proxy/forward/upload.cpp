// A request body longer than a retry may keep (retry/policy.hpp), streamed to the upstream by
// Forwarder as it arrives: the head and what was read ahead go first, then each piece the
// client sends, through the client side's own buffer, so memory stays bounded whatever the
// body's size. A Content-Length body goes out as it came; a chunked one is re-framed chunk
// by chunk: chunk extensions are parsed and dropped (RFC 9112 section 7.1.1 lets a proxy drop
// those it does not know), trailers follow the last chunk (chunked.hpp says which). The
// streamed body cannot be sent twice, so there are no retries once it has started.

#include <array>
#include <utility>

#include "proxy/forward/forwarder.hpp"
#include "proxy/http/parse.hpp"

namespace gw::proxy {

void Forwarder::streamRequestBody() {
  writeBodyPiece(true);
  newResponse();
  watchUpstream();
}

void Forwarder::writeBodyPiece(bool with_head) {
  const std::string& piece = exchange_.request().body();
  const bool last = exchange_.parser->is_done();
  const bool chunked = exchange_.parser->chunked();
  const std::size_t line =
      chunked && !piece.empty() ? formatChunkLine(chunk_line_, piece.size()) : 0;
  tail_.clear();
  if (chunked && last) {
    appendLastChunk(exchange_.parser->trailers(), tail_);
  }
  const std::array<asio::const_buffer, 5> buffers{
      with_head ? asio::buffer(head_) : asio::const_buffer(),
      asio::buffer(chunk_line_.data(), line), asio::buffer(piece),
      chunked && !piece.empty() ? asio::buffer(kChunkEnd) : asio::const_buffer(),
      asio::buffer(tail_)};
  body_step_ = BodyStep::kWriting;
  upstream_.write(buffers, handler([this](error_code ec, std::size_t) { onBodyPieceSent(ec); }));
}

void Forwarder::onBodyPieceSent(error_code ec) {
  if (down_->closed()) {
    return;
  }
  body_step_ = BodyStep::kNone;
  if (watch_ == Watch::kAnswered) {
    relayMidBodyAnswer(!ec &&
                       exchange_.parser->is_done());  // the write was cancelled, or just ended
    return;
  }
  if (ec) {
    bodyWriteFailed(ec);
    return;
  }
  exchange_.request().body().clear();  // the next piece is parsed into the same storage
  if (exchange_.parser->is_done()) {
    const bool held = watch_ == Watch::kHeld;
    stopWatching();
    if (held) {
      onResponseHeader(ec);  // the head came early and waited for the body's end
    } else {
      onRequestSent(ec);  // the whole request is out: on to the answer
    }
    return;
  }
  readBodyPiece();
}

// An upstream may answer before the body's end and close (a 413, say). When a write of the
// body fails, the connection is dead, so the read of the answer ends at once: with the answer
// the upstream sent before closing (relayed and counted by its status; the client connection
// then closes, see startRelay), or with nothing, which is a 502 upstream_reset and counts as
// the endpoint's failure (onResponseHeader).
void Forwarder::bodyWriteFailed(error_code ec) {
  const bool held = watch_ == Watch::kHeld;
  stopWatching();
  exchange_.body_cut = true;
  if (held) {
    onResponseHeader({});  // a 2xx head came early: it is the answer, cut body or not
    return;
  }
  ec = upstream_.outcome(ec);
  if (ec == beast::error::timeout) {
    failUpstream(ec, false);  // the answer closes the client: its body is only partly read
    return;
  }
  readResponseHeader();
}

void Forwarder::readBodyPiece() {
  error_code ec;
  parseBuffered(*exchange_.parser, down_->clientBuffer(), false, ec);
  if (ec) {
    stopWatching();
    dropUpstream();  // the upstream has an incomplete request: it cannot be reused
    down_->bodyError(ec);
    return;
  }
  if (!exchange_.request().body().empty() || exchange_.parser->is_done()) {
    writeBodyPiece(false);
    return;
  }
  body_step_ = BodyStep::kReading;
  down_->readFromClient();
}

void Forwarder::onClientRead(error_code ec) {
  body_step_ = BodyStep::kNone;
  if (watch_ == Watch::kAnswered) {
    relayMidBodyAnswer(false);  // the read was cancelled
    return;
  }
  if (ec) {
    down_->closeNow();  // the client went away mid-body
    return;
  }
  readBodyPiece();
}

// An upstream may also answer before the body's end and keep the connection open without
// reading any more (a 413 or a 401, say): the body's writes then stall until a timeout while
// the answer waits in the socket. So while the body goes out the upstream is watched, as RFC
// 9112 ("Failures and Timeouts") asks of a client sending a body. The watch is a wait for
// input, not a read: it holds no buffer, so the connection can be dropped under it, and a
// completion that comes after the watch was stopped is told apart by its number. What is
// there is read without blocking and parsed into `response_`: an interim answer (100
// Continue) is skipped and the upload goes on, and so does a 2xx (kept until the body's end,
// then relayed); any other final head stops it: the pending step (a write to the upstream or
// a read from the client) is cancelled, and once its handler has run the answer is relayed
// with a close (startRelay, exchange_.body_cut). The end of the stream or a
// reset with no head ends the watch and nothing else: the body's next write finds out
// (bodyWriteFailed), as without the watch.
void Forwarder::watchUpstream() {
  watch_ = Watch::kWaiting;
  upstream_.waitReadable(
      handler([this, watch = watch_id_](error_code ec) { onUpstreamReadable(watch, ec); }));
}

void Forwarder::onUpstreamReadable(std::uint32_t watch, error_code ec) {
  if (down_->closed() || watch != watch_id_ || watch_ != Watch::kWaiting || !upstream_.active()) {
    return;
  }
  watch_ = Watch::kOff;
  if (ec) {
    return;
  }
  // What is available is read at once, without waiting.
  const std::size_t n = upstream_.readNow(ec);
  if (ec) {
    return;  // the end of the stream or a reset: the body's next write finds out
  }
  if (n == 0) {
    watchUpstream();  // TLS: a record of its own (a session ticket), no answer yet
    return;
  }
  auto& buffer = upstream_.buffer();
  parseBuffered(*response_, buffer, true, ec);
  while (!ec && response_->is_header_done()) {
    const unsigned status = response_->get().result_int();
    if (status / 100 != 1 || status == 101) {
      break;
    }
    exchange_.upstream_answered = true;
    newResponse();  // an interim answer: the upload goes on
    parseBuffered(*response_, buffer, true, ec);
  }
  if (!ec && !response_->is_header_done()) {
    watchUpstream();  // the rest of the head is still to come
    return;
  }
  if (!ec && response_->get().result_int() / 100 == 2) {
    // A success before the body's end (an upstream that streams its answer while it reads)
    // does not refuse the body: the upload goes on and the answer is relayed after it.
    watch_ = Watch::kHeld;
    return;
  }
  watch_ = Watch::kAnswered;
  watch_ec_ = ec;  // an answer that cannot be parsed is a 502, also without the rest of the body
  switch (body_step_) {
    case BodyStep::kWriting:
      upstream_.cancel();  // the watch is over: the write is all that is pending
      break;
    case BodyStep::kReading:
      down_->cancelRead();
      break;
    case BodyStep::kNone:
      relayMidBodyAnswer(false);  // not expected: a step is pending while the watch is
      break;
  }
}

void Forwarder::stopWatching() {
  if (watch_ == Watch::kWaiting && body_step_ != BodyStep::kWriting) {
    upstream_.cancel();  // only the wait is pending
  }
  watch_ = Watch::kOff;
  ++watch_id_;
}

// The upstream's final answer came while the body was going out; the pending step has ended.
// `body_sent`: that step was the body's last write and it completed, so nothing was cut.
void Forwarder::relayMidBodyAnswer(bool body_sent) {
  watch_ = Watch::kOff;
  ++watch_id_;
  exchange_.body_cut = !body_sent;
  onResponseHeader(std::exchange(watch_ec_, {}));
}

}  // namespace gw::proxy
