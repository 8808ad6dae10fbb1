#pragma once
// Sends one exchange's request to its service and relays the answer to the client side
// (downstream.hpp). It is the route's terminal step, after the filters: an endpoint picked by
// the service's balancer, a pooled or fresh connection through one UpstreamCall
// (upstream/call.hpp), the tries (retry/tries.hpp: policy, budget, per-try and connect
// timeouts), a long request body streamed as it arrives while the upstream is watched for an
// early answer, and the answer relayed through a fixed buffer without holding it whole.
// Files: forwarder.cpp (endpoints, connections, tries, failures), upload.cpp (a streamed
// request body), relay.cpp (the answer). A failure the client must hear about becomes a
// gateway-made answer (Downstream::answerError) with the reason retry::failureReason gives.

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "proxy/balancer/service_balancer.hpp"
#include "proxy/compress/encoder.hpp"
#include "proxy/exchange/exchange.hpp"
#include "proxy/forward/downstream.hpp"
#include "proxy/http/chunked.hpp"
#include "proxy/http/headers.hpp"
#include "proxy/http/span_body.hpp"
#include "proxy/net.hpp"
#include "proxy/upstream/call.hpp"

namespace gw::proxy {

class Worker;
namespace cache {
class Fill;
}

class Forwarder {
 public:
  // `exchange` is the one it serves (it outlives the forwarder); `down` the client side it
  // serves now, which owns it (attach() moves it to another, when it is idle()).
  Forwarder(Worker& worker, Downstream& down, Exchange& exchange);
  void attach(Downstream& down) { down_ = &down; }

  // Sends the exchange's request (prepared by the client side, body read or to be streamed)
  // to `service` of the exchange's snapshot, and relays what comes back.
  void forward(std::uint32_t service);

  // The client side's completions (downstream.hpp).
  void onClientWritten(error_code ec);
  void onClientRead(error_code ec);

  // The pending upstream step fails as a timeout when its deadline has passed (the worker's
  // sweep); abort() closes the upstream connection when the client side closes.
  void expire(Clock::time_point now) { upstream_.expire(now); }
  void abort();
  // No completion of an upstream step is pending: the forwarder may be destroyed.
  bool idle() const { return pending_ == 0; }

 private:
  // While a streamed body goes out, exactly one step of it is pending: a write to the
  // upstream or a read from the client. Beside it the upstream is watched for an answer
  // (kWaiting: a wait, which holds no buffer, so the connection may be dropped under it);
  // kAnswered: a refusing head came, the pending step was cancelled, and the answer is
  // relayed once that step's handler has run; kHeld: a 2xx head came and waits in
  // `response_` for the body's end (upload.cpp).
  enum class BodyStep { kNone, kWriting, kReading };
  enum class Watch { kOff, kWaiting, kAnswered, kHeld };

  // The completion handler of an upstream step: it keeps the client side alive, is counted
  // while pending (idle()), and runs `fn` inside the one last-resort catch.
  template <class Fn>
  auto handler(Fn fn) {
    ++pending_;
    return [hold = down_->hold(), this, fn = std::move(fn)](auto... args) mutable {
      --pending_;
      try {
        fn(args...);
      } catch (...) {
        down_->closeNow();  // a bug, not the client's doing: lose this connection, keep the worker
      }
    };
  }

  // forwarder.cpp
  void attempt();
  void armUpstreamDeadline(bool connecting);
  void connectFresh();
  void onConnect(error_code ec);
  void sendRequest();
  // After an upstream step: false when the client side closed or the error was dealt with
  // (a retry started, or the client answered); true to go on.
  bool upstreamStepOk(error_code ec);
  void onRequestSent(error_code ec);
  void newResponse();  // a fresh parser in `response_` for the next response head
  void readResponseHeader();
  void onResponseHeader(error_code ec);
  bool retryStale(error_code ec);
  bool retryAfterFailure(error_code ec, bool connecting);
  bool retryNext();
  void failUpstream(error_code ec, bool connecting);
  void dropUpstream();
  void reportOutcome(balancer::Outcome outcome);  // to the service's outlier detection

  // upload.cpp: a request body longer than a retry keeps, streamed to the upstream, which is
  // watched for an answer meanwhile.
  void streamRequestBody();
  void writeBodyPiece(bool with_head);
  void onBodyPieceSent(error_code ec);
  void readBodyPiece();
  void bodyWriteFailed(error_code ec);
  void watchUpstream();
  void onUpstreamReadable(std::uint32_t watch, error_code ec);
  void stopWatching();
  void relayMidBodyAnswer(bool body_sent);

  // relay.cpp
  void upgrade();  // the upstream's 101 for a WebSocket upgrade
  void startRelay();
  void serveStored(const cache::Fill& fill);
  void startEncoding(http::response_header<>& res);
  bool encodePieces();
  ExtraField gatewayFields(http::response_header<>& res, const cache::Fill* fill,
                           std::string& more);
  void relayParse();
  void relayRead();
  void onRelayRead(error_code ec, std::size_t n);
  void relayFailed(error_code ec);
  void relayWrite();
  void endRelay(bool complete);

  Worker& worker_;
  Downstream* down_;
  Exchange& exchange_;

  // Heads are written from `head_`, the last chunk and its trailers from `tail_`
  // (capacities kept per connection); chunked framing is written here too.
  UpstreamCall upstream_;
  std::optional<ResponseParser<SpanBody>> response_;
  std::string head_;
  std::string tail_;
  ChunkLine chunk_line_{};  // a chunk's size line (and CRLF), streamed or relayed
  bool head_pending_ = false;
  bool relay_chunked_ = false;  // the answer goes to the client chunked (relay.cpp)
  bool upstream_reusable_ = false;
  // An answer compressed on its way (compress/): the encoder, and what it made of the pieces
  // of one write (capacity kept per connection).
  std::unique_ptr<compress::Encoder> encoder_;
  std::string encoded_;
  // One write to the client: the head, a chunk's line, the pieces, its CRLF, the last chunk.
  std::array<asio::const_buffer, SpanBody::kMaxPieces + 4> relay_write_{};

  BodyStep body_step_ = BodyStep::kNone;
  Watch watch_ = Watch::kOff;
  std::uint32_t watch_id_ = 0;  // tells a stale wait's completion from the current one's
  error_code watch_ec_{};       // an answer the watch could not parse: 502 once the step ends
  int pending_ = 0;             // upstream completions still to run
};

}  // namespace gw::proxy
