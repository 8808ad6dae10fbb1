#pragma once
// A route's retry budget: retries may add at most `budget_percent` of the route's requests,
// so an outage is not multiplied by the retry count. A token bucket per worker (no sharing,
// no locked instructions): every request earns budget_percent/100 of a token, every retry
// spends one. The bucket starts with a floor of kFloor tokens and holds at most the floor
// plus what 100 requests earn, so low traffic can still retry and a quiet spell does not bank
// an unbounded burst. Over N requests a worker thus makes at most kFloor + N * percent / 100
// retries.

#include <array>
#include <atomic>
#include <cstdint>

namespace gw::proxy {

class RetryBudget {
 public:
  static constexpr std::int64_t kFloor = 3;
  // Slots by worker index. Beyond this many workers two share a slot: relaxed loads and
  // stores keep that merely imprecise, never undefined.
  static constexpr std::size_t kSlots = 64;

  explicit RetryBudget(int budget_percent);

  // Called by `worker`'s thread.
  void onRequest(int worker);
  bool trySpend(int worker);

 private:
  struct alignas(64) Slot {
    std::atomic<std::int64_t> hundredths{0};  // tokens * 100
  };
  Slot& slot(int worker) { return slots_[static_cast<std::size_t>(worker) % kSlots]; }

  std::array<Slot, kSlots> slots_;
  std::int64_t earn_;  // hundredths per request
  std::int64_t cap_;
};

}  // namespace gw::proxy
