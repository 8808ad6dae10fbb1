#pragma once
// The consistent-hash ring of one service: every endpoint owns points in proportion to its
// weight, placed by hashing its configured address, so a key keeps its endpoint while that
// endpoint exists and only the keys of an endpoint that goes away (about 1/N) move.

#include <cstdint>
#include <string_view>
#include <vector>

namespace gw::proxy::balancer {

// 64-bit FNV-1a, then a finaliser: FNV alone leaves similar short keys close on the ring.
std::uint64_t hashKey(std::string_view text);

class HashRing {
 public:
  // Points per unit of weight (as Envoy's ring hash aims for), scaled down when a service
  // would need more than kMaxPoints in all.
  static constexpr std::uint32_t kPointsPerWeight = 160;
  static constexpr std::uint32_t kMaxPoints = 8192;

  struct Point {
    std::uint64_t hash = 0;
    std::uint32_t index = 0;  // the endpoint's index in its service
  };

  HashRing() = default;
  // `addresses` and `weights` are parallel, one per endpoint.
  HashRing(const std::vector<std::string_view>& addresses,
           const std::vector<std::uint32_t>& weights);

  bool empty() const { return points_.empty(); }
  std::size_t size() const { return points_.size(); }
  // The position of the first point at or after `hash` (wrapping): walk on from there.
  std::size_t find(std::uint64_t hash) const;
  const Point& at(std::size_t position) const { return points_[position % points_.size()]; }

 private:
  std::vector<Point> points_;  // sorted by hash
};

}  // namespace gw::proxy::balancer
