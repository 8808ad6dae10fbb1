#pragma once
// A consumer's quota counter (metering/usage_meter.hpp owns them, one per consumer and period
// kind, so a reload keeps them; filter/quota/ takes and gives back units on the request path).

#include <atomic>
#include <cstdint>

namespace gw::proxy::metering {

// A consumer's requests in the current quota period, taken and given back without a lock:
// an atomic word holds the period and this gateway's count, so a request at a period's turn
// either counts in the old period or starts the new one. A second word holds what the store
// says others admitted in the period (the seed, then what gateways sharing a Redis store
// added).
class QuotaCounter {
 public:
  QuotaCounter(std::int64_t period, std::int64_t used);
  // One more request in `period` (a day or month number) when fewer than `limit` were taken.
  bool take(std::int64_t period, std::int64_t limit);
  void giveBack(std::int64_t period);
  std::int64_t used(std::int64_t period) const;

  // The flusher's side. Requests this gateway stored in `period` since the counter was made.
  void stored(std::int64_t period, std::int64_t admitted);
  // The store's total for `period`: others' part is what this gateway did not store.
  void sync(std::int64_t period, std::int64_t store_total);
  // Whether the counter took a request within the last `rounds` calls (of the flusher).
  bool recentlyActive(int rounds);

 private:
  std::atomic<std::uint64_t> word_;
  std::atomic<std::uint64_t> others_;
  std::atomic<bool> active_{false};
  std::int64_t stored_period_ = 0;  // flusher only
  std::int64_t stored_ = 0;
  int rounds_left_ = 0;
};

}  // namespace gw::proxy::metering
