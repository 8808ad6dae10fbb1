#include "proxy/metering/quota_counter.hpp"

#include <algorithm>

namespace gw::proxy::metering {
namespace {

// A quota word: the period in the top 20 bits, the count below.
constexpr int kCountBits = 44;
constexpr std::uint64_t kCountMask = (std::uint64_t{1} << kCountBits) - 1;

std::uint64_t quotaWord(std::int64_t period, std::int64_t used) {
  return (static_cast<std::uint64_t>(period) << kCountBits) |
         (static_cast<std::uint64_t>(used) & kCountMask);
}
std::int64_t periodOf(std::uint64_t word) { return static_cast<std::int64_t>(word >> kCountBits); }
std::int64_t countOf(std::uint64_t word) { return static_cast<std::int64_t>(word & kCountMask); }

}  // namespace

QuotaCounter::QuotaCounter(std::int64_t period, std::int64_t used)
    : word_(quotaWord(period, 0)), others_(quotaWord(period, used)), stored_period_(period) {}

bool QuotaCounter::take(std::int64_t period, std::int64_t limit) {
  if (!active_.load(std::memory_order_relaxed)) {
    active_.store(true, std::memory_order_relaxed);
  }
  const std::uint64_t others_word = others_.load(std::memory_order_relaxed);
  const std::int64_t others = periodOf(others_word) == period ? countOf(others_word) : 0;
  std::uint64_t word = word_.load(std::memory_order_relaxed);
  for (;;) {
    const std::int64_t used = periodOf(word) == period ? countOf(word) : 0;
    if (used + others >= limit) {
      return false;
    }
    if (word_.compare_exchange_weak(word, quotaWord(period, used + 1), std::memory_order_relaxed)) {
      return true;
    }
  }
}

void QuotaCounter::giveBack(std::int64_t period) {
  std::uint64_t word = word_.load(std::memory_order_relaxed);
  while (periodOf(word) == period && countOf(word) > 0 &&
         !word_.compare_exchange_weak(word, word - 1, std::memory_order_relaxed)) {
  }
}

std::int64_t QuotaCounter::used(std::int64_t period) const {
  const std::uint64_t word = word_.load(std::memory_order_relaxed);
  const std::uint64_t others = others_.load(std::memory_order_relaxed);
  return (periodOf(word) == period ? countOf(word) : 0) +
         (periodOf(others) == period ? countOf(others) : 0);
}

void QuotaCounter::stored(std::int64_t period, std::int64_t admitted) {
  if (period > stored_period_) {
    stored_period_ = period;
    stored_ = 0;
  }
  if (period == stored_period_) {
    stored_ += admitted;
  }
}

bool QuotaCounter::recentlyActive(int rounds) {
  if (active_.exchange(false, std::memory_order_relaxed)) {
    rounds_left_ = rounds;
  }
  if (rounds_left_ == 0) {
    return false;
  }
  --rounds_left_;
  return true;
}

void QuotaCounter::sync(std::int64_t period, std::int64_t store_total) {
  const std::int64_t mine = period == stored_period_ ? stored_ : 0;
  others_.store(quotaWord(period, std::max<std::int64_t>(0, store_total - mine)),
                std::memory_order_relaxed);
}

}  // namespace gw::proxy::metering
