#pragma once
// One client connection on an http listener: it owns the socket, reads requests (keep-alive,
// pipelined ones in order) and writes their answers. Each request lives in the connection's
// current Exchange (exchange/exchange.hpp), reset between requests; it is routed on the
// worker's current snapshot, runs its route's filter chain (filter/chain.hpp), and is either
// answered here or handed to the connection's Forwarder (forward/forwarder.hpp), for which
// the session is the client side (forward/downstream.hpp): it reads the rest of a streamed
// body and writes the relayed answer when asked. The request path reports failures through
// error codes; every handler runs inside one last-resort catch. Member functions are split by
// step: session.cpp (the connection), request_head.cpp and request_body.cpp (reading a
// request), dispatch.cpp (route and filters), local_answer.cpp (answers the gateway makes,
// after draining a small unread body), websocket.cpp (the hand-over to a Tunnel after an
// upgrade), session_log.cpp (stats and the access log). Limits and timeouts come from the
// listener's gateway in the snapshot current when each request starts;
// http/protection.hpp says what is refused and why.

#include <algorithm>
#include <boost/beast/core/flat_buffer.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "proxy/exchange/exchange.hpp"
#include "proxy/filter/filter.hpp"
#include "proxy/filter/redirect/redirect.hpp"
#include "proxy/forward/downstream.hpp"
#include "proxy/forward/forwarder.hpp"
#include "proxy/http/errors.hpp"
#include "proxy/net.hpp"
#include "proxy/session/client_stream.hpp"
#include "proxy/session/connection.hpp"
#include "proxy/session/in_flight.hpp"
#include "proxy/snapshot/snapshot.hpp"

namespace gw::proxy {

class Worker;
class AccessLogWriter;

class Session final : public Connection,
                      public filter::FilterHost,
                      public Downstream,
                      public std::enable_shared_from_this<Session> {
 public:
  Session(Worker& worker, ClientStream stream, const tcp::endpoint& peer,
          std::uint32_t listener_id);
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

  // Downstream, for the forwarder
  std::shared_ptr<void> hold() override { return shared_from_this(); }
  bool closed() const override { return closed_; }
  void writeToClient(ClientWrite buffers) override;
  void readFromClient() override;
  void cancelRead() override;
  beast::flat_buffer& clientBuffer() override { return buffer_; }
  void answerError(Reason reason) override;
  void answerLocal() override { answerFromFilter(); }
  void finishRequest(bool reuse_client) override;
  void bodyError(error_code ec) override;
  void upgrade(std::string head, std::unique_ptr<UpstreamConnection> upstream) override;

 private:
  enum class Phase { kIdle, kReading, kBusy };

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
  // The request in flight (readHeader makes it).
  Exchange& exchange() { return in_flight_->exchange; }
  const Exchange& exchange() const { return in_flight_->exchange; }
  Forwarder& forwarder() { return in_flight_->forwarder; }

  // Client side (session.cpp; the head in request_head.cpp, the body in request_body.cpp).
  void readRequest();
  void readLean();
  void park();
  void takeBufferBack();
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
  // Reads more of a body into buffer_ under the body timeout, then `next(ec)` (unless the
  // connection closed meanwhile).
  template <class Next>
  void readBodyBytes(Next next) {
    clientDeadline(kBodyTimeout);
    const std::size_t room = buffer_.max_size() - buffer_.size();
    stream_.async_read_some(
        buffer_.prepare(std::min(kReadChunk, room)),
        [self = shared_from_this(), next = std::move(next)](error_code ec, std::size_t n) mutable {
          self->guarded([&] {
            if (self->closed_) {
              return;
            }
            self->client_deadline_ = kNever;
            self->buffer_.commit(n);
            next(ec);
          });
        });
  }
  void dispatch();
  void runFilters(filter::Status status);  // dispatch.cpp: the route's chain, then forward
  void prepareForUpstream();
  void answerFromFilter();
  // A cache hit (cached_answer.cpp): straight from the store when nothing edits it.
  bool writeCachedFast();
  // Local answers (local_answer.cpp), the rest of a small body drained first.
  void redirectToHttps(const filter::RedirectFilter& redirect);
  void writeLocal();
  void drainBody();
  void drainRead();
  void drainEnded(bool complete);
  void lingerThenClose();
  void logRequest();  // session_log.cpp: stats and the access log
  void writeAccessLog(AccessLogWriter& log, Clock::duration duration);
  void meterRequest(const Snapshot& snapshot, Clock::duration duration);

  // WebSocket upgrade (websocket.cpp): the headers passed on; upgrade() hands over.
  void keepUpgradeHeaders(http::fields& fields) const;

  Worker& worker_;
  ClientStream stream_;
  beast::flat_buffer buffer_;
  const std::uint32_t listener_id_;
  std::string client_ip_;
  // A verified client certificate's identities (tls/client_auth.hpp); empty without one.
  std::vector<std::string> client_identities_;
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
  std::shared_ptr<Session> paused_self_;    // alive while a filter holds the exchange
  std::uint32_t destination_ = 0;           // the service the route's weights picked

  std::string cached_head_;  // the head of a cache hit written straight from the store

  // While a request is in flight (session/in_flight.hpp): an idle connection holds none.
  std::unique_ptr<InFlight> in_flight_;
};

}  // namespace gw::proxy
