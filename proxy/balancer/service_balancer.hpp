#pragma once
// Endpoint choice for one service: the policy's compiled config (weights, hash ring,
// outlier thresholds), built once per snapshot and then only read. Per-worker mutable state
// (round-robin weights, in-flight counts, failure streaks) lives in each endpoint's shared
// EndpointState, in the calling worker's own slot, so picking takes no lock.
//
// Every policy honours weights and skips endpoints that are unhealthy (active checks) or
// ejected (outlier detection).

#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/config/model.hpp"
#include "proxy/balancer/hash_ring.hpp"
#include "proxy/health/endpoint_state.hpp"

namespace gw::proxy::balancer {

inline constexpr std::size_t kNoEndpoint = std::numeric_limits<std::size_t>::max();

// The endpoints one request already tried, by index in the service, so a retry can ask for
// another. Indices from 64 on are not remembered (a retry may then land on one again).
class TriedEndpoints {
 public:
  void add(std::size_t index) {
    if (index < 64) {
      bits_ |= std::uint64_t{1} << index;
    }
  }
  bool has(std::size_t index) const { return index < 64 && ((bits_ >> index) & 1U) != 0; }
  bool empty() const { return bits_ == 0; }
  void clear() { bits_ = 0; }

 private:
  std::uint64_t bits_ = 0;
};

// What one try taught about its endpoint, for outlier detection.
enum class Outcome {
  kSuccess,         // an answer below 500
  kServerError,     // a 5xx answer
  kConnectFailure,  // refused, unreachable or timed out while connecting
};

struct BalancedEndpoint {
  std::string address;  // as configured; places the endpoint's points on the hash ring
  std::uint32_t weight = 1;
  std::shared_ptr<health::EndpointState> state;
};

class ServiceBalancer {
 public:
  ServiceBalancer() = default;
  ServiceBalancer(const core::Service& service, std::vector<BalancedEndpoint> endpoints);

  // The endpoint (index) for one try on `worker`'s thread. `entropy` is a fresh random
  // number; `hash_key` the request's key for the hash policy (nullopt: none, which falls
  // back to round-robin). Endpoints in `tried` are avoided; when every usable one was tried
  // a tried one is chosen again, since a retry on the same endpoint beats none. kNoEndpoint
  // when no endpoint is healthy and in.
  //
  // `now` is the caller's steady-clock reading, against which ejections end: a caller that
  // has one at hand passes it, and a test drives time through it instead of waiting. The
  // overload without reads the clock.
  std::size_t pick(int worker, std::uint32_t entropy, std::optional<std::string_view> hash_key,
                   const TriedEndpoints& tried, Clock::time_point now) const;
  std::size_t pick(int worker, std::uint32_t entropy, std::optional<std::string_view> hash_key,
                   const TriedEndpoints& tried) const {
    return pick(worker, entropy, hash_key, tried, Clock::now());
  }

  // Outlier detection: a try on endpoint `index` ended with `outcome` (worker thread). An
  // ejection lasts from `now`; the overload without reads the clock, and only when it ejects.
  void report(int worker, std::size_t index, Outcome outcome, Clock::time_point now) const;
  void report(int worker, std::size_t index, Outcome outcome) const;
  // Whether endpoint `index` is ejected at `now`.
  bool ejected(std::size_t index, Clock::time_point now) const {
    return endpoints_[index].state->ejected(now.time_since_epoch().count());
  }

  core::LbPolicy policy() const { return policy_; }
  const std::optional<core::HashPolicy>& hashOn() const { return hash_on_; }
  std::size_t size() const { return endpoints_.size(); }
  const BalancedEndpoint& endpoint(std::size_t index) const { return endpoints_[index]; }
  // How many endpoints outlier detection may eject at once.
  std::size_t maxEjected() const { return max_ejected_; }

 private:
  std::size_t choose(int worker, std::uint32_t entropy, std::optional<std::string_view> hash_key,
                     const TriedEndpoints& tried, Clock::rep now) const;
  bool usable(std::size_t index, const TriedEndpoints& tried, Clock::rep now) const;
  std::size_t roundRobin(int worker, const TriedEndpoints& tried, Clock::rep now) const;
  std::size_t weightedRandom(std::uint32_t entropy, const TriedEndpoints& tried, Clock::rep now,
                             std::size_t skip) const;
  std::size_t leastRequest(int worker, std::uint32_t entropy, const TriedEndpoints& tried,
                           Clock::rep now) const;
  std::size_t onRing(std::string_view key, const TriedEndpoints& tried, Clock::rep now) const;
  // `now` is called only when the outcome ejects: reading the clock costs the common case
  // nothing.
  template <class Now>
  void record(int worker, std::size_t index, Outcome outcome, Now now) const;
  void eject(std::size_t index, Clock::rep now) const;
  std::size_t ejectedCount(Clock::rep now) const;

  core::LbPolicy policy_ = core::LbPolicy::kRoundRobin;
  std::optional<core::HashPolicy> hash_on_;
  std::vector<BalancedEndpoint> endpoints_;
  HashRing ring_;
  // Outlier detection; thresholds of 0 are off.
  std::uint32_t consecutive_5xx_ = 0;
  std::uint32_t consecutive_connect_failures_ = 0;
  Clock::rep ejection_time_ = 0;
  std::size_t max_ejected_ = 0;
};

}  // namespace gw::proxy::balancer
