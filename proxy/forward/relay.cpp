// The answer half of Forwarder: the response head is adjusted in place and relayed
// with the body through a fixed buffer. A body that keeps its framing (Content-Length,
// none, or an HTTP/1.0 close) goes out as written by the upstream, the head and the first
// piece in one gathered write; a chunked one (or one the upstream ends with a close) is
// framed here, piece by piece, and its last chunk carries the upstream's trailers
// (chunked.hpp says which are passed on). An HTTP/1.0 client gets no chunks, so no trailers.
// After a WebSocket upgrade's 101 the head and the upstream connection go to the client
// side, which hands both connections to a tunnel.

#include <array>
#include <boost/beast/http/read.hpp>

#include "proxy/forward/forwarder.hpp"
#include "proxy/http/headers.hpp"
#include "proxy/http/parse.hpp"
#include "proxy/runtime/worker.hpp"

namespace gw::proxy {
namespace {

constexpr std::size_t kRelayBuffer = 16 * 1024;

bool bodyless(unsigned status) { return status / 100 == 1 || status == 204 || status == 304; }

}  // namespace

void Forwarder::upgrade() {
  auto& res = response_->get();
  exchange_.status = 101;
  stripHopByHop(res);
  res.version(11);
  res.set(http::field::connection, "Upgrade");
  res.set(http::field::upgrade, "websocket");
  std::string head;
  appendHead(res, head);
  response_.reset();
  down_.upgrade(std::move(head), upstream_.release());
}

void Forwarder::startRelay() {
  auto& res = response_->get();
  exchange_.status = res.result_int();
  upstream_reusable_ = response_->keep_alive();
  stripHopByHop(res);
  // The gateway's request id replaces the upstream's. It is written straight into the head
  // unless the route's filters see the answer: their edits have the last word, on it too.
  const filter::FilterChain& chain = exchange_.route->chain;
  ExtraField request_id{kRequestIdHeader, exchange_.request_id.view()};
  if (!chain.hasResponseHooks()) {
    res.erase(kRequestIdHeader);
  } else {
    res.set(kRequestIdHeader, exchange_.request_id.view());
    chain.runResponse(exchange_, res, true);  // before any framing
    request_id = {};
  }
  res.version(exchange_.client_version);
  bool keep = exchange_.client_keep_alive && !worker_.draining();
  const bool header_only = exchange_.head_request || bodyless(exchange_.status);
  if (!header_only) {
    if (exchange_.client_version < 11) {
      if (res.chunked()) {
        res.chunked(false);  // HTTP/1.0 has no chunks: the close ends the body
        keep = false;
      }
    } else if (!res.chunked() && !res.has_content_length()) {
      res.chunked(true);  // the upstream ends the body with a close; the client keeps going
    }
  }
  if (!exchange_.parser->is_done() || exchange_.body_cut) {
    // The upstream answered before the whole body was sent (request_body.cpp). What the
    // client still sends may be megabytes, for a request already answered: instead of
    // reading it all, the answer says close and lingerThenClose reads for a moment so the
    // answer is not lost to a reset. Neither connection can carry another request.
    keep = false;
    upstream_reusable_ = false;
  }
  res.keep_alive(keep);
  if (!relay_buffer_) {
    relay_buffer_ = std::make_unique<char[]>(kRelayBuffer);
  }
  relay_chunked_ = res.chunked() && !header_only;
  head_.clear();
  appendHead(res, head_, request_id);
  head_pending_ = true;
  relayRead();
}

void Forwarder::relayRead() {
  auto& body = response_->get().body();
  if (response_->is_done()) {
    body.data = nullptr;
    body.size = 0;
    body.more = false;
    relayWrite(0);
    return;
  }
  body.data = relay_buffer_.get();
  body.size = kRelayBuffer;
  error_code ec;
  parseBuffered(*response_, upstream_.buffer(), false, ec);
  if (ec || body.size != kRelayBuffer || response_->is_done()) {
    onRelayRead(ec);  // the upstream's buffer already held some (or all) of the body
    return;
  }
  upstream_.expiresAt(Clock::now() + exchange_.route->timeout);
  upstream_.readSome(*response_, [hold = down_.hold(), this](error_code read_ec, std::size_t) {
    guarded([&] { onRelayRead(read_ec); });
  });
}

void Forwarder::onRelayRead(error_code ec) {
  if (down_.closed()) {
    return;
  }
  upstream_.noDeadline();
  ec = upstream_.outcome(ec);
  if (ec == http::error::need_buffer) {
    ec = {};
  }
  if (ec) {
    if (head_pending_) {  // nothing sent yet: the client still gets a clean error
      failUpstream(ec, false);
    } else {
      endRelay(false);
    }
    return;
  }
  auto& body = response_->get().body();
  const std::size_t got = kRelayBuffer - body.size;
  exchange_.bytes += got;
  if (got == 0 && !response_->is_done() && !head_pending_) {
    relayRead();  // framing only (a chunk header): nothing to pass on yet
    return;
  }
  relayWrite(got);
}

void Forwarder::relayWrite(std::size_t got) {
  // A chunk of size 0 would end the body: an empty piece is written as nothing.
  const bool chunk = relay_chunked_ && got > 0;
  const bool last = relay_chunked_ && response_->is_done();
  const std::size_t line = chunk ? formatChunkLine(chunk_line_, got) : 0;
  tail_.clear();
  if (last) {
    appendLastChunk(response_->trailers(), tail_);
  }
  const ClientWrite buffers{
      head_pending_ ? asio::buffer(head_) : asio::const_buffer(),
      asio::buffer(chunk_line_.data(), line), asio::buffer(relay_buffer_.get(), got),
      chunk ? asio::buffer(kChunkEnd) : asio::const_buffer(), asio::buffer(tail_)};
  head_pending_ = false;
  down_.writeToClient(buffers);
}

void Forwarder::onClientWritten(error_code ec) {
  if (ec == http::error::need_buffer) {
    ec = {};
  }
  if (ec) {
    endRelay(false);
    return;
  }
  if (response_->is_done()) {
    endRelay(true);
    return;
  }
  relayRead();
}

void Forwarder::endRelay(bool complete) {
  const bool keep = complete && response_->get().keep_alive();
  if (complete && upstream_reusable_ && response_->is_done()) {
    upstream_.finish(&worker_.pool(), true, Clock::now());
  } else {
    dropUpstream();
  }
  response_.reset();
  down_.finishRequest(keep);
}

}  // namespace gw::proxy
