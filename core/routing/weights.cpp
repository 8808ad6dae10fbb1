#include <algorithm>

#include "core/routing/compiled.hpp"

namespace gw::core::routing::detail {

// Smooth weighted round-robin (as nginx upstreams do) over 100 slots: with weights summing to
// 100 each destination gets exactly its weight in slots, spread out rather than in one run.
std::array<std::uint8_t, 100> fillPick(const std::vector<Destination>& destinations) {
  std::array<std::uint8_t, 100> pick{};
  constexpr std::size_t kMaxDestinations = 256;  // what a slot can index
  const std::size_t count = std::min(destinations.size(), kMaxDestinations);
  std::vector<int> weight(count);
  int total = 0;
  for (std::size_t i = 0; i < count; ++i) {
    weight[i] = std::max(destinations[i].weight, 0);
    total += weight[i];
  }
  if (total == 0) {
    return pick;
  }
  std::vector<int> current(count, 0);
  for (auto& slot : pick) {
    std::size_t best = count;
    for (std::size_t i = 0; i < count; ++i) {
      if (weight[i] == 0) {
        continue;
      }
      current[i] += weight[i];
      if (best == count || current[i] > current[best]) {
        best = i;
      }
    }
    current[best] -= total;
    slot = static_cast<std::uint8_t>(best);
  }
  return pick;
}

}  // namespace gw::core::routing::detail
