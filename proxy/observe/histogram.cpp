#include "proxy/observe/histogram.hpp"

#include <algorithm>

namespace gw::proxy {

std::size_t LatencyBuckets::indexOf(std::uint64_t micros) {
  const auto* const it = std::lower_bound(kBounds.begin(), kBounds.end(), micros);
  return static_cast<std::size_t>(it - kBounds.begin());
}

double LatencySummary::quantileMillis(double q) const {
  if (count == 0) {
    return 0.0;
  }
  const double rank = q * static_cast<double>(count);
  double seen = 0.0;
  for (std::size_t i = 0; i < buckets.size(); ++i) {
    const auto in_bucket = static_cast<double>(buckets[i]);
    if (in_bucket > 0 && seen + in_bucket >= rank) {
      if (i == LatencyBuckets::kBounds.size()) {
        return LatencyBuckets::kBounds.back() / 1000.0;
      }
      const double lower = i == 0 ? 0.0 : LatencyBuckets::kBounds[i - 1];
      const double upper = LatencyBuckets::kBounds[i];
      return (lower + (upper - lower) * (rank - seen) / in_bucket) / 1000.0;
    }
    seen += in_bucket;
  }
  return LatencyBuckets::kBounds.back() / 1000.0;
}

std::uint64_t LatencySummary::countAtMost(std::uint32_t bound_micros) const {
  std::uint64_t total = 0;
  for (std::size_t i = 0; i < LatencyBuckets::kBounds.size(); ++i) {
    if (LatencyBuckets::kBounds[i] > bound_micros) {
      break;
    }
    total += buckets[i];
  }
  return total;
}

}  // namespace gw::proxy
