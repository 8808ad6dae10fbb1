// Active-check thresholds probe by probe (EndpointState::recordProbe), without a checker,
// sockets or intervals to wait out.

#include <catch2/catch.hpp>

#include "proxy/health/endpoint_state.hpp"

namespace gw::test {

TEST_CASE("an endpoint goes down after a streak of failed probes and returns after passes",
          "[health][thresholds]") {
  proxy::health::EndpointState state(1);
  const auto probe = [&](bool pass) {
    state.recordProbe(pass, 2, 3);  // healthy_threshold 2, unhealthy_threshold 3
    return state.healthy();
  };
  CHECK(probe(false));
  CHECK(probe(false));
  CHECK(probe(true));  // a pass ends the failure streak
  CHECK(probe(false));
  CHECK(probe(false));
  CHECK_FALSE(probe(false));  // the third failure in a row
  CHECK_FALSE(probe(false));

  CHECK_FALSE(probe(true));
  CHECK_FALSE(probe(false));  // a failure ends the pass streak
  CHECK_FALSE(probe(true));
  CHECK(probe(true));  // the second pass in a row
  CHECK(probe(true));
}

TEST_CASE("health thresholds below one count as one", "[health][thresholds]") {
  proxy::health::EndpointState state(1);
  state.recordProbe(false, 0, 0);
  CHECK_FALSE(state.healthy());
  state.recordProbe(true, -1, -1);
  CHECK(state.healthy());
}

TEST_CASE("probe streaks stop counting at a cap", "[health][thresholds]") {
  proxy::health::EndpointState state(1);
  state.failures = proxy::health::EndpointState::kStreakCap;
  state.recordProbe(false, 1, 1);
  CHECK(state.failures == proxy::health::EndpointState::kStreakCap);
  CHECK(state.passes == 0);
}

}  // namespace gw::test
