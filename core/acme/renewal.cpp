#include "core/acme/renewal.hpp"

#include <algorithm>

namespace gw::acme {

namespace {

using Seconds = std::chrono::seconds;

// A uniformly random point of [from, from + span].
SystemTime pick(SystemTime from, Seconds span, std::mt19937_64& random) {
  if (span.count() <= 0) {
    return from;
  }
  std::uniform_int_distribution<Seconds::rep> offset(0, span.count());
  return from + Seconds(offset(random));
}

}  // namespace

SystemTime renewalTime(SystemTime not_before, SystemTime not_after,
                       const std::optional<RenewalWindow>& window, std::mt19937_64& random) {
  if (window && window->end > window->start) {
    return pick(window->start, std::chrono::duration_cast<Seconds>(window->end - window->start),
                random);
  }
  const auto lifetime = std::chrono::duration_cast<Seconds>(not_after - not_before);
  return not_before + lifetime * 2 / 3;
}

SystemTime nextAttempt(SystemTime now, int failures, std::optional<SystemTime> retry_after,
                       std::mt19937_64& random, const BackoffPolicy& policy) {
  SystemTime at = now;
  if (failures > 0) {
    Seconds delay = policy.first;
    for (int i = 1; i < failures && delay < policy.cap; ++i) {
      delay *= 2;
    }
    delay = std::min(delay, policy.cap);
    const Seconds half = delay / 2;
    at = pick(now + (delay - half), half, random);
  }
  if (retry_after && *retry_after > at) {
    at = *retry_after;
  }
  return at;
}

}  // namespace gw::acme
