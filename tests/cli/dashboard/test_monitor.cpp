// Live traffic from successive reads of the proxy's statistics: rates, percentiles of the
// interval (not of all time), status classes, and the shares of a route's destinations.
#include <catch2/catch.hpp>

#include "cli/dashboard/monitor.hpp"
#include "proxy/observe/histogram.hpp"

using gw::dashboard::Monitor;
using gw::proxy::LatencyBuckets;
using gw::proxy::StatsDoc;
using gw::proxy::TrafficDoc;

namespace {

// `n` answers of `status`, each taking `micros`, on top of `base`.
TrafficDoc more(TrafficDoc base, std::uint64_t n, unsigned status, std::uint32_t micros) {
  base.requests += n;
  base.by_class[status / 100 - 1] += n;
  const std::size_t bucket = LatencyBuckets::indexOf(micros);
  if (base.histogram.size() <= bucket) {
    base.histogram.resize(bucket + 1);
  }
  base.histogram[bucket] += n;
  return base;
}

StatsDoc statsOf(const TrafficDoc& v1, const TrafficDoc& v2) {
  StatsDoc doc;
  TrafficDoc total = v1;
  total.requests += v2.requests;
  for (std::size_t i = 0; i < 5; ++i) {
    total.by_class[i] += v2.by_class[i];
  }
  total.histogram.resize(std::max(v1.histogram.size(), v2.histogram.size()));
  for (std::size_t i = 0; i < v2.histogram.size(); ++i) {
    total.histogram[i] += v2.histogram[i];
  }
  doc.gateways["edge"] = total;
  doc.routes["shop"].traffic = total;
  doc.routes["shop"].gateway = "edge";
  doc.routes["shop"].destinations["frontend"] = v1;
  doc.routes["shop"].destinations["frontendv2"] = v2;
  doc.services["frontend"].traffic = v1;
  doc.services["frontendv2"].traffic = v2;
  return doc;
}

}  // namespace

TEST_CASE("monitor: each interval has its own rate, percentiles and classes", "[dashboard]") {
  Monitor monitor(nullptr);
  TrafficDoc v1 = more({}, 1000, 200, 90'000);  // before the dashboard: slow answers
  TrafficDoc v2;
  monitor.record(statsOf(v1, v2), 100, 2.0);  // the first read is not an interval
  CHECK(monitor.traffic(0)["times"].empty());

  v1 = more(v1, 10, 200, 900);
  v2 = more(v2, 10, 503, 900);
  monitor.record(statsOf(v1, v2), 102, 2.0);
  const auto traffic = monitor.traffic(0);
  REQUIRE(traffic["times"] == nlohmann::ordered_json::array({102}));
  const auto& shop = traffic["routes"]["shop"];
  CHECK(shop["rps"][0] == 10.0);
  CHECK(shop["2xx"][0] == 10);
  CHECK(shop["5xx"][0] == 10);
  // Only this interval's answers (all under 1 ms), not the 90 ms ones before.
  CHECK(shop["p50"][0].get<double>() <= 1.0);
  CHECK(shop["p99"][0].get<double>() <= 1.0);
  CHECK(traffic["destinations"]["shop"]["frontendv2"]["5xx"][0] == 10);
  CHECK(traffic["services"]["frontend"]["rps"][0] == 5.0);

  const auto& edges = traffic["edges"];
  REQUIRE(edges.size() == 2);
  CHECK(edges[0]["route"] == "shop");
  CHECK(edges[0]["gateway"] == "edge");
  CHECK(edges[0]["share"] == 0.5);
  CHECK(edges[1]["requests"] == 10);

  // A quiet interval: zero rates, no percentiles, and ?since= leaves out what was seen.
  monitor.record(statsOf(v1, v2), 104, 2.0);
  const auto later = monitor.traffic(102);
  CHECK(later["times"] == nlohmann::ordered_json::array({104}));
  CHECK_FALSE(later["routes"].contains("shop"));  // idle nodes are left out
  CHECK(monitor.traffic(0)["routes"]["shop"]["p50"][1].is_null());
}

TEST_CASE("monitor: the shares follow the last 30 seconds and a restarted proxy", "[dashboard]") {
  Monitor monitor(nullptr);
  TrafficDoc v1;
  TrafficDoc v2;
  monitor.record(statsOf(v1, v2), 0, 2.0);
  std::int64_t now = 0;
  for (int i = 0; i < 20; ++i) {  // 40 s all to frontend
    v1 = more(v1, 10, 200, 500);
    monitor.record(statsOf(v1, v2), now += 2, 2.0);
  }
  for (int i = 0; i < 15; ++i) {  // then 30 s split evenly
    v1 = more(v1, 5, 200, 500);
    v2 = more(v2, 5, 200, 500);
    monitor.record(statsOf(v1, v2), now += 2, 2.0);
  }
  auto edges = monitor.traffic(now)["edges"];
  CHECK(edges[0]["share"] == 0.5);
  CHECK(edges[1]["share"] == 0.5);
  // A proxy that restarted counts from zero: its counts are the interval's.
  monitor.record(statsOf(more({}, 4, 200, 500), {}), now += 2, 2.0);
  CHECK(monitor.traffic(now - 2)["routes"]["shop"]["rps"][0] == 2.0);
}
