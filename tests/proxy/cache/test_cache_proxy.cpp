// The response cache through a running proxy, in front of gw-echo origins whose Cache-Control,
// Vary, ETag, Set-Cookie and delay each test sets in the query (tests/support/echo_backend.cpp),
// and which number every answer they make (x-seq): an answer from the cache carries the number
// of the origin's answer it copies.

#include <atomic>
#include <catch2/catch.hpp>
#include <thread>
#include <vector>

#include "tests/proxy/balancer/balancer_support.hpp"

namespace gw::test {
namespace {

struct CachedRoute {
  EchoProcess origin{"origin"};
  std::uint16_t port = freePort();
  ProxyUnderTest proxy;

  explicit CachedRoute(core::RouteCache cache = {}, core::CacheSettings settings = {})
      : proxy(configOf(cache, settings)) {}

  core::Config configOf(core::RouteCache cache, core::CacheSettings settings) const {
    core::Config config = singleRoute(port, "app", origin.endpoint(), "shop.test");
    config.routes[0].cache = cache;
    config.proxy.cache = settings;
    return config;
  }

  Reply get(const std::string& target,
            const std::vector<std::pair<std::string, std::string>>& headers = {}) const {
    HttpClient client(port, 10s);
    return client.request("GET", "shop.test", target, headers);
  }
};

bool hit(const Reply& reply) { return reply.header("cache-status").find("gw; hit") == 0; }

// The second GET of `target` came from the cache.
bool storedAfterOne(CachedRoute& route, const std::string& target,
                    const std::vector<std::pair<std::string, std::string>>& headers = {}) {
  const Reply first = route.get(target, headers);
  REQUIRE(first.status == 200);
  const Reply second = route.get(target, headers);
  REQUIRE(second.status == 200);
  return hit(second) && second.header("x-seq") == first.header("x-seq");
}

}  // namespace

TEST_CASE("an answer with max-age is served from the cache, with Age and Cache-Status", "[cache]") {
  CachedRoute route;
  const Reply first = route.get("/a?cc=max-age%3D60");
  CHECK(first.header("cache-status") == "gw; fwd=uri-miss; fwd-status=200; stored");
  const Reply second = route.get("/a?cc=max-age%3D60");
  CHECK(second.status == 200);
  CHECK(second.header("cache-status").rfind("gw; hit; ttl=", 0) == 0);
  CHECK(second.header("x-seq") == first.header("x-seq"));
  CHECK(second.body == first.body);
  CHECK_FALSE(second.header("age").empty());
  CHECK(second.header("x-request-id") != first.header("x-request-id"));
}

TEST_CASE("an answer with no-store is not stored", "[cache]") {
  CachedRoute route;
  CHECK_FALSE(storedAfterOne(route, "/a?cc=no-store"));
  CHECK(route.get("/a?cc=no-store").header("cache-status").find("detail=no-store") !=
        std::string::npos);
}

TEST_CASE("an answer marked private is not stored", "[cache]") {
  CachedRoute route;
  CHECK_FALSE(storedAfterOne(route, "/a?cc=private%2C%20max-age%3D60"));
}

TEST_CASE("an answer that sets a cookie is not stored", "[cache]") {
  CachedRoute route;
  CHECK_FALSE(storedAfterOne(route, "/a?cc=max-age%3D60&cookie=1"));
}

TEST_CASE("an answer with Vary: * is not stored", "[cache]") {
  CachedRoute route;
  CHECK_FALSE(storedAfterOne(route, "/a?cc=max-age%3D60&vary=*"));
}

TEST_CASE("an answer that says nothing of freshness is stored only with the route's maxAge",
          "[cache]") {
  CachedRoute without;
  CHECK_FALSE(storedAfterOne(without, "/a"));
  core::RouteCache cache;
  cache.max_age = std::chrono::minutes(5);
  CachedRoute with(cache);
  CHECK(storedAfterOne(with, "/a"));
}

TEST_CASE("a request with Authorization is stored only when the answer allows sharing", "[cache]") {
  CachedRoute route;
  const std::vector<std::pair<std::string, std::string>> auth{{"Authorization", "Bearer x"}};
  CHECK_FALSE(storedAfterOne(route, "/a?cc=max-age%3D60", auth));
  CHECK(storedAfterOne(route, "/b?cc=public%2C%20max-age%3D60", auth));
  CHECK(storedAfterOne(route, "/c?cc=s-maxage%3D60", auth));
}

TEST_CASE("a request with no-store is forwarded and its answer not stored", "[cache]") {
  CachedRoute route;
  const std::vector<std::pair<std::string, std::string>> no_store{{"Cache-Control", "no-store"}};
  CHECK_FALSE(storedAfterOne(route, "/a?cc=max-age%3D60", no_store));
}

TEST_CASE("an answer over maxObject is relayed whole and not stored", "[cache]") {
  core::CacheSettings settings;
  settings.max_object = 1000;
  CachedRoute route({}, settings);
  const Reply big = route.get("/a?cc=max-age%3D60&size=5000");
  CHECK(big.body.size() == 5000);
  CHECK(big.header("cache-status").find("detail=too-large") != std::string::npos);
  CHECK_FALSE(storedAfterOne(route, "/a?cc=max-age%3D60&size=5000&chunked=1"));
  CHECK(storedAfterOne(route, "/a?cc=max-age%3D60&size=900&chunked=1"));
}

TEST_CASE("each Vary variant is stored and served to the requests that match it", "[cache]") {
  CachedRoute route;
  const std::string target = "/a?cc=max-age%3D60&vary=Accept-Language";
  const Reply en = route.get(target, {{"Accept-Language", "en"}});
  const Reply fr = route.get(target, {{"Accept-Language", "fr"}});
  CHECK(en.body == "origin\nen\n");
  CHECK(fr.body == "origin\nfr\n");
  CHECK(en.header("x-seq") != fr.header("x-seq"));
  const Reply en2 = route.get(target, {{"Accept-Language", "en"}});
  const Reply fr2 = route.get(target, {{"Accept-Language", "fr"}});
  CHECK(hit(en2));
  CHECK(hit(fr2));
  CHECK(en2.body == "origin\nen\n");
  CHECK(fr2.body == "origin\nfr\n");
  CHECK_FALSE(hit(route.get(target, {{"Accept-Language", "de"}})));
}

TEST_CASE("a stale answer is revalidated with its ETag and refreshed by a 304", "[cache]") {
  CachedRoute route;
  // Ages are whole seconds, rounded up: 3 s of freshness stays fresh right after a refresh.
  const std::string target = "/a?cc=max-age%3D3&etag=v1";
  const Reply first = route.get(target);
  std::this_thread::sleep_for(4100ms);
  const Reply again = route.get(target);
  CHECK(again.status == 200);
  CHECK(again.header("cache-status") == "gw; fwd=stale; fwd-status=304");
  CHECK(again.body == first.body);
  CHECK(again.header("etag") == "\"v1\"");
  const Reply then = route.get(target);
  CHECK(hit(then));
  // The origin answered twice: the first time, and the 304.
  CHECK(route.get("/_count").body == "2\n");
}

TEST_CASE("a stale answer is revalidated with its Last-Modified", "[cache]") {
  CachedRoute route;
  const std::string target = "/a?cc=max-age%3D1&lastmod=1";
  route.get(target);
  std::this_thread::sleep_for(2100ms);
  CHECK(route.get(target).header("cache-status") == "gw; fwd=stale; fwd-status=304");
}

TEST_CASE("a client's no-cache makes the cache revalidate first", "[cache]") {
  CachedRoute route;
  const std::string target = "/a?cc=max-age%3D60&etag=v1";
  route.get(target);
  const Reply revalidated = route.get(target, {{"Cache-Control", "no-cache"}});
  CHECK(revalidated.header("cache-status") == "gw; fwd=stale; fwd-status=304");
  CHECK(hit(route.get(target)));
}

TEST_CASE("a conditional request is answered 304 from the cache", "[cache]") {
  CachedRoute route;
  const std::string target = "/a?cc=max-age%3D60&etag=v1";
  route.get(target);
  const Reply conditional = route.get(target, {{"If-None-Match", "W/\"v1\""}});
  CHECK(conditional.status == 304);
  CHECK(hit(conditional));
  CHECK(conditional.body.empty());
  const Reply other = route.get(target, {{"If-None-Match", "\"v2\""}});
  CHECK(other.status == 200);
  CHECK(hit(other));
  CHECK(route.get("/_count").body == "1\n");
}

TEST_CASE("a HEAD is answered from a stored GET", "[cache]") {
  CachedRoute route;
  const Reply get = route.get("/a?cc=max-age%3D60&size=300");
  HttpClient client(route.port, 10s);
  const Reply head = client.request("HEAD", "shop.test", "/a?cc=max-age%3D60&size=300");
  CHECK(head.status == 200);
  CHECK(hit(head));
  CHECK(head.header("content-length") == "300");
  CHECK(head.header("x-seq") == get.header("x-seq"));
}

TEST_CASE("concurrent misses for one URL make one origin request", "[cache]") {
  CachedRoute route;
  const std::string target = "/a?cc=max-age%3D60&delay=300ms";
  std::atomic<int> ok{0};
  std::vector<std::thread> clients;
  clients.reserve(100);
  for (int i = 0; i < 100; ++i) {
    clients.emplace_back([&] {
      try {
        if (route.get(target).status == 200) {
          ++ok;
        }
      } catch (...) {
      }
    });
  }
  for (auto& client : clients) {
    client.join();
  }
  CHECK(ok == 100);
  CHECK(route.get("/_count").body == "1\n");
}

TEST_CASE("stale-while-revalidate answers stale while one request revalidates", "[cache]") {
  CachedRoute route;
  const std::string target = "/a?cc=max-age%3D3%2C%20stale-while-revalidate%3D60&delay=500ms";
  const Reply first = route.get(target);
  std::this_thread::sleep_for(4100ms);
  Reply revalidating;
  std::thread leader([&] { revalidating = route.get(target); });
  std::this_thread::sleep_for(150ms);
  const auto start = std::chrono::steady_clock::now();
  const Reply stale = route.get(target);
  const auto waited = std::chrono::steady_clock::now() - start;
  leader.join();
  CHECK(stale.header("cache-status").find("detail=stale-while-revalidate") != std::string::npos);
  CHECK(stale.header("x-seq") == first.header("x-seq"));
  CHECK(waited < 300ms);
  CHECK(revalidating.header("x-seq") != first.header("x-seq"));
  // The revalidation's answer was stored: it serves the next request.
  CHECK(route.get(target).header("x-seq") == revalidating.header("x-seq"));
}

TEST_CASE("stale-if-error serves the stale answer when the origin is down", "[cache]") {
  auto origin = std::make_unique<EchoProcess>("origin");
  const auto port = freePort();
  core::Config config = singleRoute(port, "app", origin->endpoint(), "shop.test");
  config.routes[0].cache = core::RouteCache{};
  ProxyUnderTest proxy(config);
  HttpClient client(port, 10s);
  const std::string target = "/a?cc=max-age%3D1%2C%20stale-if-error%3D60";
  const Reply first = client.get("shop.test", target);
  origin->stop();
  std::this_thread::sleep_for(2100ms);
  const Reply stale = client.get("shop.test", target);
  CHECK(stale.status == 200);
  CHECK(stale.body == first.body);
  CHECK(stale.header("cache-status").find("detail=stale-if-error") != std::string::npos);
  // Without stale-if-error, the failure is the client's.
  const Reply plain = client.get("shop.test", "/b?cc=max-age%3D60");
  CHECK(plain.status == 502);
}

TEST_CASE("stale-if-error serves the stale answer when the origin answers 503", "[cache]") {
  auto origin = std::make_unique<EchoProcess>("origin");
  const auto origin_port = origin->port();
  const auto port = freePort();
  core::RouteCache cache;
  cache.stale_if_error = std::chrono::minutes(1);  // the route's default: the answer says none
  core::Config config = singleRoute(port, "app", origin->endpoint(), "shop.test");
  config.routes[0].cache = cache;
  ProxyUnderTest proxy(config);
  HttpClient client(port, 10s);
  const Reply first = client.get("shop.test", "/a?cc=max-age%3D1");
  origin.reset();
  EchoProcess failing("origin", origin_port, {"--status", "503"});
  std::this_thread::sleep_for(2100ms);
  const Reply stale = client.get("shop.test", "/a?cc=max-age%3D1");
  CHECK(stale.status == 200);
  CHECK(stale.header("x-seq") == first.header("x-seq"));
  CHECK(stale.header("cache-status") == "gw; fwd=stale; fwd-status=503; detail=stale-if-error");
}

TEST_CASE("the size bound evicts the least recently used answers", "[cache]") {
  core::CacheSettings settings;
  settings.max_size = 64 * 1024;
  settings.max_object = 2000;
  CachedRoute route({}, settings);
  for (int i = 0; i < 200; ++i) {
    route.get("/n" + std::to_string(i) + "?cc=max-age%3D60&size=1000");
  }
  int early_hits = 0;
  for (int i = 0; i < 20; ++i) {
    early_hits += hit(route.get("/n" + std::to_string(i) + "?cc=max-age%3D60&size=1000")) ? 1 : 0;
  }
  CHECK(early_hits < 5);  // 200 answers of ~1.3 KiB do not fit in 64 KiB: the oldest went
  CHECK(hit(route.get("/n199?cc=max-age%3D60&size=1000")));
}

TEST_CASE("the cache is kept across a reload that changes another route", "[cache]") {
  CachedRoute route;
  const Reply first = route.get("/a?cc=max-age%3D60");
  core::Config config = route.configOf({}, {});
  core::Route other = makeRoute("other", "edge", {"other.test"}, {{"app", 100}});
  config.routes.push_back(other);
  route.proxy.setConfig(config);
  REQUIRE(route.proxy.server().reload());
  REQUIRE(eventually([&] { return HttpClient(route.port).get("other.test").status == 200; }, 5s));
  const Reply again = route.get("/a?cc=max-age%3D60");
  CHECK(hit(again));
  CHECK(again.header("x-seq") == first.header("x-seq"));
}

TEST_CASE("a success of an unsafe method drops the stored answer of its URL", "[cache]") {
  CachedRoute route;
  const std::string target = "/a?cc=max-age%3D60";
  route.get(target);
  REQUIRE(hit(route.get(target)));
  HttpClient client(route.port, 10s);
  CHECK(client.request("POST", "shop.test", target, {}, "x").status == 200);
  CHECK_FALSE(hit(route.get(target)));
}

TEST_CASE("only-if-cached gets 504 on a miss and the answer on a hit", "[cache]") {
  CachedRoute route;
  const std::vector<std::pair<std::string, std::string>> only{{"Cache-Control", "only-if-cached"}};
  const Reply miss = route.get("/a?cc=max-age%3D60", only);
  CHECK(miss.status == 504);
  CHECK(miss.header("x-gw-error") == "cache_miss");
  route.get("/a?cc=max-age%3D60");
  CHECK(route.get("/a?cc=max-age%3D60", only).status == 200);
}

}  // namespace gw::test

