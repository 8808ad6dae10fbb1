#pragma once
// One client connection on an http listener: it owns the socket, reads requests (keep-alive,
// pipelined ones in order) and writes their answers. Each request lives in the connection's
// current Exchange (exchange/exchange.hpp), reset between requests; it is routed on the
// worker's current snapshot, runs its route's filter chain (filter/chain.hpp), and is either
// answered here or forwarded through one UpstreamCall (upstream/call.hpp), whose answer is
// relayed through a fixed buffer without holding it whole. The request path reports failures
// through error codes; every handler runs inside one last-resort catch. Member functions are
// split by step: session.cpp (the connection), request_head.cpp and request_body.cpp
// (reading a request, streaming a long body), dispatch.cpp (route and filters),
// local_answer.cpp (answers the gateway makes, after draining a small unread body),
// forward.cpp (tries, retries, upstream failures), relay.cpp (the upstream's answer),
// websocket.cpp (the hand-over to a Tunnel after an upgrade), session_log.cpp (stats and the
// access log). Limits and timeouts come from the listener's gateway in the snapshot current
// when each request starts; http/protection.hpp says what is refused and why.

#include <array>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "proxy/exchange/exchange.hpp"
#include "proxy/filter/filter.hpp"
#include "proxy/http/chunked.hpp"
#include "proxy/http/errors.hpp"
#include "proxy/net.hpp"
#include "proxy/session/connection.hpp"
#include "proxy/snapshot/snapshot.hpp"
#include "proxy/upstream/call.hpp"

