#pragma once
// A blocking connection to a Redis server, for work off the request path: the usage flusher's
// thread and `gw usage`. Connects on first call (then AUTH and SELECT when the settings say
// so); every call is bounded by `timeout` (connect, write and read together), and any
// failure drops the connection so the next call starts afresh. One thread at a time.

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "core/config/model.hpp"
#include "core/redis/resp.hpp"
#include "core/result.hpp"

namespace gw::redis {

class Connection {
 public:
  Connection(core::RedisStore settings, std::chrono::milliseconds timeout);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // The reply (which may be a Redis error reply), or why there is none.
  core::Result<Reply> call(const std::vector<std::string_view>& args);
  // Several commands in one round trip: their replies in order.
  core::Result<std::vector<Reply>> callAll(const std::vector<std::vector<std::string_view>>& calls);
  const core::RedisStore& settings() const { return settings_; }

 private:
  core::Status connect(std::chrono::steady_clock::time_point deadline);
  core::Status send(const std::string& request, std::chrono::steady_clock::time_point deadline);
  core::Result<Reply> receive(std::chrono::steady_clock::time_point deadline);
  core::Result<Reply> exchange(const std::string& request,
                               std::chrono::steady_clock::time_point deadline);
  core::Error failure(const std::string& why);
  void drop();

  core::RedisStore settings_;
  std::chrono::milliseconds timeout_;
  int fd_ = -1;
  ReplyParser parser_;
};

}  // namespace gw::redis
