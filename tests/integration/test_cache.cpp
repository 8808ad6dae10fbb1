// The response cache as a user meets it: `gw route update --cache`, curl through the running
// proxy to a gw-echo origin, `gw cache stats|purge`, /v1/stats, /metrics and the access log;
// consumers kept apart; documents that make no sense refused with the field named.

#include <catch2/catch.hpp>

#include "tests/integration/access_story.hpp"

using namespace gw::test;

namespace {

// What the origin answered so far (its /_count, through the uncached route).
std::string originCount(const AccessStory& story) {
  return chomp(story.get("open.test", "/_count").body);
}

bool hit(const HttpResponse& answer) {
  return answer.header("cache-status").rfind("gw; hit", 0) == 0;
}

}  // namespace

TEST_CASE("a route with --cache answers the second request from the gateway", "[cache]") {
  AccessStory story;
  story.must({"route", "update", "shop", "--cache"});
  const std::string path = "/?cc=max-age%3D60";
  const HttpResponse first = story.get("shop.test", path);
  REQUIRE(first.status == 200);
  const std::string before = originCount(story);
  const HttpResponse second = story.get("shop.test", path);
  CHECK(second.status == 200);
  CHECK(hit(second));
  CHECK(second.header("x-seq") == first.header("x-seq"));
  CHECK(originCount(story) == before);

  // Where a user looks: gw cache stats, /v1/stats, /metrics, the access log.
  const auto stats = nlohmann::json::parse(story.must({"cache", "stats", "-o", "json"}));
  CHECK(stats["enabled"] == true);
  CHECK(stats["entries"].get<int>() >= 1);
  CHECK(stats["routes"]["shop"]["hits"] == 1);
  CHECK(stats["routes"]["shop"]["misses"] == 1);
  CHECK(story.must({"cache", "stats"}).find("shop") != std::string::npos);
  story.statsWhen([](const nlohmann::json& s) {
    return s["routes"]["shop"].contains("cache") && s["routes"]["shop"]["cache"]["hits"] == 1;
  });
  const HttpResponse metrics = story.admin("/metrics");
  CHECK(metrics.body.find(R"(gw_cache_requests_total{route="shop",result="hit"} 1)") !=
        std::string::npos);
  CHECK(story.accessLogLine(second)["cache"] == "hit");
  CHECK(story.accessLogLine(first)["cache"] == "miss");
}

TEST_CASE("gw cache purge drops answers by URL prefix and by route", "[cache]") {
  AccessStory story;
  story.must({"route", "update", "shop", "--cache-ttl", "5m"});
  story.get("shop.test", "/products/1");
  story.get("shop.test", "/products/2");
  story.get("shop.test", "/about");
  REQUIRE(hit(story.get("shop.test", "/products/1")));

  CHECK(chomp(story.must({"cache", "purge", "--prefix", "http://shop.test:8080/products/"})) ==
        "purged 2 answers");
  CHECK_FALSE(hit(story.get("shop.test", "/products/1")));
  CHECK(hit(story.get("shop.test", "/about")));

  const auto purged =
      nlohmann::json::parse(story.must({"cache", "purge", "--route", "shop", "-o", "json"}));
  CHECK(purged["purged"] == 2);  // /about, and /products/1 stored again
  CHECK_FALSE(hit(story.get("shop.test", "/about")));

  const RunResult unknown = story.home().gw({"cache", "purge", "--route", "nope"});
  CHECK(unknown.exit_code == 3);
  CHECK(unknown.err.find("no route named \"nope\"") != std::string::npos);
  const RunResult path_only = story.home().gw({"cache", "purge", "--prefix", "/products/"});
  CHECK(path_only.exit_code == 2);
}

TEST_CASE("two consumers never share a cached answer", "[cache]") {
  AccessStory story;
  story.must({"consumer", "add", "acme"});
  story.must({"consumer", "add", "globex"});
  const std::string acme = story.createKey("acme");
  const std::string globex = story.createKey("globex");
  story.must({"route", "update", "shop", "--auth", "api-key", "--cache"});
  const std::string path = "/_echo?cc=public%2C%20max-age%3D60";
  const auto as = [&](const std::string& key) {
    return story.get("shop.test", path, {"-H", "x-api-key: " + key});
  };
  const HttpResponse acme_first = as(acme);
  const HttpResponse globex_first = as(globex);
  CHECK_FALSE(hit(globex_first));
  CHECK(globex_first.header("x-seq") != acme_first.header("x-seq"));
  CHECK(AccessStory::upstreamHeaders(globex_first)["x-gw-consumer"] == "globex");
  const HttpResponse acme_again = as(acme);
  const HttpResponse globex_again = as(globex);
  CHECK(hit(acme_again));
  CHECK(hit(globex_again));
  CHECK(acme_again.header("x-seq") == acme_first.header("x-seq"));
  CHECK(globex_again.header("x-seq") == globex_first.header("x-seq"));
  // Without a key the route refuses, cached answers or not.
  CHECK(story.get("shop.test", path).status == 401);
}

TEST_CASE("a cache that could never answer is refused with the field named", "[cache]") {
  AccessStory story;
  const RunResult post_only =
      story.home().gw({"route", "add", "orders", "--gateway", "edge", "--host", "orders.test",
                       "--to", "app", "--method", "POST", "--cache"});
  CHECK(post_only.exit_code != 0);
  CHECK(post_only.err.find("cache: the route takes only POST") != std::string::npos);
  const RunResult negative = story.home().gw({"route", "update", "shop", "--cache-ttl", "-5s"});
  CHECK(negative.exit_code != 0);

  const std::string before = story.must({"config", "show"});
  const std::string document =
      before + "proxy:\n  cache:\n    maxSize: 1MiB\n    maxObject: 2MiB\n";
  const RunResult too_big = story.home().gw({"config", "apply", "-f", "-"}, document);
  CHECK(too_big.exit_code != 0);
  CHECK(too_big.err.find("proxy.cache.maxObject: must not exceed maxSize (1MiB; got 2MiB)") !=
        std::string::npos);
  const RunResult not_a_size = story.home().gw({"config", "apply", "-f", "-"},
                                               before + "proxy:\n  cache:\n    maxSize: lots\n");
  CHECK(not_a_size.exit_code != 0);
  CHECK(not_a_size.err.find("proxy.cache.maxSize") != std::string::npos);
  CHECK(story.must({"config", "show"}) == before);
}

TEST_CASE("a route with --compress answers curl --compressed in its encoding", "[compress]") {
  AccessStory story;
  story.must({"route", "update", "shop", "--compress", "--compress-encodings", "br,gzip"});
  const HttpResponse plain = story.get("shop.test", "/a?size=20000");
  CHECK(plain.header("content-encoding").empty());  // curl asked for none
  for (const std::string encoding : {"gzip", "br"}) {
    const HttpResponse answer = story.get("shop.test", "/a?size=20000",
                                          {"--compressed", "-H", "Accept-Encoding: " + encoding});
    CHECK(answer.header("content-encoding") == encoding);
    CHECK(answer.body == std::string(20000, 'x'));  // curl decoded it
  }
  CHECK(story.must({"route", "get", "shop", "-o", "json"}).find("\"compress\"") !=
        std::string::npos);
  story.must({"route", "update", "shop", "--compress=false"});
  CHECK(
      story.get("shop.test", "/a?size=20000", {"--compressed"}).header("content-encoding").empty());
}
