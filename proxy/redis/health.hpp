#pragma once
// The circuit breaker of one Redis server, shared by every worker's connection to it: after
// kThreshold failures in a row (no answer within the timeout, a refused or broken connection)
// it opens for kOpenFor, and calls fail at once instead of waiting; then the next call tries
// again (half open), and one that succeeds closes it. What a failed call falls back to is the
// caller's business (a rate limit's onStoreError).
//
// Every Redis server the proxy talks to has one, listed on the process's board so that the
// admin API (and `gw status`) can show its state.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace gw::proxy::redis {

class Health {
 public:
  static constexpr int kThreshold = 3;
  static constexpr auto kOpenFor = std::chrono::seconds(1);

  explicit Health(std::string address) : address_(std::move(address)) {}

  // Whether a call may go out now (closed, or open long enough to try again).
  bool allows(std::chrono::steady_clock::time_point now) const;
  void succeeded();
  void failed(std::chrono::steady_clock::time_point now, const std::string& why);

  struct View {
    std::string address;
    bool open = false;
    std::uint64_t failures = 0;  // calls that failed since the proxy started
    std::uint64_t calls = 0;
    std::string last_error;
  };
  View view() const;

 private:
  std::string address_;
  std::atomic<int> in_a_row_{0};
  std::atomic<std::int64_t> open_until_{0};  // steady_clock ticks
  std::atomic<std::uint64_t> failures_{0};
  std::atomic<std::uint64_t> calls_{0};
  mutable std::mutex error_mutex_;
  std::string last_error_;
};

// The Redis servers of this process, for the admin API.
std::shared_ptr<Health> healthFor(const std::string& address);
std::vector<Health::View> healthViews();

}  // namespace gw::proxy::redis
