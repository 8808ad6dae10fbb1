#pragma once
// The per-request state of the upstream tries (the instance half of the retry policy):
// whether the body can be sent again, and which deadline the pending upstream operation runs
// under, so a timeout is told apart: the service's connect timeout, the per-try timeout, or
// the route's. (The endpoints already tried are the balancer's TriedEndpoints; the retry
// count and upstream time are the Exchange's retries_done and upstream_elapsed.)

#include "proxy/net.hpp"

namespace gw::proxy {

struct TryState {
  enum class Deadline { kRoute, kTry, kConnect };

  Clock::time_point try_deadline = kNever;
  Deadline armed = Deadline::kRoute;  // what the upstream call's deadline was last set from
  bool replayable = true;             // the body can be sent again (policy.hpp)

  void reset() { *this = TryState{}; }
};

}  // namespace gw::proxy
