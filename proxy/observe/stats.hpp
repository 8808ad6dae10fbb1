#pragma once
// Request statistics per gateway, route, service, endpoint and route destination.
//
// A StatsNode holds one cache-line-aligned slot per worker; a worker is the only writer of
// its slot, so the request path counts with plain relaxed loads and stores (no locked
// instructions, no sharing) and the admin thread sums the slots when asked. The registry
// keeps nodes by name across reloads for as long as a snapshot uses them, caps how many
// named nodes each kind may have (the rest share one "other" node), and samples every node
// once a second into a 15-minute series on its own thread.

#include <array>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "proxy/cache/result.hpp"
#include "proxy/observe/histogram.hpp"

namespace gw::proxy {

struct Snapshot;

struct alignas(64) StatsSlot {
  // [0] requests, [1..5] answers by status class (index = status / 100).
  std::array<std::atomic<std::uint64_t>, 6> counts{};
  std::atomic<std::uint64_t> sum_micros{0};
  std::array<std::atomic<std::uint64_t>, LatencyBuckets::kCount> buckets{};
};

struct StatsTotals {
  std::uint64_t requests = 0;
  std::array<std::uint64_t, 6> by_class{};  // index = status / 100
  LatencySummary latency;
};

// The last seconds of a node, oldest first; the last slot is the second in progress.
struct StatsSeries {
  std::int64_t end_second = 0;  // Unix time of the last slot
  std::vector<std::uint64_t> requests;
  std::vector<std::uint64_t> errors;  // 5xx answers
};

class StatsNode {
 public:
  StatsNode(int workers, bool overflow);

  // Called only by `worker`'s thread.
  void record(int worker, unsigned status, std::uint64_t micros) {
    StatsSlot& slot = slots_[static_cast<std::size_t>(worker)];
    bump(slot.counts[0], 1);
    const std::size_t cls = status / 100;
    if (cls >= 1 && cls <= 5) {
      bump(slot.counts[cls], 1);
    }
    bump(slot.sum_micros, micros);
    bump(slot.buckets[LatencyBuckets::indexOf(micros)], 1);
  }

  StatsTotals totals() const;
  // True for the node that collects every name beyond the registry's cap.
  bool overflow() const { return overflow_; }

 private:
  friend class StatsRegistry;
  static constexpr std::size_t kSeriesSeconds = 900;

  static void bump(std::atomic<std::uint64_t>& value, std::uint64_t by) {
    value.store(value.load(std::memory_order_relaxed) + by, std::memory_order_relaxed);
  }

  std::unique_ptr<StatsSlot[]> slots_;
  int workers_;
  bool overflow_;
  // Written by the registry's sampler, under the registry's mutex.
  struct Series {
    std::array<std::uint32_t, kSeriesSeconds> requests{};
    std::array<std::uint32_t, kSeriesSeconds> errors{};
    std::uint64_t sampled_requests = 0;
    std::uint64_t sampled_errors = 0;
  };
  std::unique_ptr<Series> series_;
};

// The access-control verdicts on one route's requests (IP lists, auth, authorization), per
// worker like a StatsNode's counts, without latencies or series.
class AccessCounters {
 public:
  enum Outcome : std::size_t {
    kAllowed,
    kAuthMissing,
    kAuthInvalid,
    kAuthExpired,
    kForbidden,
    kIpDenied,
    kCorsRefused,
    kRateLimited,
    kQuotaExceeded,
    kShadowDenied,   // allowed, but an authorization in shadow mode would have refused it
    kShadowLimited,  // allowed, but a rate limit in shadow mode would have refused it
    kOutcomes
  };
  using Totals = std::array<std::uint64_t, kOutcomes>;

  explicit AccessCounters(int workers)
      : slots_(std::make_unique<Slot[]>(static_cast<std::size_t>(workers))), workers_(workers) {}

  void count(int worker, Outcome outcome) {
    auto& value = slots_[static_cast<std::size_t>(worker)].counts[outcome];
    value.store(value.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
  }
  Totals totals() const;
  // "allowed", "auth_missing", ...: the reason codes of the refusals.
  static const char* name(Outcome outcome);

 private:
  struct alignas(64) Slot {
    std::array<std::atomic<std::uint64_t>, kOutcomes> counts{};
  };
  std::unique_ptr<Slot[]> slots_;
  int workers_;
};

// How a caching route's requests met its cache (cache/result.hpp), and the bytes answered
// from it, per worker like AccessCounters.
class CacheCounters {
 public:
  using Totals = std::array<std::uint64_t, cache::kResults>;  // by cache::Result
  explicit CacheCounters(int workers)
      : slots_(std::make_unique<Slot[]>(static_cast<std::size_t>(workers))), workers_(workers) {}

