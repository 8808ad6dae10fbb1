#pragma once
// Request counters per route. Each worker owns one cache line per route and is its only
// writer, so the request path counts with plain relaxed loads and stores (no locked
// instructions, no sharing); the admin thread sums the slots when asked.

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace gw::proxy {

struct alignas(64) CounterSlot {
  // [0] requests, [1..5] answers by status class (index = status / 100).
  std::array<std::atomic<std::uint64_t>, 6> values{};

  void bump(std::size_t i) {
    values[i].store(values[i].load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
  }
};

struct StatsTotals {
  std::uint64_t requests = 0;
  std::array<std::uint64_t, 6> by_class{};  // index = status / 100
};

class RouteStats {
 public:
  explicit RouteStats(int workers)
      : slots_(std::make_unique<CounterSlot[]>(static_cast<std::size_t>(workers))),
        workers_(workers) {}

  // Called only by `worker`'s thread.
  void record(int worker, unsigned status) {
    CounterSlot& slot = slots_[static_cast<std::size_t>(worker)];
    slot.bump(0);
    const std::size_t cls = status / 100;
    if (cls >= 1 && cls <= 5) {
      slot.bump(cls);
    }
  }

  StatsTotals totals() const;

 private:
  std::unique_ptr<CounterSlot[]> slots_;
  int workers_;
};

// Keeps a route's counters across reloads for as long as a route of that name exists.
class StatsRegistry {
 public:
  explicit StatsRegistry(int workers) : workers_(workers) {}
  std::shared_ptr<RouteStats> forRoute(const std::string& name);

 private:
  std::mutex mutex_;
  std::unordered_map<std::string, std::shared_ptr<RouteStats>> routes_;
  int workers_;
};

}  // namespace gw::proxy