namespace gw::test {

TEST_CASE("a hit passes through the route's response edits once, like any answer", "[cache]") {
  EchoProcess origin{"origin"};
  const auto port = freePort();
  core::Config config = singleRoute(port, "app", origin.endpoint(), "shop.test");
  config.routes[0].cache = core::RouteCache{};
  config.routes[0].response_headers.add.push_back({"x-edited", "1"});
  ProxyUnderTest proxy(config);
  HttpClient client(port, 10s);
  const Reply first = client.get("shop.test", "/a?cc=max-age%3D60&size=10");
  const Reply second = client.get("shop.test", "/a?cc=max-age%3D60&size=10");
  CHECK(hit(second));
  CHECK(second.header("x-edited") == "1");
  CHECK(second.body == std::string(10, 'x'));
  CHECK(second.header("content-length") == "10");
  CHECK(second.header("x-seq") == first.header("x-seq"));
}

TEST_CASE("a hit to an HTTP/1.0 client closes unless it asked to keep the connection", "[cache]") {
  CachedRoute route;
  route.get("/a?cc=max-age%3D60");
  const std::string answer =
      rawExchange(route.port, "GET /a?cc=max-age%3D60 HTTP/1.0\r\nHost: shop.test\r\n\r\n");
  CHECK(answer.rfind("HTTP/1.0 200 OK\r\n", 0) == 0);
  CHECK(answer.find("Cache-Status: gw; hit") != std::string::npos);
  CHECK(answer.find("\r\n\r\norigin\n") != std::string::npos);
}

}  // namespace gw::test
