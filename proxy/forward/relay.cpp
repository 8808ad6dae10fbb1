// The answer half of Forwarder: the response head is adjusted in place and relayed with the
// body, which is never copied: the parser notes where each piece of body lies in the upstream
// connection's buffer (http/span_body.hpp) and they are written to the client from there, as
// many as the buffer holds in one gathered write, before that buffer is read into again. So
// a large answer moves in reads and writes of up to kRelayRead bytes, and a slow client
// holds one buffer, not the answer. A body that keeps its framing (Content-Length, none, or
// an HTTP/1.0 close) goes out as written by the upstream, the head with the first pieces; a
// chunked one (or one the upstream ends with a close) is framed here, the pieces of one
// write as one chunk, and its last chunk carries the upstream's trailers (chunked.hpp says
// which are passed on). An HTTP/1.0 client gets no chunks, so no trailers. After a
// WebSocket upgrade's 101 the head and the upstream connection go to the client side,
// which hands both connections to a tunnel.

#include <algorithm>

#include "proxy/cache/fill.hpp"
#include "proxy/compress/negotiate.hpp"
#include "proxy/exchange/limit_fields.hpp"
#include "proxy/forward/forwarder.hpp"
#include "proxy/http/headers.hpp"
#include "proxy/http/parse.hpp"
#include "proxy/runtime/worker.hpp"

