#pragma once
// One client connection on an http listener: reads requests (keep-alive, pipelined ones in
// order), routes each on the worker's current snapshot, answers it locally or forwards it
// over a pooled upstream connection, and relays the answer through a fixed buffer without
// holding it whole. The request path reports failures through error codes; every handler
// runs inside one last-resort catch. Member functions are split by side: session.cpp
// (client), forward.cpp (upstream request), relay.cpp (upstream answer).

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/serializer.hpp>
#include <boost/beast/http/string_body.hpp>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "proxy/connection.hpp"
#include "proxy/errors.hpp"
#include "proxy/net.hpp"
#include "proxy/snapshot.hpp"
#include "proxy/upstream_pool.hpp"

namespace gw::proxy {

class Worker;

class Session final : public Connection, public std::enable_shared_from_this<Session> {
 public:
  Session(Worker& worker, Socket socket, std::uint32_t listener_id);
  ~Session() override;
  void start();
  void onDrain() override;
  void closeNow() override;
  void onTick(Clock::time_point now) override;

 private:
  enum class Phase { kIdle, kReading, kBusy };

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

  // Client side (session.cpp).
  void readRequest();
  void onFirstBytes(error_code ec, std::size_t n);
  void readHeader();
  void onHeader(error_code ec);
  void readBody();
  void onBody(error_code ec);
  void dispatch();
  void answerRedirect(const std::string& location);
  void answerError(Reason reason);
  void writeLocal();
  void finishRequest(bool reuse_client);
  void lingerThenClose();
  void logRequest();

  // Upstream request (forward.cpp).
  void forward(std::uint32_t service);
  void attempt();
  void connectFresh();
  void onConnect(error_code ec);
  void sendRequest();
  void onRequestSent(error_code ec);
  void readResponseHeader();
  void onResponseHeader(error_code ec);
  error_code upstreamError(error_code ec) const;
  bool retryStale(error_code ec);
  bool retryAfterFailure(error_code ec, bool connecting);
  void failUpstream(error_code ec, bool connecting);
  void dropUpstream();

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
  Clock::time_point client_deadline_ = kNever;
  Clock::time_point upstream_deadline_ = kNever;
  bool upstream_timed_out_ = false;

  // The request in progress; `snapshot_` keeps its routes and services alive.
  std::shared_ptr<const Snapshot> snapshot_;
  std::optional<http::request_parser<http::string_body>> request_;
  const ListenerEntry* listener_ = nullptr;
  const RouteEntry* route_ = nullptr;
  const ServiceEntry* service_ = nullptr;
  const EndpointEntry* endpoint_ = nullptr;
  Clock::time_point started_{};
  Clock::time_point deadline_{};  // the route's timeout for this request
  bool client_keep_alive_ = true;
  unsigned client_version_ = 11;
  bool head_request_ = false;
  bool idempotent_ = false;
  int retries_left_ = 0;
  bool stale_retry_used_ = false;
  bool reused_ = false;
  unsigned status_ = 0;
  Reason reason_ = Reason::kNone;
  std::uint64_t bytes_ = 0;
  std::string original_path_;  // set only when a rewrite changed the target

  // The upstream exchange. Heads are written from `head_` (capacity kept per connection);
  // a response that must be re-chunked goes through Beast's serializer instead.
  std::unique_ptr<UpstreamConnection> upstream_;
  std::optional<http::response_parser<http::buffer_body>> response_;
  std::optional<http::response_serializer<http::buffer_body>> serializer_;
  std::string head_;
  bool head_pending_ = false;
  bool upstream_reusable_ = false;
  std::unique_ptr<char[]> relay_buffer_;

  // Answers the gateway makes itself.
  http::response<http::string_body> local_;
};

}  // namespace gw::proxy
