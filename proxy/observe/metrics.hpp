#pragma once
// GET /metrics: the Prometheus text exposition format (version 0.0.4). Label values come
// from the config only (gateway, route, service and endpoint names), never from a request,
// and the registry caps how many of them exist, so no traffic can grow the output.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "proxy/observe/stats.hpp"

namespace gw::proxy {

inline constexpr std::string_view kMetricsContentType = "text/plain; version=0.0.4; charset=utf-8";

struct MetricsSource {
  const StatsBinding* binding = nullptr;  // the served snapshot's; null before the first
  std::uint64_t revision = 0;
  std::uint64_t reloads = 0;
  std::size_t connections = 0;
  std::string_view version;
  // The response cache's store (all 0 when no route caches).
  std::uint64_t cache_entries = 0;
  std::uint64_t cache_bytes = 0;
  std::uint64_t cache_max_bytes = 0;
  std::uint64_t cache_evictions = 0;
};

std::string renderMetrics(const MetricsSource& source);

}  // namespace gw::proxy
