#pragma once
// The calls of one aggregate request: every backend called at once over an UpstreamCall on the
// worker's event loop (pooled connections, the service's TLS, its balancer and health), each
// answer read whole up to the aggregate's size bound, and `done` called once with every
// outcome when the last is in or the deadline passed.
//
// A FanOut is one of the worker's connections, so the worker's sweep enforces its deadline
// and shutting down closes its calls; a drain lets it finish, like any request in flight.
// Each call is counted on its service's and endpoint's stats, as a forward is.

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "proxy/aggregate/merge.hpp"
#include "proxy/net.hpp"

namespace gw::proxy {
class Worker;
struct Snapshot;
}  // namespace gw::proxy

namespace gw::proxy::aggregate {

// One backend to call: where, and the whole request to send.
struct CallPlan {
  std::uint32_t service = 0;   // index into Snapshot::services
  std::uint32_t endpoint = 0;  // index into its endpoints, picked by its balancer
  std::string request;         // head (and no body), ready to write; empty: not called
  std::string skipped;         // why it is not called (no healthy endpoint, ...)
};

using Done = std::function<void(std::vector<Outcome>)>;

// Starts the calls; `done` runs on the worker's thread after start() has returned, never
// inside it. `snapshot` outlives the calls (the paused exchange holds it).
void fanOut(Worker& worker, const Snapshot& snapshot, std::vector<CallPlan> plans,
            std::int64_t max_body, Clock::time_point deadline, std::chrono::milliseconds timeout,
            Done done);

}  // namespace gw::proxy::aggregate
