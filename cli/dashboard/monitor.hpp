#pragma once
// Live traffic for the dashboard: a thread reads the proxy's statistics every 2 seconds
// (GET /v1/stats?series=0&histograms=1, through the same typed client as `gw status`) and
// keeps what changed in each interval for the last 15 minutes: requests per second, p50
// and p99 latency (from the difference of two latency histograms) and answers by status
// class, per gateway, route, service and route destination. Only nodes that had requests in
// an interval take memory in it, so 1,000 quiet routes cost nothing.

#include <array>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "cli/dashboard/answers.hpp"
#include "proxy/admin/client.hpp"

namespace gw::dashboard {

// One node in one interval.
struct TrafficPoint {
  std::uint64_t requests = 0;
  std::array<std::uint64_t, 5> by_class{};  // 1xx..5xx
  double p50 = -1.0;                        // milliseconds; < 0 when unknown
  double p99 = -1.0;
};

struct TrafficSample {
  std::int64_t time = 0;                       // Unix second at which the interval ended
  double seconds = 0.0;                        // its length
  std::map<std::string, TrafficPoint> points;  // by node key ("r/shop", "d/shop/frontend")
};

class Monitor {
 public:
  using FindAdmin = std::function<std::optional<proxy::AdminClient>()>;

  explicit Monitor(FindAdmin admin);
  ~Monitor();
  Monitor(const Monitor&) = delete;
  Monitor& operator=(const Monitor&) = delete;

  void start();
  void stop();

  // Reads the proxy once and appends the interval since the last read (none on the first
  // read). Called by the thread; public for tests.
  void sampleOnce();
  // Adds what `stats` says at `now` (Unix second) after `seconds` since the last read.
  void record(const proxy::StatsDoc& stats, std::int64_t now, double seconds);

  // docs/dashboard-api.md, "Live traffic": the samples after Unix second `since`.
  Json traffic(std::int64_t since) const;

  static constexpr std::chrono::seconds kInterval{2};
  static constexpr std::size_t kSamples = 450;     // 15 minutes
  static constexpr std::size_t kEdgeSamples = 15;  // the shares of the last 30 seconds

 private:
  struct Cumulative {
    std::uint64_t requests = 0;
    std::array<std::uint64_t, 5> by_class{};
    std::vector<std::uint64_t> histogram;
  };
  void addPoint(TrafficSample& sample, const std::string& key, const proxy::TrafficDoc& now);
  void runLoop();
  // The shares of each route's destinations over the last 30 seconds; under mutex_.
  Json edges() const;

  FindAdmin admin_;
  mutable std::mutex mutex_;
  std::map<std::string, Cumulative> previous_;
  std::deque<TrafficSample> samples_;
  // From the latest read: each route's gateway and destination services.
  std::map<std::string, std::pair<std::string, std::vector<std::string>>> routes_;
  bool running_ = false;  // the last read reached a proxy
  std::chrono::steady_clock::time_point last_read_{};
  bool have_previous_ = false;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace gw::dashboard
