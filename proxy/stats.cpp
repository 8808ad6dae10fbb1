#include "proxy/stats.hpp"

namespace gw::proxy {

StatsTotals RouteStats::totals() const {
  StatsTotals totals;
  for (int w = 0; w < workers_; ++w) {
    const CounterSlot& slot = slots_[static_cast<std::size_t>(w)];
    totals.requests += slot.values[0].load(std::memory_order_relaxed);
    for (std::size_t cls = 1; cls <= 5; ++cls) {
      totals.by_class[cls] += slot.values[cls].load(std::memory_order_relaxed);
    }
  }
  return totals;
}

std::shared_ptr<RouteStats> StatsRegistry::forRoute(const std::string& name) {
  const std::lock_guard lock(mutex_);
  auto& stats = routes_[name];
  if (!stats) {
    stats = std::make_shared<RouteStats>(workers_);
  }
  return stats;
}

}  // namespace gw::proxy
