#include "proxy/cache/store.hpp"

#include <algorithm>

#include "proxy/http/lists.hpp"

namespace gw::proxy::cache {
namespace {

constexpr std::size_t kEntryOverhead = 256;  // list node, index slot, answer object

bool matches(const StoredAnswer& answer, const http::fields& request) {
  return std::all_of(answer.vary.begin(), answer.vary.end(), [&](const auto& field) {
    return varyValue(request, field.first) == field.second;
  });
}

bool sameVariant(const StoredAnswer& a, const StoredAnswer& b) { return a.vary == b.vary; }

}  // namespace

std::size_t StoredAnswer::bytes() const {
  std::size_t n = kEntryOverhead + fields.size() + body.size() + etag.size() +
                  last_modified.size() + route.size();
  for (const auto& [name, value] : vary) {
    n += name.size() + value.size();
  }
  return n;
}

std::string varyValue(const http::fields& fields, std::string_view name) {
  std::string out;
  for (auto [it, end] = fields.equal_range(name); it != end; ++it) {
    // Spaces around the list's commas say nothing.
    forEachListItem(it->value(), [&](std::string_view item) {
      if (!out.empty()) {
        out += ',';
      }
      out += item;
    });
  }
  return out;
}

Store::Store(std::size_t max_bytes, std::size_t max_object)
    : shard_bytes_(std::max<std::size_t>(1, max_bytes / kShards)),
      max_object_(max_object),
      shards_(kShards) {}

Store::Shard& Store::shardOf(const std::string& key) const {
  return shards_[std::hash<std::string>{}(key) % kShards];
}

std::shared_ptr<const StoredAnswer> Store::find(const std::string& key,
                                                const http::fields& request) const {
  Shard& shard = shardOf(key);
  const std::lock_guard lock(shard.mutex);
  const auto it = shard.index.find(key);
  if (it == shard.index.end()) {
    return nullptr;
  }
  for (const auto& variant : it->second->variants) {
    if (matches(*variant, request)) {
      shard.lru.splice(shard.lru.begin(), shard.lru, it->second);  // most recent now
      return variant;
    }
  }
  return nullptr;
}

bool Store::put(const std::string& key, std::shared_ptr<const StoredAnswer> answer) {
  const std::size_t size = answer->bytes() + key.size();
  if (answer->body.size() > max_object_ || size > shard_bytes_) {
    return false;
  }
  Shard& shard = shardOf(key);
  std::shared_ptr<const StoredAnswer> replaced;  // released after the lock
  const std::lock_guard lock(shard.mutex);
  auto it = shard.index.find(key);
  if (it == shard.index.end()) {
    shard.lru.push_front(Entry{key, {}, 0});
    it = shard.index.emplace(shard.lru.front().key, shard.lru.begin()).first;
  } else {
    shard.lru.splice(shard.lru.begin(), shard.lru, it->second);
  }
  Entry& entry = *it->second;
  auto& variants = entry.variants;
  const auto same = std::find_if(variants.begin(), variants.end(),
                                 [&](const auto& v) { return sameVariant(*v, *answer); });
  if (same != variants.end()) {
    const std::size_t old = (*same)->bytes() + key.size();
    entry.bytes -= old;
    shard.bytes -= old;
    replaced = std::move(*same);
    *same = std::move(answer);
  } else {
    variants.push_back(std::move(answer));
  }
  entry.bytes += size;
  shard.bytes += size;
  evict(shard);
  return true;
}

void Store::evict(Shard& shard) const {
  // Never the entry just used (the front), unless it alone is over the bound.
  while (shard.bytes > shard_bytes_ && !shard.lru.empty()) {
    Entry& last = shard.lru.back();
    shard.bytes -= last.bytes;
    shard.evictions += last.variants.size();
    shard.index.erase(last.key);
    shard.lru.pop_back();
  }
}

std::size_t Store::erase(const std::string& key) {
  Shard& shard = shardOf(key);
  std::list<Entry> dropped;  // freed after the lock
  const std::lock_guard lock(shard.mutex);
  const auto it = shard.index.find(key);
  if (it == shard.index.end()) {
    return 0;
  }
  const auto entry = it->second;
  shard.bytes -= entry->bytes;
  shard.index.erase(it);
  const std::size_t n = entry->variants.size();
  dropped.splice(dropped.begin(), shard.lru, entry);
  return n;
}

std::size_t Store::purge(std::string_view prefix, std::string_view route) {
  std::size_t dropped = 0;
  for (Shard& shard : shards_) {
    const std::lock_guard lock(shard.mutex);
    for (auto it = shard.lru.begin(); it != shard.lru.end();) {
      Entry& entry = *it;
      if (!std::string_view(entry.key).starts_with(prefix)) {
        ++it;
        continue;
      }
      auto& variants = entry.variants;
      const auto before = variants.size();
      std::erase_if(variants, [&](const auto& v) {
        if (!route.empty() && v->route != route) {
          return false;
        }
        const std::size_t size = v->bytes() + entry.key.size();
        entry.bytes -= size;
        shard.bytes -= size;
        return true;
      });
      dropped += before - variants.size();
      if (variants.empty()) {
        shard.index.erase(entry.key);
        it = shard.lru.erase(it);
      } else {
        ++it;
      }
    }
  }
  return dropped;
}

Store::Stats Store::stats() const {
  Stats out;
  for (const Shard& shard : shards_) {
    const std::lock_guard lock(shard.mutex);
    for (const Entry& entry : shard.lru) {
      out.entries += entry.variants.size();
    }
    out.bytes += shard.bytes;
    out.evictions += shard.evictions;
  }
  return out;
}

}  // namespace gw::proxy::cache
