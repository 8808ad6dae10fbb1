#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tests/proxy/support/counting_backend.hpp"
#include "tests/proxy/support/harness.hpp"
#include "tests/support/eventually.hpp"
#include "tests/support/process.hpp"

namespace gw::test {
namespace {

using Clock = std::chrono::steady_clock;

struct MirrorSetup {
  EchoBackend primary{"primary"};
  std::uint16_t port = freePort();
  core::Config config;

  explicit MirrorSetup(const std::string& mirror_endpoint, int percent) {
    config.gateways.push_back(makeGateway("edge", {{core::Protocol::kHttp, port}}));
    config.services.push_back(makeService("primary", {primary.endpoint()}));
    config.services.push_back(makeService("shadow", {mirror_endpoint}));
    core::Route route = makeRoute("shop", "edge", {"shop.test"}, {{"primary", 100}});
    route.mirror = core::Mirror{"shadow", percent};
    config.routes.push_back(route);
  }
};

// Waits until `backend` has seen `at_least` requests or its count stops moving. Nothing
// says how many copies a 50 % mirror sends, so a count that holds still from one poll to the
// next (100 ms apart) is taken as settled: the interval is that quiet period.
int settledCount(const CountingBackend& backend, int at_least) {
  int last = -1;
  return eventuallyValue([&] { return backend.requests(); },
                         [&](int now) {
                           const bool still = now == last && now > 0;
                           last = now;
                           return now >= at_least || still;
                         },
                         3s, 100ms)
      .value;
}

Reply adminGet(ProxyUnderTest& proxy, const std::string& path) {
  return HttpClient(proxy.server().adminPort())
      .request("GET", "127.0.0.1", path, {{"Authorization", "Bearer " + proxy.token()}});
}

}  // namespace

TEST_CASE("mirrored copies are counted per mirror service in /v1/stats and /metrics", "[mirror]") {
  CountingBackend shadow(200);
  const DeadPort nobody;
  const bool dead = GENERATE(false, true);
  MirrorSetup setup(dead ? nobody.endpoint() : shadow.endpoint(), 100);
  ProxyUnderTest proxy(setup.config);
  HttpClient client(setup.port);
  constexpr int kRequests = 10;
  for (int i = 0; i < kRequests; ++i) {
    REQUIRE(client.get("shop.test", "/").status == 200);
  }
  // A copy is counted when its answer came back, or when it failed (no class).
  const auto counted = eventuallyValue(
      [&] { return nlohmann::json::parse(adminGet(proxy, "/v1/stats?series=false").body); },
      [&](const nlohmann::json& s) {
        return s["mirrors"].contains("shadow") && s["mirrors"]["shadow"]["requests"] == kRequests;
      },
      5s);
  REQUIRE(counted);
  const auto& mirrored = counted.value["mirrors"]["shadow"];
  CHECK(mirrored["2xx"] == (dead ? 0 : kRequests));
  CHECK_FALSE(counted.value["mirrors"].contains("primary"));  // never mirrored to
  const std::string metrics = adminGet(proxy, "/metrics").body;
  const std::string sample =
      dead ? R"(gw_mirror_requests_total{service="shadow",code_class="none"} 10)"
           : R"(gw_mirror_requests_total{service="shadow",code_class="2xx"} 10)";
  CHECK(metrics.find(sample) != std::string::npos);
}

TEST_CASE("the mirror receives its share of requests, marked as shadow traffic", "[mirror]") {
  CountingBackend shadow(200);
  const int percent = GENERATE(100, 50);
  MirrorSetup setup(shadow.endpoint(), percent);
  ProxyUnderTest proxy(setup.config);
  HttpClient client(setup.port);

  constexpr int kRequests = 200;
  for (int i = 0; i < kRequests; ++i) {
    const Reply reply = i % 2 == 0 ? client.get("shop.test", "/")
                                   : client.request("POST", "shop.test", "/", {}, "payload");
    REQUIRE(reply.status == 200);
    REQUIRE(reply.body == "primary\n");
  }
  if (percent == 100) {
    // Every copy is awaited, however slowly a loaded machine delivers the last ones.
    CHECK(eventuallyEquals([&] { return shadow.requests(); }, kRequests, 5s));
  } else {
    const int mirrored = settledCount(shadow, kRequests * percent / 100);
    CHECK(mirrored >= 60);
    CHECK(mirrored <= 140);
  }
  CHECK(shadow.lastHeader("x-gw-mirror") == "1");
  CHECK(shadow.lastHeader("host") == "shop.test");
}

TEST_CASE("a slow or dead mirror costs the primary nothing", "[mirror]") {
  CountingBackend slow(200, 2s);
  const DeadPort nobody;
  const bool dead = GENERATE(false, true);
  MirrorSetup setup(dead ? nobody.endpoint() : slow.endpoint(), 100);
  ProxyUnderTest proxy(setup.config);
  HttpClient client(setup.port);

  Clock::duration slowest{};
  const auto started = Clock::now();
  for (int i = 0; i < 20; ++i) {
    const auto sent = Clock::now();
    const Reply reply = client.get("shop.test", "/");
    slowest = std::max(slowest, Clock::now() - sent);
    CHECK(reply.status == 200);
    CHECK(reply.body == "primary\n");
  }
  CHECK(slowest < 500ms);  // the mirror answers after 2 s, or never
  CHECK(Clock::now() - started < 2s);
  if (!dead) {
    CHECK(settledCount(slow, 20) == 20);  // the copies did go out
  }
}

}  // namespace gw::test
