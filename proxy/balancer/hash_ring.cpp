#include "proxy/balancer/hash_ring.hpp"

#include <algorithm>
#include <numeric>
#include <string>

namespace gw::proxy::balancer {
namespace {

constexpr std::uint64_t kFnvOffset = 0xcbf29ce484222325ULL;
constexpr std::uint64_t kFnvPrime = 0x100000001b3ULL;

std::uint64_t fnv1a(std::uint64_t hash, std::string_view text) {
  for (const char c : text) {
    hash ^= static_cast<unsigned char>(c);
    hash *= kFnvPrime;
  }
  return hash;
}

// MurmurHash3's fmix64.
std::uint64_t mix(std::uint64_t h) {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 33;
  return h;
}

}  // namespace

std::uint64_t hashKey(std::string_view text) { return mix(fnv1a(kFnvOffset, text)); }

HashRing::HashRing(const std::vector<std::string_view>& addresses,
                   const std::vector<std::uint32_t>& weights) {
  const std::uint64_t total_weight =
      std::accumulate(weights.begin(), weights.end(), std::uint64_t{0});
  if (total_weight == 0) {
    return;
  }
  std::uint64_t per_weight = kPointsPerWeight;
  if (total_weight * per_weight > kMaxPoints) {
    per_weight = std::max<std::uint64_t>(1, kMaxPoints / total_weight);
  }
  points_.reserve(static_cast<std::size_t>(total_weight * per_weight));
  for (std::size_t i = 0; i < addresses.size(); ++i) {
    const std::uint64_t base = fnv1a(kFnvOffset, addresses[i]);
    const std::uint64_t count = weights[i] * per_weight;
    for (std::uint64_t replica = 0; replica < count; ++replica) {
      // "ADDRESS_REPLICA", hashed on from the address's own FNV state.
      std::uint64_t h = fnv1a(base, "_");
      h = fnv1a(h, std::to_string(replica));
      points_.push_back(Point{mix(h), static_cast<std::uint32_t>(i)});
    }
  }
  std::sort(points_.begin(), points_.end(), [](const Point& a, const Point& b) {
    return a.hash < b.hash || (a.hash == b.hash && a.index < b.index);
  });
}

std::size_t HashRing::find(std::uint64_t hash) const {
  const auto it = std::lower_bound(points_.begin(), points_.end(), hash,
                                   [](const Point& p, std::uint64_t h) { return p.hash < h; });
  const auto position = static_cast<std::size_t>(it - points_.begin());
  return position == points_.size() ? 0 : position;
}

}  // namespace gw::proxy::balancer
