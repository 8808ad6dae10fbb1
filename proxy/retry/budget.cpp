#include "proxy/retry/budget.hpp"

#include <algorithm>

namespace gw::proxy {
namespace {

constexpr std::int64_t kToken = 100;
constexpr std::int64_t kRecentRequests = 100;  // how much earned credit the bucket keeps

}  // namespace

RetryBudget::RetryBudget(int budget_percent)
    : earn_(std::clamp<std::int64_t>(budget_percent, 0, 100)),
      cap_(kFloor * kToken + earn_ * kRecentRequests) {
  for (Slot& s : slots_) {
    s.hundredths.store(kFloor * kToken, std::memory_order_relaxed);
  }
}

void RetryBudget::onRequest(int worker) {
  auto& tokens = slot(worker).hundredths;
  tokens.store(std::min(cap_, tokens.load(std::memory_order_relaxed) + earn_),
               std::memory_order_relaxed);
}

bool RetryBudget::trySpend(int worker) {
  auto& tokens = slot(worker).hundredths;
  const std::int64_t have = tokens.load(std::memory_order_relaxed);
  if (have < kToken) {
    return false;
  }
  tokens.store(have - kToken, std::memory_order_relaxed);
  return true;
}

}  // namespace gw::proxy
