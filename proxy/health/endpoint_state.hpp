#pragma once
// What the proxy knows about one endpoint of one service, shared by every worker, the health
// checker and the admin API. One per (service, address): it outlives snapshots, so a reload
// that keeps an endpoint keeps its health, ejection and counters.
//
// Writers: `healthy` by the health checker thread; `ejected_until` by any worker (compare and
// swap); each WorkerSlot by its worker alone. Readers load relaxed: a worker that sees a
// change one request late is harmless, and the request path takes no lock.

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <memory>

#include "proxy/net.hpp"

namespace gw::proxy::health {

// Per-worker counters, one cache line each so workers never share a line.
struct alignas(64) WorkerSlot {
  std::atomic<std::uint32_t> in_flight{0};  // read by the admin API, written by the worker
  std::int64_t current_weight = 0;          // smooth weighted round-robin
  std::uint32_t consecutive_5xx = 0;
  std::uint32_t consecutive_connect_failures = 0;
};

class EndpointState {
 public:
  explicit EndpointState(int workers)
      : slots_(std::make_unique<WorkerSlot[]>(static_cast<std::size_t>(workers < 1 ? 1 : workers))),
        workers_(workers < 1 ? 1 : workers) {}

  // Active health: endpoints start healthy.
  bool healthy() const { return healthy_.load(std::memory_order_relaxed); }
  void setHealthy(bool value) { healthy_.store(value, std::memory_order_relaxed); }

  // Passive health: ejected until a steady-clock time (0 = not ejected).
  Clock::rep ejectedUntil() const { return ejected_until_.load(std::memory_order_relaxed); }
  bool ejected(Clock::rep now) const { return ejectedUntil() > now; }
  bool tryEject(Clock::rep expected, Clock::rep until) {
    return ejected_until_.compare_exchange_strong(expected, until, std::memory_order_relaxed);
  }
  void restoreEjection(Clock::rep until, Clock::rep previous) {
    Clock::rep expected = until;
    ejected_until_.compare_exchange_strong(expected, previous, std::memory_order_relaxed);
  }

  WorkerSlot& slot(int worker) { return slots_[static_cast<std::size_t>(worker)]; }
  std::uint32_t inFlight() const {
    std::uint32_t total = 0;
    for (int w = 0; w < workers_; ++w) {
      total += slots_[static_cast<std::size_t>(w)].in_flight.load(std::memory_order_relaxed);
    }
    return total;
  }

  // One active probe's result (the health checker's thread): the endpoint goes down after
  // `unhealthy_threshold` failures in a row and comes back after `healthy_threshold` passes
  // (thresholds below 1 count as 1). Apart from the checker, so the thresholds are tested
  // probe by probe, without sockets or waiting out intervals.
  void recordProbe(bool pass, int healthy_threshold, int unhealthy_threshold) {
    if (pass) {
      failures = 0;
      passes = std::min(passes + 1, kStreakCap);
      if (!healthy() && passes >= std::max(1, healthy_threshold)) {
        setHealthy(true);
      }
    } else {
      passes = 0;
      failures = std::min(failures + 1, kStreakCap);
      if (healthy() && failures >= std::max(1, unhealthy_threshold)) {
        setHealthy(false);
      }
    }
  }

  // The health checker's streak counters: its thread alone touches them. Capped, so an
  // endpoint down (or up) for years does not overflow them.
  static constexpr int kStreakCap = 1 << 20;
  int passes = 0;
  int failures = 0;

 private:
  std::atomic<bool> healthy_{true};
  std::atomic<Clock::rep> ejected_until_{0};
  std::unique_ptr<WorkerSlot[]> slots_;
  int workers_;
};

}  // namespace gw::proxy::health
