#include "proxy/balancer/service_balancer.hpp"

#include <algorithm>

namespace gw::proxy::balancer {
namespace {

// A second, independent draw from one random number (splitmix64's step).
std::uint32_t redraw(std::uint32_t entropy) {
  std::uint64_t z = entropy + 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return static_cast<std::uint32_t>((z ^ (z >> 31)) >> 32);
}

}  // namespace

ServiceBalancer::ServiceBalancer(const core::Service& service,
                                 std::vector<BalancedEndpoint> endpoints)
    : policy_(service.load_balancer), hash_on_(service.hash_on), endpoints_(std::move(endpoints)) {
  if (policy_ == core::LbPolicy::kHash) {
    std::vector<std::string_view> addresses;
    std::vector<std::uint32_t> weights;
    for (const BalancedEndpoint& endpoint : endpoints_) {
      addresses.emplace_back(endpoint.address);
      weights.push_back(endpoint.weight);
    }
    ring_ = HashRing(addresses, weights);
  }
  if (service.outlier_detection) {
    const core::OutlierDetection& od = *service.outlier_detection;
    consecutive_5xx_ = static_cast<std::uint32_t>(std::max(0, od.consecutive_5xx));
    consecutive_connect_failures_ =
        static_cast<std::uint32_t>(std::max(0, od.consecutive_connect_failures));
    ejection_time_ = std::chrono::duration_cast<Clock::duration>(od.ejection_time).count();
    // Rounded down, but at least one while the percentage is above zero (as Envoy does):
    // otherwise a small service could never eject anything.
    const int percent = std::clamp(od.max_ejected_percent, 0, 100);
    if (percent > 0) {
      max_ejected_ =
          std::max<std::size_t>(1, endpoints_.size() * static_cast<std::size_t>(percent) / 100);
    }
  }
}

bool ServiceBalancer::usable(std::size_t index, const TriedEndpoints& tried, Clock::rep now) const {
  const health::EndpointState& state = *endpoints_[index].state;
  return !tried.has(index) && state.healthy() && !state.ejected(now);
}

std::size_t ServiceBalancer::pick(int worker, std::uint32_t entropy,
                                  std::optional<std::string_view> hash_key,
                                  const TriedEndpoints& tried, Clock::time_point now) const {
  if (endpoints_.empty()) {
    return kNoEndpoint;
  }
  const Clock::rep ticks = now.time_since_epoch().count();
  std::size_t index = choose(worker, entropy, hash_key, tried, ticks);
  if (index == kNoEndpoint && !tried.empty()) {
    index = choose(worker, entropy, hash_key, TriedEndpoints{}, ticks);
  }
  return index;
}

std::size_t ServiceBalancer::choose(int worker, std::uint32_t entropy,
                                    std::optional<std::string_view> hash_key,
                                    const TriedEndpoints& tried, Clock::rep now) const {
  switch (policy_) {
    case core::LbPolicy::kHash:
      if (hash_key) {
        return onRing(*hash_key, tried, now);
      }
      return roundRobin(worker, tried, now);
    case core::LbPolicy::kRandom:
      return weightedRandom(entropy, tried, now, kNoEndpoint);
    case core::LbPolicy::kLeastRequest:
      return leastRequest(worker, entropy, tried, now);
    case core::LbPolicy::kRoundRobin:
      break;
  }
  return roundRobin(worker, tried, now);
}

// Smooth weighted round-robin (nginx's): each usable endpoint gains its weight, the richest
// wins and pays the round's total. Weights 1:3 give B A B B, never A A or B B B B in a row.
std::size_t ServiceBalancer::roundRobin(int worker, const TriedEndpoints& tried,
                                        Clock::rep now) const {
  std::size_t best = kNoEndpoint;
  std::int64_t total = 0;
  for (std::size_t i = 0; i < endpoints_.size(); ++i) {
    if (!usable(i, tried, now)) {
      continue;
    }
    health::WorkerSlot& slot = endpoints_[i].state->slot(worker);
    slot.current_weight += endpoints_[i].weight;
    total += endpoints_[i].weight;
    if (best == kNoEndpoint ||
        slot.current_weight > endpoints_[best].state->slot(worker).current_weight) {
      best = i;
    }
  }
  if (best != kNoEndpoint) {
    endpoints_[best].state->slot(worker).current_weight -= total;
  }
  return best;
}

std::size_t ServiceBalancer::weightedRandom(std::uint32_t entropy, const TriedEndpoints& tried,
                                            Clock::rep now, std::size_t skip) const {
  std::uint64_t total = 0;
  for (std::size_t i = 0; i < endpoints_.size(); ++i) {
    if (i != skip && usable(i, tried, now)) {
      total += endpoints_[i].weight;
    }
  }
  if (total == 0) {
    return kNoEndpoint;
  }
  std::uint64_t target = entropy % total;
  for (std::size_t i = 0; i < endpoints_.size(); ++i) {
    if (i == skip || !usable(i, tried, now)) {
      continue;
    }
    if (target < endpoints_[i].weight) {
      return i;
    }
    target -= endpoints_[i].weight;
  }
  return kNoEndpoint;
}

// Power of two choices: two distinct endpoints drawn by weight, the one with fewer requests
// in flight on this worker wins, the first drawn on a tie. The draws carry the weights, so
// idle traffic splits by weight and a heavier endpoint is offered more often when busy.
std::size_t ServiceBalancer::leastRequest(int worker, std::uint32_t entropy,
                                          const TriedEndpoints& tried, Clock::rep now) const {
  const std::size_t a = weightedRandom(entropy, tried, now, kNoEndpoint);
  if (a == kNoEndpoint) {
    return kNoEndpoint;
  }
  const std::size_t b = weightedRandom(redraw(entropy), tried, now, a);
  if (b == kNoEndpoint) {
    return a;
  }
  const std::uint32_t load_a =
      endpoints_[a].state->slot(worker).in_flight.load(std::memory_order_relaxed);
  const std::uint32_t load_b =
      endpoints_[b].state->slot(worker).in_flight.load(std::memory_order_relaxed);
  return load_b < load_a ? b : a;
}

std::size_t ServiceBalancer::onRing(std::string_view key, const TriedEndpoints& tried,
                                    Clock::rep now) const {
  bool any = false;
  for (std::size_t i = 0; i < endpoints_.size() && !any; ++i) {
    any = usable(i, tried, now);
  }
  if (!any || ring_.empty()) {
    return kNoEndpoint;
  }
  // The key's endpoint, or the next usable one clockwise: keys of a missing endpoint spread
  // over the others while every other key stays put.
  const std::size_t start = ring_.find(hashKey(key));
  for (std::size_t step = 0; step < ring_.size(); ++step) {
    const std::size_t index = ring_.at(start + step).index;
    if (usable(index, tried, now)) {
      return index;
    }
  }
  return kNoEndpoint;
}

template <class Now>
void ServiceBalancer::record(int worker, std::size_t index, Outcome outcome, Now now) const {
  if (index >= endpoints_.size() || max_ejected_ == 0) {
    return;
  }
  health::WorkerSlot& slot = endpoints_[index].state->slot(worker);
  bool eject_now = false;
  switch (outcome) {
    case Outcome::kSuccess:
      slot.consecutive_5xx = 0;
      slot.consecutive_connect_failures = 0;
      return;
    case Outcome::kServerError:
      ++slot.consecutive_5xx;
      eject_now = consecutive_5xx_ > 0 && slot.consecutive_5xx >= consecutive_5xx_;
      break;
    case Outcome::kConnectFailure:
      ++slot.consecutive_connect_failures;
      eject_now = consecutive_connect_failures_ > 0 &&
                  slot.consecutive_connect_failures >= consecutive_connect_failures_;
      break;
  }
  if (eject_now) {
    slot.consecutive_5xx = 0;
    slot.consecutive_connect_failures = 0;
    eject(index, now().time_since_epoch().count());
  }
}

void ServiceBalancer::report(int worker, std::size_t index, Outcome outcome,
                             Clock::time_point now) const {
  record(worker, index, outcome, [now] { return now; });
}

void ServiceBalancer::report(int worker, std::size_t index, Outcome outcome) const {
  record(worker, index, outcome, [] { return Clock::now(); });
}

std::size_t ServiceBalancer::ejectedCount(Clock::rep now) const {
  std::size_t count = 0;
  for (const BalancedEndpoint& endpoint : endpoints_) {
    count += endpoint.state->ejected(now) ? 1 : 0;
  }
  return count;
}

// Lock-free and never above the limit: claim the ejection, count again, and give it back
// when another worker's ejection raced this one past the limit (both may give back; the
// next failures try again).
void ServiceBalancer::eject(std::size_t index, Clock::rep now) const {
  health::EndpointState& state = *endpoints_[index].state;
  const Clock::rep previous = state.ejectedUntil();
  if (previous > now || ejectedCount(now) >= max_ejected_) {
    return;
  }
  const Clock::rep until = now + ejection_time_;
  if (!state.tryEject(previous, until)) {
    return;
  }
  if (ejectedCount(now) > max_ejected_) {
    state.restoreEjection(until, previous);
  }
}

}  // namespace gw::proxy::balancer