namespace gw::proxy {

class Worker;
class AccessLogWriter;

class Session final : public Connection,
                      public filter::FilterHost,
                      public std::enable_shared_from_this<Session> {
 public:
  Session(Worker& worker, Socket socket, std::uint32_t listener_id);
  ~Session() override;
  void start();
  void onDrain() override;
  void closeNow() override;
  void onTick(Clock::time_point now) override;

  // filter::FilterHost
  void resume(filter::Status status) override;
  std::uint32_t roll() override;
  Worker* worker() override { return &worker_; }
  int workerIndex() override;

 private:
  enum class Phase { kIdle, kReading, kBusy };
  // While a streamed body goes out, exactly one step of it is pending: a write to the
  // upstream or a read from the client. Beside it the upstream is watched for an answer
  // (kWaiting: a wait, which holds no buffer, so the connection may be dropped under it);
  // kAnswered: a refusing head came, the pending step was cancelled, and the answer is
  // relayed once that step's handler has run; kHeld: a 2xx head came and waits in
  // `response_` for the body's end (request_body.cpp).
  enum class BodyStep { kNone, kWriting, kReading };
  enum class Watch { kOff, kWaiting, kAnswered, kHeld };

  // Large enough for a whole head plus what the read after it brings (more when a gateway
  // allows larger heads).
  static constexpr std::size_t kClientBufferLimit = 64 * 1024;
  static constexpr std::size_t kReadChunk = 16 * 1024;
  static constexpr auto kBodyTimeout = std::chrono::seconds(30);

  // The one last-resort catch: every completion handler runs through it.
  template <class Fn>
  void guarded(Fn&& fn) {
    try {
      fn();
    } catch (...) {
      closeNow();  // a bug, not the client's doing: lose this connection, keep the worker
    }
  }
  void clientDeadline(Clock::duration timeout) { client_deadline_ = Clock::now() + timeout; }

  // Client side (session.cpp; the head in request_head.cpp, the body in request_body.cpp).
  void readRequest();
  void onFirstBytes(error_code ec, std::size_t n);
  void refreshSnapshot();
  const core::Limits& limits() const;
  Clock::duration idleTimeout() const;
  Clock::duration writeTimeout() const;  // each write to the client
  void readHeader();
  void parseHead();
  void onHeadBytes(error_code ec, std::size_t n);
  void reject(Reason reason);
  void onHeader(error_code ec);
  void readBody();
  void onBody(error_code ec);
  void bodyError(error_code ec);
  void dispatch();
  void runFilters(filter::Status status);  // dispatch.cpp: the route's chain, then forward
  void prepareForUpstream();
  void answerFromFilter();
  // Local answers (local_answer.cpp), the rest of a small body drained first.
  void answerError(Reason reason);
  void writeLocal();
  void drainBody();
  void drainRead();
  void drainEnded(bool complete);
  void finishRequest(bool reuse_client);
  void lingerThenClose();
  void logRequest();  // session_log.cpp: stats and the access log
  void writeAccessLog(AccessLogWriter& log, Clock::duration duration);

  // Upstream request (forward.cpp).
  void forward(std::uint32_t service);
  void attempt();
  void armUpstreamDeadline(bool connecting);
  void connectFresh();
  void onConnect(error_code ec);
  void sendRequest();
  // After an upstream step: false when the session closed or the error was dealt with (a
  // retry started, or the client answered); true to go on.
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

  // A request body longer than a retry keeps, streamed to the upstream (request_body.cpp).
  void streamRequestBody();
  void writeBodyPiece(bool with_head);
  void onBodyPieceSent(error_code ec);
  void readBodyPiece();
  void bodyWriteFailed(error_code ec);
  // Watching the upstream for an answer while the body goes out (request_body.cpp).
  void watchUpstream();
  void onUpstreamReadable(std::uint32_t watch, error_code ec);
  void stopWatching();
  void relayMidBodyAnswer(bool body_sent);

  // WebSocket upgrade (websocket.cpp): the headers passed on, the hand-over to a Tunnel.
  void keepUpgradeHeaders(http::fields& fields) const;
  void startTunnel();

  // Upstream answer (relay.cpp).
  void startRelay();
  void relayRead();
  void onRelayRead(error_code ec);
  void relayWrite(std::size_t got);
  void onRelayWrite(error_code ec);
  void endRelay(bool complete);

  Worker& worker_;
  Socket socket_;
  beast::flat_buffer buffer_;
  const std::uint32_t listener_id_;
  std::string client_ip_;
  Phase phase_ = Phase::kIdle;
  bool closed_ = false;
  std::size_t linger_bytes_ = 0;
  bool body_draining_ = false;  // reading a body's rest before a local answer (drainBody)
  std::size_t drained_bytes_ = 0;
  Clock::time_point client_deadline_ = kNever;
  bool head_timed_out_ = false;    // header_read passed: the pending read was cancelled
  std::size_t head_searched_ = 0;  // how much of the buffer was searched for the head's end

  // The request in progress; `snapshot_` keeps its routes and services alive.
  std::shared_ptr<const Snapshot> snapshot_;
  const ListenerEntry* listener_ = nullptr;
  const core::Gateway* gateway_ = nullptr;  // the listener's, in snapshot_
  Exchange exchange_;
  BodyStep body_step_ = BodyStep::kNone;
  Watch watch_ = Watch::kOff;
  std::uint32_t watch_id_ = 0;  // tells a stale wait's completion from the current one's
  error_code watch_ec_{};       // an answer the watch could not parse: 502 once the step ends
  ChunkLine chunk_line_{};      // a chunk's size line (and CRLF), streamed or relayed
  std::shared_ptr<Session> paused_self_;  // alive while a filter holds the exchange
  std::uint32_t destination_ = 0;         // the service the route's weights picked

  // The upstream exchange. Heads are written from `head_`, the last chunk and its trailers
  // from `tail_` (capacities kept per connection); chunked framing is written here too.
  UpstreamCall upstream_;
  std::optional<ResponseParser<http::buffer_body>> response_;
  std::string head_;
  std::string tail_;
  bool head_pending_ = false;
  bool relay_chunked_ = false;  // the answer goes to the client chunked (relay.cpp)
  bool upstream_reusable_ = false;
  std::unique_ptr<char[]> relay_buffer_;
};

}  // namespace gw::proxy
