// The renewal policy with fixed clocks and seeds: two thirds of the lifetime, a random point
// of the ARI window, and jittered exponential backoff that honours Retry-After.

#include <catch2/catch.hpp>
#include <set>

#include "core/acme/renewal.hpp"

using namespace gw::acme;
using namespace std::chrono_literals;

namespace {

const SystemTime kNow = std::chrono::system_clock::from_time_t(1'800'000'000);
constexpr auto kDay = std::chrono::hours(24);

}  // namespace

TEST_CASE("a certificate is renewed at two thirds of its lifetime", "[acme][renewal]") {
  std::mt19937_64 random(1);
  CHECK(renewalTime(kNow, kNow + 90 * kDay, std::nullopt, random) == kNow + 60 * kDay);
  CHECK(renewalTime(kNow, kNow + 300s, std::nullopt, random) == kNow + 200s);
}

TEST_CASE("with an ARI window, renewal falls at a random point inside it", "[acme][renewal]") {
  const RenewalWindow window{kNow + 10 * kDay, kNow + 12 * kDay, "", std::nullopt};
  std::set<SystemTime> seen;
  for (std::uint64_t seed = 0; seed < 20; ++seed) {
    std::mt19937_64 random(seed);
    const SystemTime t = renewalTime(kNow, kNow + 90 * kDay, window, random);
    CHECK(t >= window.start);
    CHECK(t <= window.end);
    seen.insert(t);
  }
  CHECK(seen.size() > 15);  // spread out, not one instant for every client
  std::mt19937_64 a(7);
  std::mt19937_64 b(7);
  CHECK(renewalTime(kNow, kNow + 90 * kDay, window, a) ==
        renewalTime(kNow, kNow + 90 * kDay, window, b));
  // A window that is no range is ignored.
  std::mt19937_64 random(3);
  const RenewalWindow empty{kNow, kNow, "", std::nullopt};
  CHECK(renewalTime(kNow, kNow + 90 * kDay, empty, random) == kNow + 60 * kDay);
}

TEST_CASE("after failures the delay doubles from a minute to a day, with jitter",
          "[acme][renewal][backoff]") {
  std::mt19937_64 random(42);
  CHECK(nextAttempt(kNow, 0, std::nullopt, random) == kNow);
  const auto check_between = [&](int failures, std::chrono::seconds low,
                                 std::chrono::seconds high) {
    for (int i = 0; i < 50; ++i) {
      const SystemTime t = nextAttempt(kNow, failures, std::nullopt, random);
      INFO("failures " << failures);
      CHECK(t >= kNow + low);
      CHECK(t <= kNow + high);
    }
  };
  check_between(1, 30s, 60s);
  check_between(2, 60s, 120s);
  check_between(3, 120s, 240s);
  check_between(12, 12h, 24h);
  check_between(1000, 12h, 24h);  // capped, and no overflow

  std::set<SystemTime> seen;
  for (int i = 0; i < 20; ++i) {
    seen.insert(nextAttempt(kNow, 5, std::nullopt, random));
  }
  CHECK(seen.size() > 15);  // jittered

  const BackoffPolicy quick{10s, 40s};
  for (int i = 0; i < 20; ++i) {
    CHECK(nextAttempt(kNow, 4, std::nullopt, random, quick) <= kNow + 40s);
    CHECK(nextAttempt(kNow, 4, std::nullopt, random, quick) >= kNow + 20s);
  }
}

TEST_CASE("a Retry-After later than the backoff wins, an earlier one does not",
          "[acme][renewal][backoff]") {
  std::mt19937_64 random(9);
  CHECK(nextAttempt(kNow, 1, kNow + 3h, random) == kNow + 3h);
  CHECK(nextAttempt(kNow, 0, kNow + 5min, random) == kNow + 5min);
  const SystemTime t = nextAttempt(kNow, 1, kNow + 1s, random);
  CHECK(t >= kNow + 30s);
  CHECK(t <= kNow + 60s);
}
