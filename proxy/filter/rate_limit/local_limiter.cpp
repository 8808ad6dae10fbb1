#include "proxy/filter/rate_limit/local_limiter.hpp"

namespace gw::proxy::filter {

LocalLimiter::Shard& LocalLimiter::shardOf(std::string_view /*key*/, std::size_t hash) {
  // The table inside uses the low bits of the same hash: pick the shard with the high ones.
  return shards_[(hash >> 58U) % kShards];
}

void LocalLimiter::makeRoom(Shard& shard, std::int64_t now_ns) {
  std::erase_if(shard.tats, [now_ns](const auto& entry) { return entry.second <= now_ns; });
  while (shard.tats.size() >= kShardKeys) {
    shard.tats.erase(shard.tats.begin());
  }
}

GcraDecision LocalLimiter::take(std::string_view key, std::int64_t now_ns, std::int64_t cost) {
  const std::size_t hash = Hash{}(key);
  Shard& shard = shardOf(key, hash);
  const std::lock_guard lock(shard.mutex);
  auto it = shard.tats.find(key);
  if (it == shard.tats.end()) {
    std::int64_t tat = 0;
    GcraDecision d = gcraStep(tat, now_ns, params_, cost);
    if (d.allowed) {  // a refused new key has nothing worth keeping
      if (shard.tats.size() >= kShardKeys) {
        makeRoom(shard, now_ns);
      }
      shard.tats.emplace(std::string(key), tat);
    }
    return d;
  }
  return gcraStep(it->second, now_ns, params_, cost);
}

void LocalLimiter::refund(std::string_view key, std::int64_t cost) {
  const std::size_t hash = Hash{}(key);
  Shard& shard = shardOf(key, hash);
  const std::lock_guard lock(shard.mutex);
  if (auto it = shard.tats.find(key); it != shard.tats.end()) {
    it->second -= cost * params_.interval_ns;
  }
}

std::size_t LocalLimiter::keys() const {
  std::size_t n = 0;
  for (const Shard& shard : shards_) {
    const std::lock_guard lock(shard.mutex);
    n += shard.tats.size();
  }
  return n;
}

}  // namespace gw::proxy::filter
