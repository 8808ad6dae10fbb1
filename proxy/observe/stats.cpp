#include "proxy/observe/stats.hpp"

#include <algorithm>
#include <chrono>

namespace gw::proxy {
namespace {

std::int64_t unixSecond() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::size_t ringIndex(std::int64_t second, std::size_t size) {
  return static_cast<std::size_t>(second % static_cast<std::int64_t>(size));
}

}  // namespace

StatsNode::StatsNode(int workers, bool overflow)
    : slots_(std::make_unique<StatsSlot[]>(static_cast<std::size_t>(workers))),
      workers_(workers),
      overflow_(overflow),
      series_(std::make_unique<Series>()) {}

AccessCounters::Totals AccessCounters::totals() const {
  Totals out{};
  for (int w = 0; w < workers_; ++w) {
    const Slot& slot = slots_[static_cast<std::size_t>(w)];
    for (std::size_t i = 0; i < kOutcomes; ++i) {
      out[i] += slot.counts[i].load(std::memory_order_relaxed);
    }
  }
  return out;
}

CacheCounters::Totals CacheCounters::totals() const {
  Totals out{};
  for (int w = 0; w < workers_; ++w) {
    const Slot& slot = slots_[static_cast<std::size_t>(w)];
    for (std::size_t i = 0; i < out.size(); ++i) {
      out[i] += slot.counts[i].load(std::memory_order_relaxed);
    }
  }
  return out;
}

std::uint64_t CacheCounters::bytesServed() const {
  std::uint64_t out = 0;
  for (int w = 0; w < workers_; ++w) {
    out += slots_[static_cast<std::size_t>(w)].bytes.load(std::memory_order_relaxed);
  }
  return out;
}

const char* AccessCounters::name(Outcome outcome) {
  static constexpr std::array<const char*, kOutcomes> kNames{
      "allowed",        "auth_missing",  "auth_invalid",  "auth_expired",
      "forbidden",      "ip_denied",     "cors_refused",  "rate_limited",
      "quota_exceeded", "shadow_denied", "shadow_limited"};
  return kNames[outcome];
}

StatsTotals StatsNode::totals() const {
  StatsTotals totals;
  for (int w = 0; w < workers_; ++w) {
    const StatsSlot& slot = slots_[static_cast<std::size_t>(w)];
    totals.requests += slot.counts[0].load(std::memory_order_relaxed);
    for (std::size_t cls = 1; cls <= 5; ++cls) {
      totals.by_class[cls] += slot.counts[cls].load(std::memory_order_relaxed);
    }
    totals.latency.sum_micros += slot.sum_micros.load(std::memory_order_relaxed);
    for (std::size_t b = 0; b < LatencyBuckets::kCount; ++b) {
      const auto n = slot.buckets[b].load(std::memory_order_relaxed);
      totals.latency.buckets[b] += n;
      totals.latency.count += n;
    }
  }
  return totals;
}

StatsRegistry::StatsRegistry(int workers) : workers_(workers), sampled_second_(unixSecond() - 1) {
  for (std::size_t kind = 0; kind < kKinds; ++kind) {
    other_[kind] = std::make_shared<StatsNode>(workers_, true);
  }
  sampler_ = std::thread([this] { runSampler(); });
}

StatsRegistry::~StatsRegistry() {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  sampler_.join();
}

std::shared_ptr<StatsNode> StatsRegistry::nodeFor(Kind kind, const std::string& key) {
  auto& nodes = nodes_[kind];
  const auto it = nodes.find(key);
  if (it != nodes.end()) {
    return it->second;
  }
  if (nodes.size() >= kMaxNamed) {
    return other_[kind];
  }
  auto node = std::make_shared<StatsNode>(workers_, false);
  nodes.emplace(key, node);
  return node;
}

// Wakes just after each second ends and moves what every node counted in it into its
// series. The series are exact: what a node counted since the last sample is added to the
// second in progress when read.
void StatsRegistry::runSampler() {
  using namespace std::chrono;
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    const auto next = system_clock::time_point(seconds(sampled_second_ + 2)) + milliseconds(5);
    wake_.wait_until(lock, next, [this] { return stopping_; });
    if (stopping_) {
      return;
    }
    const std::int64_t finished = unixSecond() - 1;
    if (finished > sampled_second_) {
      sample(finished);
    }
  }
}

void StatsRegistry::sample(std::int64_t second) {
  for (auto& nodes : nodes_) {
    for (auto it = nodes.begin(); it != nodes.end();) {
      if (it->second.use_count() == 1) {  // no snapshot uses this name any more
        it = nodes.erase(it);
        continue;
      }
      sampleNode(*it->second, second);
      ++it;
    }
  }
  for (auto& node : other_) {
    sampleNode(*node, second);
  }
  sampled_second_ = second;
}

void StatsRegistry::sampleNode(StatsNode& node, std::int64_t second) const {
  auto& series = *node.series_;
  const StatsTotals totals = node.totals();
  const std::uint64_t errors = totals.by_class[5];
  // Seconds the sampler missed (a stopped machine) hold nothing.
  const std::int64_t gap = std::min<std::int64_t>(
      second - sampled_second_ - 1, static_cast<std::int64_t>(series.requests.size()));
  for (std::int64_t s = second - gap; s < second; ++s) {
    series.requests[ringIndex(s, series.requests.size())] = 0;
    series.errors[ringIndex(s, series.errors.size())] = 0;
  }
  const std::size_t at = ringIndex(second, series.requests.size());
  series.requests[at] = static_cast<std::uint32_t>(totals.requests - series.sampled_requests);
  series.errors[at] = static_cast<std::uint32_t>(errors - series.sampled_errors);
  series.sampled_requests = totals.requests;
  series.sampled_errors = errors;
}

StatsSeries StatsRegistry::series(const StatsNode& node, std::size_t seconds) const {
  const std::lock_guard lock(mutex_);
  const auto& ring = *node.series_;
  const std::size_t size = ring.requests.size();
  seconds = std::clamp<std::size_t>(seconds, 1, size);
  StatsSeries out;
  out.end_second = sampled_second_ + 1;
  out.requests.reserve(seconds);
  out.errors.reserve(seconds);
  // The finished seconds, then the one in progress.
  for (std::int64_t s = sampled_second_ - static_cast<std::int64_t>(seconds) + 2;
       s <= sampled_second_; ++s) {
    out.requests.push_back(ring.requests[ringIndex(s, size)]);
    out.errors.push_back(ring.errors[ringIndex(s, size)]);
  }
  const StatsTotals totals = node.totals();
  out.requests.push_back(totals.requests - ring.sampled_requests);
  out.errors.push_back(totals.by_class[5] - ring.sampled_errors);
  return out;
}

}  // namespace gw::proxy
