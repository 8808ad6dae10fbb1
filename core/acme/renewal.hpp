#pragma once
// When to renew, as pure functions of the certificate, the CA's advice and a random source,
// so the proxy, `gw cert renew` and the tests agree (DESIGN.md section 5, "Certificates"):
// at two thirds of the lifetime, or at a random point of the ARI window (RFC 9773 section
// 4.2) when the CA gave one; after a failure, jittered exponential backoff that never comes
// before the CA's Retry-After.

#include <chrono>
#include <optional>
#include <random>
#include <string>

namespace gw::acme {

using SystemTime = std::chrono::system_clock::time_point;

// The CA's suggested renewal window (ARI).
struct RenewalWindow {
  SystemTime start;
  SystemTime end;
  std::string explanation_url;
  std::optional<SystemTime> retry_after;  // when to ask the CA again
};

// Two thirds into [not_before, not_after]; with a window, a uniformly random point of it
// (RFC 9773 section 4.2, so that many clients do not renew at the same second).
SystemTime renewalTime(SystemTime not_before, SystemTime not_after,
                       const std::optional<RenewalWindow>& window, std::mt19937_64& random);

struct BackoffPolicy {
  std::chrono::seconds first{60};       // after the first failure
  std::chrono::seconds cap{24 * 3600};  // never longer than this
};

// When to try again after `failures` failures in a row (1 for the first): the delay doubles
// from policy.first up to policy.cap, a random point of its upper half is taken (jitter, so
// renewals that failed together do not retry together), and a Retry-After wins if later.
SystemTime nextAttempt(SystemTime now, int failures, std::optional<SystemTime> retry_after,
                       std::mt19937_64& random, const BackoffPolicy& policy = {});

}  // namespace gw::acme
