#pragma once
// The health of every endpoint, kept per (service, address) across reloads: a reload that
// keeps an endpoint keeps its state, new endpoints start healthy, removed ones are dropped
// once no snapshot holds them. Owns the active health checker.

#include <memory>
#include <string>
#include <unordered_map>

#include "proxy/health/endpoint_state.hpp"
#include "proxy/health/health_checker.hpp"

namespace gw::proxy {
struct Snapshot;
}

namespace gw::proxy::health {

class HealthMonitor {
 public:
  explicit HealthMonitor(int workers) : workers_(workers) {}

  // Snapshot building (serialised by the caller): the state kept for `address` (as
  // configured) of `service`, or a new, healthy one.
  std::shared_ptr<EndpointState> stateFor(const std::string& service, const std::string& address);
  // Once `snapshot` is served: keeps only its endpoints and checks those of services that
  // ask for it. Serialised with stateFor.
  void adopt(const Snapshot& snapshot);
  void stop() { checker_.stop(); }

 private:
  int workers_;
  std::unordered_map<std::string, std::shared_ptr<EndpointState>> states_;
  HealthChecker checker_;
};

}  // namespace gw::proxy::health