namespace gw::proxy {
namespace {

// What one read from the upstream asks for: a 256 KiB answer takes eight reads and eight
// writes. The buffer keeps this capacity while its connection lives (pooled ones too).
constexpr std::size_t kRelayRead = 32 * 1024;

// A compressed answer goes out when the upstream has nothing more for the moment, or once
// this much of it is made (unflushed: the stream goes on).
constexpr std::size_t kEncodedWrite = 32 * 1024;
// At most this much of an answer is compressed in one turn of the worker's loop (a body that
// compresses very well makes little output of a lot), so other connections wait little.
constexpr std::size_t kEncodeTurn = 256 * 1024;

// The pieces of one read, into the encoder without a flush.
bool encodeUnflushed(compress::Encoder& encoder, const SpanBody::value_type& body,
                     std::string& out) {
  for (std::size_t i = 0; i < body.count; ++i) {
    const auto& piece = body.pieces[i];
    const std::string_view in(static_cast<const char*>(piece.data()), piece.size());
    if (!encoder.write(in, out, false)) {
      return false;
    }
  }
  return true;
}

bool bodyless(unsigned status) { return status / 100 == 1 || status == 204 || status == 304; }

// Whole field lines the gateway adds to a relayed head (kept per thread: no allocation).
std::string& relayFields() {
  thread_local std::string fields;
  fields.clear();
  return fields;
}

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
  down_->upgrade(std::move(head), upstream_.release());
}

void Forwarder::startRelay() {
  auto& res = response_->get();
  exchange_.status = res.result_int();
  upstream_reusable_ = response_->keep_alive();
  stripHopByHop(res);
  encoder_.reset();
  encoded_.clear();
  if (exchange_.facts.compress != nullptr) {
    startEncoding(res);  // before the cache sees the head: it stores what the client gets
  }
  cache::Fill* fill = exchange_.cache.get();
  if (fill != nullptr && fill->onHead(exchange_.status, res, exchange_.request(),
                                      exchange_.head_request) == cache::Fill::Head::kServeStored) {
    serveStored(*fill);
    return;
  }
  std::string& more = relayFields();
  const ExtraField request_id = gatewayFields(res, fill, more);
  // HSTS of the listener's gateway, unless the upstream (or a filter) sent its own.
  if (exchange_.hsts != nullptr && res.find(http::field::strict_transport_security) == res.end()) {
    res.set(http::field::strict_transport_security, *exchange_.hsts);
  }
  res.version(exchange_.client_version);
  bool keep = exchange_.client_keep_alive && !worker_.draining();
  const bool header_only = exchange_.head_request || bodyless(exchange_.status);
  if (!header_only) {
    if (exchange_.client_version < 11) {
      if (res.chunked()) {
        res.chunked(false);  // HTTP/1.0 has no chunks: the close ends the body
        keep = false;
      } else if (!res.has_content_length()) {
        keep = false;  // a compressed answer, or one the upstream ends with a close
      }
    } else if (!res.chunked() && !res.has_content_length()) {
      res.chunked(true);  // the upstream ends the body with a close; the client keeps going
    }
  }
  if (!exchange_.parser->is_done() || exchange_.body_cut) {
    // The upstream answered before the whole body was sent (upload.cpp). What the
    // client still sends may be megabytes, for a request already answered: instead of
    // reading it all, the answer says close and lingerThenClose reads for a moment so the
    // answer is not lost to a reset. Neither connection can carry another request.
    keep = false;
    upstream_reusable_ = false;
  }
  res.keep_alive(keep);
  relay_chunked_ = res.chunked() && !header_only;
  head_.clear();
  appendHead(res, head_, request_id, more);
  head_pending_ = true;
  relayParse();
}

// The gateway's own fields on a relayed head: its request id (replacing the upstream's), and
// a caching route's Cache-Status and a limited route's RateLimit fields (the upstream's own of
// those names dropped). They are written straight into the head (`more`, and the extra field
// returned) unless the route's filters see the answer: their edits have the last word, on
// these too.
ExtraField Forwarder::gatewayFields(http::response_header<>& res, const cache::Fill* fill,
                                    std::string& more) {
  const filter::FilterChain& chain = exchange_.route->chain;
  const ExchangeFacts::LimitReport& limits = exchange_.facts.rate_limit;
  if (fill != nullptr) {
    res.erase("cache-status");
  }
  if (!chain.hasResponseHooks()) {
    res.erase(kRequestIdHeader);
    if (fill != nullptr) {
      more.append("Cache-Status: ").append(fill->cacheStatus()).append("\r\n");
    }
    if (limits.name != nullptr) {
      eraseLimitFields(limits, res);
      appendLimitFields(limits, more);
    }
    return {kRequestIdHeader, exchange_.request_id.view()};
  }
  res.set(kRequestIdHeader, exchange_.request_id.view());
  if (fill != nullptr) {
    res.set("Cache-Status", fill->cacheStatus());
  }
  if (limits.name != nullptr) {
    writeLimitFields(limits, res);
  }
  chain.runResponse(exchange_, res, true);  // before any framing
  return {};
}

// A route that compresses: an answer that qualifies varies by Accept-Encoding, and is
// compressed when the client takes one of the route's encodings (a HEAD gets the fields a GET
// would, without a body).
void Forwarder::startEncoding(http::response_header<>& res) {
  const core::Compress& spec = *exchange_.facts.compress;
  if (!compress::eligible(exchange_.status, res, spec)) {
    return;
  }
  compress::addVary(res);
  if (!exchange_.facts.encode) {
    return;
  }
  compress::markEncoded(res, exchange_.facts.encoding);
  if (!exchange_.head_request) {
    encoder_ = compress::makeEncoder(exchange_.facts.encoding);
  }
}

// The pieces of this write, compressed into encoded_ (after what relayParse already put
// there), then the stream flushed, or ended with the body; a write's worth of it goes out
// unflushed, and the stream is flushed before the relay next waits for the upstream.
bool Forwarder::encodePieces() {
  if (!encodeUnflushed(*encoder_, response_->get().body(), encoded_)) {
    return false;
  }
  if (response_->is_done()) {
    return encoder_->finish(encoded_);
  }
  if (encoded_.size() >= kEncodedWrite || !encoder_->held()) {
    return true;
  }
  return encoder_->write({}, encoded_, true);
}

// A stored answer serves instead of the upstream's (a 304 that confirmed it, or an error
// stale-if-error covers): the upstream's answer is dropped, its connection pooled when the
// answer had no body.
void Forwarder::serveStored(const cache::Fill& fill) {
  if (upstream_reusable_ && response_->is_done()) {
    upstream_.finish(&worker_.pool(), true, Clock::now());
  } else {
    dropUpstream();
  }
  response_.reset();
  fill.writeServed(exchange_.local);
  exchange_.facts.cache = fill.result();
  down_->answerLocal();
}

// The pieces of body the upstream's buffer holds, written at once; a read when there is none.
// An answer being compressed first takes what else the upstream has sent by now (read without
// waiting), up to a write's worth of output: a body that arrives at once is compressed in one
// go, in one turn of the worker's loop, and leaves no flushes in the stream. The encoder's
// state stays in cache, and the worker keeps few streams in use, however many answers it
// relays. Before the relay waits for the upstream, what the encoder holds is flushed and
// written, so a slow upstream's pieces still reach the client as they come.
void Forwarder::relayParse() {
  auto& body = response_->get().body();
  auto& buffer = upstream_.buffer();
  error_code ec;
  std::size_t taken = 0;  // compressed in this turn
  for (;;) {
    body.clear();
    parseBuffered(*response_, buffer, false, ec);
    const bool pieces_full = ec == http::error::need_buffer;
    if (pieces_full) {
      ec = {};  // as many pieces as one write takes: the rest after it
    }
    if (ec) {
      relayFailed(ec);
      return;
    }
    if (!encoder_ || response_->is_done() || encoded_.size() >= kEncodedWrite ||
        taken >= kEncodeTurn) {
      break;
    }
    taken += body.bytes;
    if (!encodeUnflushed(*encoder_, body, encoded_)) {
      endRelay(false);  // the compressor failed: the client sees a cut answer
      return;
    }
    body.clear();
    if (!pieces_full) {
      // What the upstream has sent by now, up to one read's worth (the buffer keeps the
      // capacity a read gives it); an error or the end of the stream is left to the next read.
      const std::size_t max = buffer.max_size();
      buffer.max_size(std::min(max, buffer.size() + kRelayRead));
      const std::size_t n = upstream_.readNow(ec);
      buffer.max_size(max);
      if (n == 0) {
        ec = {};
        break;  // nothing more for now
      }
    }
  }
  const bool held = encoder_ && (encoder_->held() || !encoded_.empty());
  if (body.count == 0 && !response_->is_done() && !head_pending_ && !held) {
    relayRead();  // framing only (a chunk header), or nothing yet
    return;
  }
  relayWrite();
}

void Forwarder::relayRead() {
  auto& buffer = upstream_.buffer();
  const std::size_t room = buffer.max_size() - buffer.size();
  if (room == 0) {
    relayFailed(http::error::buffer_overflow);  // framing that never ends
    return;
  }
  upstream_.expiresAt(Clock::now() + exchange_.route->timeout);
  upstream_.readSome(std::min(kRelayRead, room),
                     handler([this](error_code ec, std::size_t n) { onRelayRead(ec, n); }));
}

void Forwarder::onRelayRead(error_code ec, std::size_t n) {
  if (down_->closed()) {
    return;
  }
  upstream_.noDeadline();
  upstream_.buffer().commit(n);
  if (ec == asio::error::eof) {
    response_->put_eof(ec);  // the end of a body the close delimits; else cut short
  }
  ec = upstream_.outcome(ec);
  if (ec) {
    relayFailed(ec);
    return;
  }
  relayParse();
}

void Forwarder::relayFailed(error_code ec) {
  if (head_pending_) {  // nothing sent yet: the client still gets a clean error
    failUpstream(ec, false);
  } else {
    endRelay(false);
  }
}

void Forwarder::relayWrite() {
  const auto& body = response_->get().body();
  // What goes out after the head: the upstream's pieces as they lie, or what the encoder
  // made of them.
  std::array<asio::const_buffer, SpanBody::kMaxPieces> out{};
  std::size_t count = 0;
  std::size_t bytes = 0;
  if (encoder_) {
    if (!encodePieces()) {
      endRelay(false);  // the compressor failed: the client sees a cut answer
      return;
    }
    if (encoded_.empty() && !response_->is_done() && !head_pending_) {
      relayRead();  // the compressor holds it all back for now
      return;
    }
    if (!encoded_.empty()) {
      out[count++] = asio::buffer(encoded_);
    }
    bytes = encoded_.size();
  } else {
    for (std::size_t i = 0; i < body.count; ++i) {
      out[count++] = body.pieces[i];
    }
    bytes = body.bytes;
  }
  exchange_.bytes += bytes;
  if (exchange_.cache) {  // a copy for the store, up to its object bound
    for (std::size_t i = 0; i < count; ++i) {
      exchange_.cache->onBody(out[i].data(), out[i].size());
    }
  }
  // A chunk of size 0 would end the body: no pieces are written as nothing.
  const bool chunk = relay_chunked_ && bytes > 0;
  std::size_t n = 0;
  if (head_pending_) {
    relay_write_[n++] = asio::buffer(head_);
    head_pending_ = false;
  }
  if (chunk) {
    relay_write_[n++] = asio::buffer(chunk_line_.data(), formatChunkLine(chunk_line_, bytes));
  }
  for (std::size_t i = 0; i < count; ++i) {
    relay_write_[n++] = out[i];
  }
  if (chunk) {
    relay_write_[n++] = asio::buffer(kChunkEnd);
  }
  if (relay_chunked_ && response_->is_done()) {
    tail_.clear();
    appendLastChunk(response_->trailers(), tail_);
    relay_write_[n++] = asio::buffer(tail_);
  }
  down_->writeToClient({relay_write_.data(), n});
}

void Forwarder::onClientWritten(error_code ec) {
  if (ec) {
    endRelay(false);
    return;
  }
  if (response_->is_done()) {
    endRelay(true);
    return;
  }
  encoded_.clear();  // written
  relayParse();      // what the buffer still holds, then the next read
}

void Forwarder::endRelay(bool complete) {
  const bool keep = complete && response_->get().keep_alive();
  if (exchange_.cache) {
    exchange_.cache->onEnd(complete && response_->is_done());
  }
  if (complete && upstream_reusable_ && response_->is_done()) {
    upstream_.finish(&worker_.pool(), true, Clock::now());
  } else {
    dropUpstream();
  }
  response_.reset();
  encoder_.reset();
  down_->finishRequest(keep);
}

}  // namespace gw::proxy