  void count(int worker, cache::Result result, std::uint64_t bytes) {
    Slot& slot = slots_[static_cast<std::size_t>(worker)];
    auto& value = slot.counts[static_cast<std::size_t>(result)];
    value.store(value.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
    if (result == cache::Result::kHit || result == cache::Result::kStale ||
        result == cache::Result::kRevalidated) {
      slot.bytes.store(slot.bytes.load(std::memory_order_relaxed) + bytes,
                       std::memory_order_relaxed);
    }
  }
  Totals totals() const;
  std::uint64_t bytesServed() const;  // answered from the cache

 private:
  struct alignas(64) Slot {
    std::array<std::atomic<std::uint64_t>, cache::kResults> counts{};
    std::atomic<std::uint64_t> bytes{0};
  };
  std::unique_ptr<Slot[]> slots_;
  int workers_;
};

// The nodes one snapshot records into, parallel to its gateways, routes and services. Built
// once per snapshot on the control plane; the request path only follows pointers.
struct StatsBinding {
  static constexpr std::size_t kNone = static_cast<std::size_t>(-1);

  struct Gateway {
    std::string name;
    std::shared_ptr<StatsNode> node;
    std::shared_ptr<StatsNode> unrouted;  // requests no route matched
  };
  struct Destination {
    std::uint32_t service = 0;  // index into Snapshot::services
    std::string service_name;
    std::shared_ptr<StatsNode> node;
  };
  struct Route {
    std::string name;
    std::string gateway;
    std::shared_ptr<StatsNode> node;
    std::shared_ptr<StatsNode> local;  // answered by the gateway itself (redirects, ...)
    std::vector<Destination> destinations;
    std::shared_ptr<AccessCounters> access;  // null: the route has no access control
    std::shared_ptr<CacheCounters> cache;    // null: the route does not cache
  };
  struct Consumer {
    std::string name;
    std::shared_ptr<StatsNode> node;
  };
  struct Service {
    std::string name;
    std::shared_ptr<StatsNode> node;
    std::vector<std::string> endpoint_names;
    std::vector<std::shared_ptr<StatsNode>> endpoints;  // parallel to the service's endpoints
    // Copies mirrored to this service (upstream/mirror.hpp); one that got no answer counts
    // as a request without a status class.
    std::shared_ptr<StatsNode> mirrored;
  };

  // What one finished request went through: indexes into the snapshot, kNone when absent.
  struct Request {
    std::size_t gateway = kNone;
    std::size_t route = kNone;
    std::size_t service = kNone;
    std::size_t endpoint = kNone;
    unsigned status = 0;
    std::uint64_t micros = 0;
    int consumer = -1;  // index into config.consumers; -1: anonymous
    bool access_checked = false;
    bool shadow_denied = false;
    bool shadow_limited = false;
    std::size_t refusal = 0;  // an AccessCounters::Outcome when refused, else kAllowed
    cache::Result cache = cache::Result::kNone;
    std::uint64_t bytes = 0;  // the answer's body
  };
  void record(int worker, const Request& request) const;

  std::vector<Gateway> gateways;
  std::vector<Route> routes;
  std::vector<Service> services;
  std::vector<Consumer> consumers;  // parallel to config.consumers
};

class StatsRegistry {
 public:
  // Named nodes per kind (gateway, route, service, endpoint, ...) before "other".
  static constexpr std::size_t kMaxNamed = 1000;

  explicit StatsRegistry(int workers);
  ~StatsRegistry();
  StatsRegistry(const StatsRegistry&) = delete;
  StatsRegistry& operator=(const StatsRegistry&) = delete;

  // The nodes for `snapshot`'s names: the same ones as before for names that stay.
  std::shared_ptr<const StatsBinding> bind(const Snapshot& snapshot);
  // The last `seconds` (at most 900) of `node`, the second in progress included.
  StatsSeries series(const StatsNode& node, std::size_t seconds) const;

  void countReload() { reloads_.fetch_add(1, std::memory_order_relaxed); }
  std::uint64_t reloads() const { return reloads_.load(std::memory_order_relaxed); }

 private:
  // kLocal: per route, what the gateway answered itself; per gateway, what no route matched.
  enum Kind : std::size_t {
    kGateway,
    kRoute,
    kService,
    kEndpoint,
    kDestination,
    kLocal,
    kMirror,
    kConsumer,
    kKinds
  };

  std::shared_ptr<StatsNode> nodeFor(Kind kind, const std::string& key);
  void runSampler();
  void sample(std::int64_t second);
  void sampleNode(StatsNode& node, std::int64_t second) const;

  const int workers_;
  std::atomic<std::uint64_t> reloads_{0};
  mutable std::mutex mutex_;  // the control plane and the sampler; never a worker
  std::array<std::unordered_map<std::string, std::shared_ptr<StatsNode>>, kKinds> nodes_;
  std::array<std::shared_ptr<StatsNode>, kKinds> other_;
  std::unordered_map<std::string, std::shared_ptr<AccessCounters>> access_;  // by route
  std::unordered_map<std::string, std::shared_ptr<CacheCounters>> cache_;    // by route
  std::int64_t sampled_second_ = 0;  // the last finished second the series hold
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread sampler_;
};

}  // namespace gw::proxy
