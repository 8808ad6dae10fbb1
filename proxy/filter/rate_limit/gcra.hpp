#pragma once
// The generic cell rate algorithm (GCRA, as ATM's and redis-cell's): a limit of `burst`
// requests at once, refilled at one per `interval`, kept as one number per key, the
// theoretical arrival time (TAT) of the next request. A request of cost c passes when
//   max(TAT, now) + c * interval - now <= burst * interval
// and then moves TAT there. Nothing else to store, no timers, exact at any rate.

#include <algorithm>
#include <cstdint>

namespace gw::proxy::filter {

struct GcraParams {
  std::int64_t interval_ns = 0;  // the rate's period / its count
  std::int64_t burst = 0;        // requests at once
};

struct GcraDecision {
  bool allowed = false;
  std::int64_t remaining = 0;       // requests that would still pass now
  std::int64_t retry_after_ns = 0;  // refused: when this request would pass
  std::int64_t reset_ns = 0;        // when the budget is full again
};

// One step for a key whose TAT is `tat` (0 for a new key); moves `tat` when it passes.
inline GcraDecision gcraStep(std::int64_t& tat, std::int64_t now, const GcraParams& p,
                             std::int64_t cost) {
  const std::int64_t limit = p.burst * p.interval_ns;
  const std::int64_t base = std::max(tat, now);
  const std::int64_t next = base + cost * p.interval_ns;
  GcraDecision d;
  if (next - now <= limit) {
    tat = next;
    d.allowed = true;
    d.remaining = (limit - (next - now)) / p.interval_ns;
    d.reset_ns = next - now;
  } else {
    d.remaining = std::max<std::int64_t>(0, (limit - (base - now)) / p.interval_ns);
    d.retry_after_ns = next - now - limit;
    d.reset_ns = base - now;
  }
  return d;
}

}  // namespace gw::proxy::filter
