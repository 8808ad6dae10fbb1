#pragma once
// Request latency in fixed log-scale buckets (about ten per decade, 50 µs to 60 s). Workers
// count into their own copy with plain relaxed stores; the admin thread merges the copies
// and reads percentiles and Prometheus buckets off the merged counts.

#include <array>
#include <cstddef>
#include <cstdint>

namespace gw::proxy {

class LatencyBuckets {
 public:
  // Upper bounds in microseconds, inclusive; one more bucket holds everything above the last.
  static constexpr std::array<std::uint32_t, 52> kBounds = {
      50,         100,        150,        200,       250,       300,       400,        500,
      600,        750,        1'000,      1'500,     2'000,     2'500,     3'000,      4'000,
      5'000,      6'000,      7'500,      10'000,    15'000,    20'000,    25'000,     30'000,
      40'000,     50'000,     60'000,     75'000,    100'000,   150'000,   200'000,    250'000,
      300'000,    400'000,    500'000,    600'000,   750'000,   1'000'000, 1'500'000,  2'000'000,
      2'500'000,  3'000'000,  4'000'000,  5'000'000, 6'000'000, 7'500'000, 10'000'000, 15'000'000,
      20'000'000, 30'000'000, 45'000'000, 60'000'000};
  static constexpr std::size_t kCount = kBounds.size() + 1;

  // The bucket a duration falls in: a binary search over the bounds, no floating point.
  static std::size_t indexOf(std::uint64_t micros);
};

// Merged counts of one histogram, as the admin thread sees them.
struct LatencySummary {
  std::array<std::uint64_t, LatencyBuckets::kCount> buckets{};
  std::uint64_t count = 0;
  std::uint64_t sum_micros = 0;

  // The q-quantile (0 < q <= 1) in milliseconds, interpolated linearly inside its bucket;
  // 0 when nothing was counted. A value above the last bound reports that bound.
  double quantileMillis(double q) const;
  // How many durations were at most `bound_micros`, which must be one of kBounds.
  std::uint64_t countAtMost(std::uint32_t bound_micros) const;
};

}  // namespace gw::proxy
