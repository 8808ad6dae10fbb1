// Load balancing through the proxy: real gw-echo backends on 127.0.0.1.

#include <atomic>
#include <catch2/catch.hpp>
#include <thread>

#include "tests/proxy/balancer/balancer_support.hpp"

namespace gw::test {

TEST_CASE("weighted endpoints share the traffic by weight under every policy", "[lb]") {
  const auto policy =
      GENERATE(core::LbPolicy::kRoundRobin, core::LbPolicy::kRandom, core::LbPolicy::kLeastRequest);
  CAPTURE(core::toString(policy));
  EchoProcess light("light");
  EchoProcess heavy("heavy");
  const auto port = freePort();
  ProxyUnderTest proxy(oneServiceConfig(
      port, weightedService("svc", policy, {{light.endpoint(), 1}, {heavy.endpoint(), 3}})));

  HttpClient client(port);
  auto seen = countBackends(client, 400);
  CHECK(seen["light"] + seen["heavy"] == 400);
  // 300 expected; the bounds are four standard deviations (~9) and more away.
  CHECK(seen["heavy"] > 255);
  CHECK(seen["heavy"] < 345);
}

TEST_CASE("least-request sends traffic to the idle endpoint while the other is slow", "[lb]") {
  EchoProcess slow("slow", 0, {"--delay", "400ms"});
  EchoProcess fast("fast");
  const auto port = freePort();
  ProxyUnderTest proxy(
      oneServiceConfig(port, weightedService("svc", core::LbPolicy::kLeastRequest,
                                             {{slow.endpoint(), 1}, {fast.endpoint(), 1}})),
      1);  // one worker: in-flight counts are per worker

  // Four clients at once for a bounded time: round-robin would give the slow endpoint half of
  // every client's requests; least-request only gives it one when it is no busier.
  std::atomic<int> to_slow{0};
  std::atomic<int> to_fast{0};
  std::atomic<int> failed{0};
  std::vector<std::thread> clients;
  clients.reserve(4);
  for (int c = 0; c < 4; ++c) {
    clients.emplace_back([&] {
      try {
        HttpClient client(port, 5s);
        const auto until = std::chrono::steady_clock::now() + 1500ms;
        for (int i = 0; i < 300 && std::chrono::steady_clock::now() < until; ++i) {
          const std::string backend = client.get("lb.test").header("x-backend");
          ++(backend == "slow" ? to_slow : to_fast);
        }
      } catch (const std::exception&) {
        ++failed;
      }
    });
  }
  for (auto& t : clients) {
    t.join();
  }
  CHECK(failed == 0);
  CHECK(to_fast > 40);
  CHECK(to_slow * 5 < to_fast);  // round-robin would keep them about even
}

TEST_CASE("the same hash key reaches the same backend, and many keys spread", "[lb]") {
  EchoProcess a("a");
  EchoProcess b("b");
  const auto port = freePort();
  core::Service service =
      weightedService("svc", core::LbPolicy::kHash, {{a.endpoint(), 1}, {b.endpoint(), 1}});
  SECTION("on a header") {
    service.hash_on = core::HashPolicy{core::HashPolicy::Source::kHeader, "x-user"};
    ProxyUnderTest proxy(oneServiceConfig(port, service));
    HttpClient client(port);
    for (const std::string user : {"alice", "bob", "carol"}) {
      const auto seen = countBackends(client, 50, "/", {{"X-User", user}});
      CHECK(seen.size() == 1);
    }
    std::map<std::string, int> spread;
    for (int i = 0; i < 100; ++i) {
      ++spread[client.request("GET", "lb.test", "/", {{"X-User", "user-" + std::to_string(i)}})
                   .header("x-backend")];
    }
    CHECK(spread["a"] > 20);
    CHECK(spread["b"] > 20);
    // Without the header: round-robin.
    const auto keyless = countBackends(client, 10);
    CHECK(keyless.at("a") == 5);
    CHECK(keyless.at("b") == 5);
  }
  SECTION("on a cookie") {
    service.hash_on = core::HashPolicy{core::HashPolicy::Source::kCookie, "session"};
    ProxyUnderTest proxy(oneServiceConfig(port, service));
    HttpClient client(port);
    std::map<std::string, int> spread;
    for (int i = 0; i < 40; ++i) {
      const std::string cookie = "theme=dark; session=s" + std::to_string(i);
      const auto seen = countBackends(client, 5, "/", {{"Cookie", cookie}});
      REQUIRE(seen.size() == 1);
      ++spread[seen.begin()->first];
    }
    CHECK(spread["a"] > 5);
    CHECK(spread["b"] > 5);
  }
}

TEST_CASE("the admin status lists every service's endpoints with weight, health and load", "[lb]") {
  EchoProcess slow("slow", 0, {"--delay", "600ms"});
  const auto port = freePort();
  const DeadPort dead;
  const std::string down = dead.endpoint();
  ProxyUnderTest proxy(oneServiceConfig(port, weightedService("svc", core::LbPolicy::kLeastRequest,
                                                              {{slow.endpoint(), 7}, {down, 2}})));

  std::thread pending([port] {
    HttpClient client(port, 5s);
    for (int i = 0; i < 20; ++i) {
      if (client.get("lb.test").header("x-backend") == "slow") {
        break;
      }
    }
  });
  const auto busy = eventually(
      [&] { return endpointStatus(proxy, "svc", slow.endpoint())["inFlight"] == 1; }, 3s);
  pending.join();
  CHECK(busy);

  const auto status = adminStatus(proxy);
  REQUIRE(status["services"].size() == 1);
  const auto& service = status["services"][0];
  CHECK(service["name"] == "svc");
  CHECK(service["loadBalancer"] == "least-request");
  REQUIRE(service["endpoints"].size() == 2);
  CHECK(service["endpoints"][0] == nlohmann::json{{"address", slow.endpoint()},
                                                  {"weight", 7},
                                                  {"healthy", true},
                                                  {"ejected", false},
                                                  {"inFlight", 0}});
  CHECK(service["endpoints"][1]["address"] == down);
  CHECK(service["endpoints"][1]["weight"] == 2);
}

}  // namespace gw::test
