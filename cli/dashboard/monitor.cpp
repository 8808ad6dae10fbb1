#include "cli/dashboard/monitor.hpp"

#include <cmath>
#include <ctime>

#include "proxy/observe/histogram.hpp"

namespace gw::dashboard {
namespace {

constexpr const char* kClassKeys[] = {"1xx", "2xx", "3xx", "4xx", "5xx"};

std::uint64_t since(std::uint64_t now, std::uint64_t before) {
  return now >= before ? now - before : now;  // a restarted proxy counts from zero again
}

// The node key of a route's destination: "d/shop/frontend".
std::string destinationKey(const std::string& route, const std::string& service) {
  std::string key = "d/";
  key.append(route).append("/").append(service);
  return key;
}

double roundedMillis(double value) { return std::round(value * 1000.0) / 1000.0; }

// Percentiles of the answers counted between two reads of a latency histogram.
std::pair<double, double> percentiles(const std::vector<std::uint64_t>& now,
                                      const std::vector<std::uint64_t>& before) {
  proxy::LatencySummary delta;
  for (std::size_t i = 0; i < now.size() && i < delta.buckets.size(); ++i) {
    delta.buckets[i] = since(now[i], i < before.size() ? before[i] : 0);
    delta.count += delta.buckets[i];
  }
  if (delta.count == 0) {
    return {-1.0, -1.0};
  }
  return {roundedMillis(delta.quantileMillis(0.50)), roundedMillis(delta.quantileMillis(0.99))};
}

// A series object with one value per sample in `window` (0 or null where the node was idle).
Json seriesOf(const std::string& key, const std::vector<const TrafficSample*>& window) {
  Json rps = Json::array();
  Json p50 = Json::array();
  Json p99 = Json::array();
  std::array<Json, 5> classes;
  for (Json& c : classes) {
    c = Json::array();
  }
  for (const TrafficSample* sample : window) {
    const auto it = sample->points.find(key);
    const TrafficPoint point = it == sample->points.end() ? TrafficPoint{} : it->second;
    const double seconds = sample->seconds > 0 ? sample->seconds : 1.0;
    rps.push_back(std::round(static_cast<double>(point.requests) / seconds * 100.0) / 100.0);
    p50.push_back(point.p50 < 0 ? Json(nullptr) : Json(point.p50));
    p99.push_back(point.p99 < 0 ? Json(nullptr) : Json(point.p99));
    for (std::size_t i = 0; i < classes.size(); ++i) {
      classes[i].push_back(point.by_class[i]);
    }
  }
  Json out = {{"rps", std::move(rps)}, {"p50", std::move(p50)}, {"p99", std::move(p99)}};
  for (std::size_t i = 0; i < classes.size(); ++i) {
    out[kClassKeys[i]] = std::move(classes[i]);
  }
  return out;
}

}  // namespace

Monitor::Monitor(FindAdmin admin) : admin_(std::move(admin)) {}

Monitor::~Monitor() { stop(); }

void Monitor::start() {
  thread_ = std::thread([this] { runLoop(); });
}

void Monitor::stop() {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) {
    thread_.join();
  }
}

void Monitor::runLoop() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    lock.unlock();
    sampleOnce();
    lock.lock();
    wake_.wait_for(lock, kInterval, [this] { return stopping_; });
  }
}

void Monitor::sampleOnce() {
  const auto admin = admin_ ? admin_() : std::nullopt;
  auto stats = admin ? admin->stats(proxy::StatsQuery{0, true})
                     : core::Result<proxy::StatsDoc>(
                           core::makeError(core::ErrorKind::kRuntime, "no proxy runs"));
  const auto now = std::chrono::steady_clock::now();
  double seconds = 0.0;
  {
    const std::lock_guard lock(mutex_);
    running_ = static_cast<bool>(stats);
    if (!stats) {
      have_previous_ = false;  // the next proxy counts from its own zero
      return;
    }
    seconds = std::chrono::duration<double>(now - last_read_).count();
    last_read_ = now;
  }
  record(*stats, static_cast<std::int64_t>(std::time(nullptr)), seconds);
}

