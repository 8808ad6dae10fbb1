#pragma once
// The state of one local rate limit: a TAT per key (gcra.hpp) in a hash table split into
// shards, each with its own lock, so workers counting different keys never meet and the
// count stays exact when they count the same one. Filter state (registry.hpp): a reload that
// leaves the limit as it was keeps it, and the budgets in it.
//
// Bounded: a shard over kShardKeys first forgets keys whose budget is full again (their TAT
// has passed: forgetting them changes nothing), then, if it is still full, drops keys at
// random, which at worst gives those clients a fresh budget.

#include <array>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "proxy/filter/rate_limit/gcra.hpp"

namespace gw::proxy::filter {

class LocalLimiter {
 public:
  static constexpr std::size_t kShards = 64;
  static constexpr std::size_t kShardKeys = 16'384;

  explicit LocalLimiter(GcraParams params) : params_(params) {}

  GcraDecision take(std::string_view key, std::int64_t now_ns, std::int64_t cost);
  // Gives back what take() took, when a later limit refused the request.
  void refund(std::string_view key, std::int64_t cost);
  const GcraParams& params() const { return params_; }
  std::size_t keys() const;

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept {
      return std::hash<std::string_view>{}(s);
    }
  };
  struct alignas(64) Shard {
    mutable std::mutex mutex;
    std::unordered_map<std::string, std::int64_t, Hash, std::equal_to<>> tats;
  };
  Shard& shardOf(std::string_view key, std::size_t hash);
  static void makeRoom(Shard& shard, std::int64_t now_ns);

  GcraParams params_;
  std::array<Shard, kShards> shards_;
};

}  // namespace gw::proxy::filter
