// The response cache's memory: Vary variants, the byte bound with least-recently-used
// eviction, the per-object bound, purges by prefix and by route, and workers on many threads.

#include <atomic>
#include <catch2/catch.hpp>
#include <thread>
#include <vector>

#include "proxy/cache/store.hpp"

namespace gw::proxy::cache {
namespace {

std::shared_ptr<const StoredAnswer> answer(
    std::string body, std::string route = "r",
    std::vector<std::pair<std::string, std::string>> vary = {}) {
  auto a = std::make_shared<StoredAnswer>();
  a->body = std::move(body);
  a->route = std::move(route);
  a->vary = std::move(vary);
  return a;
}

http::fields headers(std::initializer_list<std::pair<std::string_view, std::string_view>> list) {
  http::fields f;
  for (const auto& [name, value] : list) {
    f.insert(name, value);
  }
  return f;
}

}  // namespace

TEST_CASE("A stored answer is found under its key, and nothing under another", "[cache]") {
  Store store(1 << 20, 1 << 16);
  REQUIRE(store.put("GET shop.test/a", answer("A")));
  const auto hit = store.find("GET shop.test/a", {});
  REQUIRE(hit);
  CHECK(hit->body == "A");
  CHECK_FALSE(store.find("GET shop.test/b", {}));
  CHECK(store.stats().entries == 1);
}

TEST_CASE("Each Vary variant is its own answer, compared as the request's values", "[cache]") {
  Store store(1 << 20, 1 << 16);
  store.put("k", answer("english", "r", {{"accept-language", "en"}}));
  store.put("k", answer("french", "r", {{"accept-language", "fr"}}));
  CHECK(store.find("k", headers({{"Accept-Language", "en"}}))->body == "english");
  CHECK(store.find("k", headers({{"Accept-Language", "fr"}}))->body == "french");
  CHECK_FALSE(store.find("k", headers({{"Accept-Language", "de"}})));
  CHECK_FALSE(store.find("k", {}));  // absent is a value of its own
  // A variant with the same values replaces the old one.
  store.put("k", answer("english 2", "r", {{"accept-language", "en"}}));
  CHECK(store.find("k", headers({{"Accept-Language", "en"}}))->body == "english 2");
  CHECK(store.stats().entries == 2);
}

TEST_CASE("Vary compares lists without the spaces around their commas", "[cache]") {
  CHECK(varyValue(headers({{"Accept-Encoding", "gzip,  br"}}), "accept-encoding") == "gzip,br");
  CHECK(varyValue(headers({{"Accept-Encoding", "gzip"}, {"Accept-Encoding", " br "}}),
                  "Accept-Encoding") == "gzip,br");
  CHECK(varyValue({}, "accept-encoding").empty());
}

TEST_CASE("The byte bound evicts the least recently used answers first", "[cache]") {
  // 16 shards of 4 KiB: a shard holds three 1 KiB answers and their overhead, not four.
  Store store(Store::kShards * 4096, 2048);
  const std::string body(1000, 'x');
  // Keys that land in one shard: find them by trying.
  std::vector<std::string> same;
  const auto shard = std::hash<std::string>{}("k0") % Store::kShards;
  for (int i = 0; same.size() < 4; ++i) {
    const std::string key = "k" + std::to_string(i);
    if (std::hash<std::string>{}(key) % Store::kShards == shard) {
      same.push_back(key);
    }
  }
  store.put(same[0], answer(body));
  store.put(same[1], answer(body));
  store.put(same[2], answer(body));
  REQUIRE(store.find(same[0], {}));  // now the most recent: same[1] is the oldest
  store.put(same[3], answer(body));
  CHECK(store.find(same[0], {}));
  CHECK_FALSE(store.find(same[1], {}));
  CHECK(store.find(same[2], {}));
  CHECK(store.find(same[3], {}));
  const auto stats = store.stats();
  CHECK(stats.evictions == 1);
  CHECK(stats.entries == 3);
  CHECK(stats.bytes <= Store::kShards * 4096);
}

TEST_CASE("An answer over the object bound is never stored", "[cache]") {
  Store store(1 << 20, 100);
  CHECK_FALSE(store.put("big", answer(std::string(101, 'x'))));
  CHECK(store.put("small", answer(std::string(100, 'x'))));
  CHECK_FALSE(store.find("big", {}));
  CHECK(store.find("small", {}));
}

TEST_CASE("Purges drop answers by key prefix and by the route that stored them", "[cache]") {
  Store store(1 << 20, 1 << 16);
  store.put("GET shop.test/a", answer("1", "shop"));
  store.put("GET shop.test/b", answer("2", "shop"));
  store.put("GET api.test/a", answer("3", "api"));
  CHECK(store.purge("GET shop.test/a", "") == 1);
  CHECK_FALSE(store.find("GET shop.test/a", {}));
  CHECK(store.find("GET shop.test/b", {}));
  CHECK(store.purge("", "api") == 1);
  CHECK_FALSE(store.find("GET api.test/a", {}));
  CHECK(store.find("GET shop.test/b", {}));
  CHECK(store.purge("", "") == 1);
  const auto stats = store.stats();
  CHECK(stats.entries == 0);
  CHECK(stats.bytes == 0);
}

TEST_CASE("Erasing a key drops all its variants and nothing else", "[cache]") {
  Store store(1 << 20, 1 << 16);
  store.put("k", answer("en", "r", {{"accept-language", "en"}}));
  store.put("k", answer("fr", "r", {{"accept-language", "fr"}}));
  store.put("other", answer("o"));
  CHECK(store.erase("k") == 2);
  CHECK(store.erase("k") == 0);
  CHECK_FALSE(store.find("k", headers({{"Accept-Language", "en"}})));
  CHECK(store.find("other", {}));
  CHECK(store.stats().entries == 1);
  CHECK(store.purge("", "") == 1);
  CHECK(store.stats().bytes == 0);
}

TEST_CASE("A hit keeps its answer alive after it is purged", "[cache]") {
  Store store(1 << 20, 1 << 16);
  store.put("k", answer("kept"));
  const auto hit = store.find("k", {});
  store.purge("", "");
  CHECK(hit->body == "kept");
}

TEST_CASE("Workers on many threads find and store at once", "[cache]") {
  Store store(1 << 16, 1 << 10);
  std::atomic<int> hits{0};
  std::vector<std::thread> threads;
  threads.reserve(8);
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 2000; ++i) {
        const std::string key = "k" + std::to_string((i * 7 + t) % 300);
        if (const auto found = store.find(key, {})) {
          CHECK(found->body == key);
          ++hits;
        } else {
          store.put(key, answer(key));
        }
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  CHECK(hits > 0);
  const auto stats = store.stats();
  CHECK(stats.bytes <= (1 << 16));
  CHECK(stats.entries > 0);
}

}  // namespace gw::proxy::cache
