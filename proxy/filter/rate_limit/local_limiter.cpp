#include "proxy/filter/rate_limit/local_limiter.hpp"

namespace gw::proxy::filter {
namespace {

std::uint64_t nextId() {
  static std::atomic<std::uint64_t> next{1};
  return next.fetch_add(1, std::memory_order_relaxed);
}

}  // namespace

LocalLimiter::LocalLimiter(GcraParams params, std::size_t shard_keys)
    : id_(nextId()), params_(params), shard_keys_(shard_keys) {}

LocalLimiter::Table& LocalLimiter::threadCache() {
  // Per limiter (a request may meet several); the limiters a reload dropped go when the
  // thread has seen kThreadCacheLimiters of them.
  thread_local std::unordered_map<std::uint64_t, Table> caches;
  // The last one this thread used, the usual case, without a lookup (a node's address holds
  // until it is erased, and only the clear below erases).
  thread_local std::uint64_t last_id = 0;
  thread_local Table* last = nullptr;
  if (last != nullptr && last_id == id_) {
    return *last;
  }
  if (caches.size() >= kThreadCacheLimiters && !caches.contains(id_)) {
    caches.clear();
  }
  last_id = id_;
  last = &caches[id_];
  return *last;
}

void LocalLimiter::makeRoom(Shard& shard, std::int64_t now_ns) const {
  for (auto it = shard.entries.begin(); it != shard.entries.end();) {
    std::int64_t tat = it->second->tat.load(std::memory_order_relaxed);
    if (tat <= now_ns && it->second->tat.compare_exchange_strong(tat, kDead)) {
      it = shard.entries.erase(it);
    } else {
      ++it;
    }
  }
  while (shard.entries.size() >= shard_keys_) {
    shard.entries.begin()->second->tat.store(kDead);
    shard.entries.erase(shard.entries.begin());
  }
}

LocalLimiter::Entry& LocalLimiter::entryFor(std::string_view key, std::int64_t now_ns) {
  Table& cache = threadCache();
  if (const auto it = cache.find(key);
      it != cache.end() && it->second->tat.load(std::memory_order_relaxed) != kDead) {
    return *it->second;
  }
  const std::size_t hash = Hash{}(key);
  Shard& shard = shards_[(hash >> 58U) % kShards];  // the tables use the low bits
  std::shared_ptr<Entry> entry;
  {
    const std::lock_guard lock(shard.mutex);
    auto it = shard.entries.find(key);
    if (it == shard.entries.end()) {
      if (shard.entries.size() >= shard_keys_) {
        makeRoom(shard, now_ns);
      }
      it = shard.entries.emplace(std::string(key), std::make_shared<Entry>()).first;
    }
    entry = it->second;
  }
  if (cache.size() >= kThreadCacheKeys) {
    cache.clear();
  }
  auto& slot = cache[std::string(key)];
  slot = std::move(entry);
  return *slot;
}

GcraDecision LocalLimiter::take(std::string_view key, std::int64_t now_ns, std::int64_t cost) {
  for (;;) {
    Entry& entry = entryFor(key, now_ns);
    std::int64_t seen = entry.tat.load(std::memory_order_relaxed);
    while (seen != kDead) {
      std::int64_t tat = seen;
      const GcraDecision d = gcraStep(tat, now_ns, params_, cost);
      if (!d.allowed || entry.tat.compare_exchange_weak(seen, tat, std::memory_order_relaxed)) {
        return d;
      }
      // Another thread moved it: step again from what it wrote (`seen` holds it now).
    }
    // Dropped from its shard meanwhile: look the key up again.
  }
}

void LocalLimiter::refund(std::string_view key, std::int64_t cost) {
  Entry& entry = entryFor(key, 0);
  std::int64_t seen = entry.tat.load(std::memory_order_relaxed);
  while (seen != kDead && !entry.tat.compare_exchange_weak(seen, seen - cost * params_.interval_ns,
                                                           std::memory_order_relaxed)) {
  }
}

std::size_t LocalLimiter::keys() const {
  std::size_t n = 0;
  for (const Shard& shard : shards_) {
    const std::lock_guard lock(shard.mutex);
    n += shard.entries.size();
  }
  return n;
}

}  // namespace gw::proxy::filter
