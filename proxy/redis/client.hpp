#pragma once
// One worker's connection to a Redis server: commands are pipelined on one socket and their
// replies matched in order. Connects on first use (then AUTH and SELECT when the document
// says so) and again after a failure. Every call has the store's timeout: when the oldest
// call's passes, the connection is dropped and every call on it fails, so no request waits
// longer than that; the server's Health counts it, and while its breaker is open, call()
// refuses at once. Worker thread only; handlers keep the client alive (and a connection
// unused for kIdle is closed, so a client nobody holds goes away).

#include <boost/asio/steady_timer.hpp>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/config/model.hpp"
#include "core/redis/resp.hpp"
#include "proxy/net.hpp"
#include "proxy/redis/health.hpp"

namespace gw::proxy::redis {

using ::gw::redis::appendCommand;
using ::gw::redis::Reply;
using ::gw::redis::ReplyParser;

class Client : public std::enable_shared_from_this<Client> {
 public:
  static constexpr auto kIdle = std::chrono::seconds(60);  // an unused connection is closed

  // The reply, or null when the call failed (no answer in time, no connection).
  using Callback = std::function<void(const Reply* reply)>;

  Client(asio::io_context& ioc, tcp::endpoint server, core::RedisStore settings,
         std::shared_ptr<Health> health);

  // False (and `done` never called) when the breaker is open: fall back at once.
  bool call(const std::vector<std::string_view>& args, Callback done);
  void close();  // on the worker's thread: fails what is pending

 private:
  struct Pending {
    Callback done;  // empty for the connection's own AUTH and SELECT
    Clock::time_point deadline;
  };

  void connect();
  void startWrite();
  void startRead();
  void armTimer();
  void onReply(const Reply& reply);
  // Drops the connection and fails every pending call; `count`: as a failure of the server.
  void fail(const std::string& why, bool count = true);

  Socket socket_;
  asio::basic_waitable_timer<Clock, asio::wait_traits<Clock>, Executor> timer_;
  tcp::endpoint server_;
  core::RedisStore settings_;
  std::shared_ptr<Health> health_;
  enum class State { kClosed, kConnecting, kOpen } state_ = State::kClosed;
  std::string out_;      // commands not yet written
  std::string writing_;  // the bytes of the write in flight
  bool write_busy_ = false;
  std::uint64_t generation_ = 0;  // one per connection: handlers of an older one do nothing
  std::deque<Pending> pending_;
  ReplyParser parser_;
  std::array<char, 4096> in_{};
  Clock::time_point timer_at_ = kNever;
  Clock::time_point last_used_ = Clock::now();
};

}  // namespace gw::proxy::redis
