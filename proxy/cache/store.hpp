#pragma once
// The response cache's memory: one store per gw, shared by every worker, bounded in bytes,
// least recently used answers evicted first. Split into shards by key, each with its own lock
// held only to find, insert or unlink (never while an answer is copied or written), so
// workers meet only when they touch the same shard at the same moment: no global lock on
// hits. Stored answers are immutable and shared: a hit holds its answer alive even if it is
// evicted or purged meanwhile.
//
// A key (method, host, path and query, and the consumer on a route that authenticates) has
// one answer per Vary variant: the values the request that fetched it had for the fields
// its Vary names. A lookup finds the variant whose values the new request shares.

#include <boost/beast/http/fields.hpp>
#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "proxy/cache/policy.hpp"

namespace gw::proxy::cache {

namespace http = boost::beast::http;

struct StoredAnswer {
  unsigned status = 200;
  std::string fields;  // "Name: value\r\n" lines, without hop-by-hop fields and Age
  std::string body;
  ResponseFacts facts;
  Seconds request_time = 0;   // when the request that fetched it went out (Unix seconds)
  Seconds response_time = 0;  // when its answer came
  Seconds lifetime = 0;       // freshness lifetime
  std::string etag;           // validators, for a conditional revalidation
  std::string last_modified;
  // The fields its Vary names (lower case) with the fetching request's values (normalized:
  // repeated fields joined by ", ", spaces around commas dropped).
  std::vector<std::pair<std::string, std::string>> vary;
  std::string route;  // for purges and stats by route

  std::size_t bytes() const;  // what it counts against the store's bound
};

// The value of `name` in `fields` as Vary compares it: every occurrence, joined.
std::string varyValue(const http::fields& fields, std::string_view name);

class Store {
 public:
  struct Stats {
    std::uint64_t entries = 0;
    std::uint64_t bytes = 0;
    std::uint64_t evictions = 0;
  };

  static constexpr unsigned kShards = 16;

  // `max_bytes` bounds the whole store; an answer over `max_object` is never stored.
  Store(std::size_t max_bytes, std::size_t max_object);
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // The variant of `key` that matches `request`'s fields, or null.
  std::shared_ptr<const StoredAnswer> find(const std::string& key,
                                           const http::fields& request) const;
  // Stores `answer` under `key`, replacing the variant with the same Vary values; false when
  // it is too large.
  bool put(const std::string& key, std::shared_ptr<const StoredAnswer> answer);
  // Drops every variant of `key` (one shard's lookup); how many there were.
  std::size_t erase(const std::string& key);
  // Drops the answers whose key starts with `prefix` ("" = all) and, when `route` is not
  // empty, that a route of that name stored. How many were dropped.
  std::size_t purge(std::string_view prefix, std::string_view route);

  Stats stats() const;
  std::size_t maxObject() const { return max_object_; }
  std::size_t maxBytes() const { return shard_bytes_ * kShards; }

 private:
  struct Entry {
    std::string key;
    std::vector<std::shared_ptr<const StoredAnswer>> variants;
    std::size_t bytes = 0;
  };
  struct Shard {
    mutable std::mutex mutex;
    std::list<Entry> lru;                                                    // most recent first
    std::unordered_map<std::string_view, std::list<Entry>::iterator> index;  // views of keys
    std::size_t bytes = 0;
    std::uint64_t evictions = 0;
  };

  Shard& shardOf(const std::string& key) const;
  void evict(Shard& shard) const;  // with its lock held

  const std::size_t shard_bytes_;
  const std::size_t max_object_;
  mutable std::vector<Shard> shards_;
};

}  // namespace gw::proxy::cache
