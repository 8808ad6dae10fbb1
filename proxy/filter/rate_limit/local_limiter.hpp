#pragma once
// The state of one local rate limit: a TAT per key (gcra.hpp), exact across workers.
//
// Each key's TAT is one atomic, moved by compare-and-swap: workers counting the same key
// never wait for one another, and never enter the kernel. The keys live in a hash table split
// into shards, each with a lock taken only to add or drop a key; each thread keeps the
// entries it used in a small cache of its own, so a busy key costs a lookup in that cache and
// one CAS. Filter state (registry.hpp): a reload that leaves the limit as it was keeps it.
//
// Bounded: a shard over kShardKeys forgets keys whose budget is full again (their TAT has
// passed: forgetting them changes nothing), then, if still full, keys at random, which at
// worst gives those clients a fresh budget. A forgotten entry is marked dead first (by CAS,
// so no step can land on it after), and a thread that finds it dead looks the key up again.

#include <array>
#include <atomic>
#include <cstdint>
#include <limits>
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
  static constexpr std::size_t kThreadCacheKeys = 4'096;
  static constexpr std::size_t kThreadCacheLimiters = 64;

  explicit LocalLimiter(GcraParams params, std::size_t shard_keys = kShardKeys);

  GcraDecision take(std::string_view key, std::int64_t now_ns, std::int64_t cost);
  // Gives back what take() took, when a later limit refused the request.
  void refund(std::string_view key, std::int64_t cost);
  const GcraParams& params() const { return params_; }
  std::size_t keys() const;

 private:
  static constexpr std::int64_t kDead = std::numeric_limits<std::int64_t>::min();
  struct Entry {
    std::atomic<std::int64_t> tat{0};
  };
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept {
      return std::hash<std::string_view>{}(s);
    }
  };
  using Table = std::unordered_map<std::string, std::shared_ptr<Entry>, Hash, std::equal_to<>>;
  struct alignas(64) Shard {
    mutable std::mutex mutex;
    Table entries;
  };

  // The live entry for `key`: from this thread's cache, else the shard (made when missing).
  Entry& entryFor(std::string_view key, std::int64_t now_ns);
  Table& threadCache();
  void makeRoom(Shard& shard, std::int64_t now_ns) const;

  const std::uint64_t id_;  // tells this limiter's thread caches from an older one's
  GcraParams params_;
  std::size_t shard_keys_;
  std::array<Shard, kShards> shards_;
};

}  // namespace gw::proxy::filter