void Monitor::addPoint(TrafficSample& sample, const std::string& key,
                       const proxy::TrafficDoc& now) {
  Cumulative& before = previous_[key];
  TrafficPoint point;
  point.requests = since(now.requests, before.requests);
  for (std::size_t i = 0; i < point.by_class.size(); ++i) {
    point.by_class[i] = since(now.by_class[i], before.by_class[i]);
  }
  if (point.requests > 0) {
    std::tie(point.p50, point.p99) = percentiles(now.histogram, before.histogram);
    sample.points.emplace(key, point);
  }
  before = Cumulative{now.requests, now.by_class, now.histogram};
}

void Monitor::record(const proxy::StatsDoc& stats, std::int64_t now, double seconds) {
  const std::lock_guard lock(mutex_);
  const bool first = !have_previous_;
  TrafficSample sample{now, seconds, {}};
  for (const auto& [name, traffic] : stats.gateways) {
    addPoint(sample, "g/" + name, traffic);
  }
  routes_.clear();
  for (const auto& [name, route] : stats.routes) {
    addPoint(sample, "r/" + name, route.traffic);
    auto& entry = routes_[name];
    entry.first = route.gateway;
    for (const auto& [service, traffic] : route.destinations) {
      addPoint(sample, destinationKey(name, service), traffic);
      entry.second.push_back(service);
    }
  }
  for (const auto& [name, service] : stats.services) {
    addPoint(sample, "s/" + name, service.traffic);
  }
  have_previous_ = true;
  if (first) {
    return;  // the counts since the proxy started are not one interval
  }
  samples_.push_back(std::move(sample));
  while (samples_.size() > kSamples) {
    samples_.pop_front();
  }
}

Json Monitor::traffic(std::int64_t since_second) const {
  const std::lock_guard lock(mutex_);
  std::vector<const TrafficSample*> window;
  std::map<std::string, bool> keys;  // every node with requests in the window
  for (const TrafficSample& sample : samples_) {
    if (sample.time > since_second) {
      window.push_back(&sample);
      for (const auto& entry : sample.points) {
        keys[entry.first] = true;
      }
    }
  }
  Json times = Json::array();
  for (const TrafficSample* sample : window) {
    times.push_back(sample->time);
  }
  Json sections = {{"g", Json::object()}, {"r", Json::object()}, {"s", Json::object()}};
  Json destinations = Json::object();
  for (const auto& [key, unused] : keys) {
    const std::string kind = key.substr(0, 1);
    const std::string name = key.substr(2);
    if (kind == "d") {
      const auto slash = name.find('/');
      destinations[name.substr(0, slash)][name.substr(slash + 1)] = seriesOf(key, window);
    } else {
      sections[kind][name] = seriesOf(key, window);
    }
  }
  return {{"proxyRunning", running_},
          {"interval", kInterval.count()},
          {"times", std::move(times)},
          {"gateways", std::move(sections["g"])},
          {"routes", std::move(sections["r"])},
          {"services", std::move(sections["s"])},
          {"destinations", std::move(destinations)},
          {"edges", edges()}};
}

Json Monitor::edges() const {
  Json out = Json::array();
  const std::size_t first = samples_.size() > kEdgeSamples ? samples_.size() - kEdgeSamples : 0;
  for (const auto& [route, entry] : routes_) {
    const auto& [gateway, services] = entry;
    std::vector<std::uint64_t> counts;
    std::uint64_t total = 0;
    for (const std::string& service : services) {
      const std::string key = destinationKey(route, service);
      std::uint64_t n = 0;
      for (std::size_t i = first; i < samples_.size(); ++i) {
        const auto it = samples_[i].points.find(key);
        n += it == samples_[i].points.end() ? 0 : it->second.requests;
      }
      counts.push_back(n);
      total += n;
    }
    for (std::size_t i = 0; i < services.size(); ++i) {
      const double share =
          total == 0 ? 0.0 : static_cast<double>(counts[i]) / static_cast<double>(total);
      out.push_back({{"gateway", gateway},
                     {"route", route},
                     {"service", services[i]},
                     {"requests", counts[i]},
                     {"share", std::round(share * 1000.0) / 1000.0}});
    }
  }
  return out;
}

}  // namespace gw::dashboard
