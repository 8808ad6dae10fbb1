#pragma once
// Counts one try as in flight on its endpoint for the least-request policy and the admin
// API, from the pick until the exchange ends (or the session dies). Worker thread only: the
// worker is its slot's single writer, so a relaxed load and store suffice.

#include "proxy/health/endpoint_state.hpp"

namespace gw::proxy::balancer {

class InFlight {
 public:
  InFlight() = default;
  InFlight(const InFlight&) = delete;
  InFlight& operator=(const InFlight&) = delete;
  ~InFlight() { end(); }

  // Ends the previous try, if any, and counts this one. `state` must outlive the count:
  // the session's snapshot holds it.
  void begin(health::EndpointState& state, int worker) {
    end();
    counter_ = &state.slot(worker).in_flight;
    counter_->store(counter_->load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
  }
  void end() {
    if (counter_ != nullptr) {
      const std::uint32_t value = counter_->load(std::memory_order_relaxed);
      counter_->store(value > 0 ? value - 1 : 0, std::memory_order_relaxed);
      counter_ = nullptr;
    }
  }

 private:
  std::atomic<std::uint32_t>* counter_ = nullptr;
};

}  // namespace gw::proxy::balancer
