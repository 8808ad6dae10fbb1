// The balancer on its own: policies, weights, hashing, health and ejection, without sockets.

#include <catch2/catch.hpp>
#include <map>
#include <string>
#include <vector>

#include "proxy/balancer/in_flight.hpp"
#include "proxy/balancer/request_key.hpp"
#include "proxy/balancer/service_balancer.hpp"

namespace gw::proxy::balancer {
namespace {

using namespace std::chrono_literals;

constexpr int kWorker = 0;

core::Service serviceWith(core::LbPolicy policy) {
  core::Service service;
  service.name = "svc";
  service.load_balancer = policy;
  if (policy == core::LbPolicy::kHash) {
    service.hash_on = core::HashPolicy{core::HashPolicy::Source::kHeader, "x-user"};
  }
  return service;
}

std::vector<BalancedEndpoint> endpoints(const std::vector<std::pair<std::string, int>>& spec) {
  std::vector<BalancedEndpoint> out;
  out.reserve(spec.size());
  for (const auto& [address, weight] : spec) {
    out.push_back(BalancedEndpoint{address, static_cast<std::uint32_t>(weight),
                                   std::make_shared<health::EndpointState>(1)});
  }
  return out;
}

// A fixed sequence of random numbers, so distributions are checked without flakes.
std::uint32_t entropy(int i) {
  std::uint64_t z = static_cast<std::uint64_t>(i) * 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 31)) * 0xbf58476d1ce4e5b9ULL;
  return static_cast<std::uint32_t>(z >> 32);
}

std::string key(int i) { return "user-" + std::to_string(i); }

}  // namespace

TEST_CASE("round-robin gives each endpoint its weight's share, interleaved", "[lb]") {
  const ServiceBalancer lb(serviceWith(core::LbPolicy::kRoundRobin),
                           endpoints({{"a:1", 1}, {"b:1", 3}}));
  std::vector<int> seen(2);
  std::size_t previous = kNoEndpoint;
  int a_twice = 0;
  for (int i = 0; i < 400; ++i) {
    const std::size_t index = lb.pick(kWorker, entropy(i), std::nullopt, {});
    REQUIRE(index < 2);
    ++seen[index];
    a_twice += index == 0 && previous == 0 ? 1 : 0;
    previous = index;
  }
  CHECK(seen[0] == 100);
  CHECK(seen[1] == 300);
  CHECK(a_twice == 0);
}

TEST_CASE("random and least-request follow the weights", "[lb]") {
  const auto policy = GENERATE(core::LbPolicy::kRandom, core::LbPolicy::kLeastRequest);
  const ServiceBalancer lb(serviceWith(policy), endpoints({{"a:1", 1}, {"b:1", 3}}));
  std::vector<int> seen(2);
  for (int i = 0; i < 1000; ++i) {
    ++seen[lb.pick(kWorker, entropy(i), std::nullopt, {})];
  }
  // 750 expected; the bounds are about five standard deviations (~14) away.
  CHECK(seen[1] > 680);
  CHECK(seen[1] < 820);
}

TEST_CASE("least-request prefers the endpoint with fewer requests in flight", "[lb]") {
  const ServiceBalancer lb(serviceWith(core::LbPolicy::kLeastRequest),
                           endpoints({{"a:1", 1}, {"b:1", 1}, {"c:1", 1}}));
  InFlight busy_a;
  InFlight busy_b;
  busy_a.begin(*lb.endpoint(0).state, kWorker);
  busy_b.begin(*lb.endpoint(1).state, kWorker);
  std::vector<int> seen(3);
  for (int i = 0; i < 300; ++i) {
    ++seen[lb.pick(kWorker, entropy(i), std::nullopt, {})];
  }
  // Two distinct draws out of three always include c unless they are a and b (a third).
  CHECK(seen[2] > 150);
  CHECK(seen[0] + seen[1] < 150);
  busy_a.end();
  CHECK(lb.endpoint(0).state->inFlight() == 0);
  CHECK(lb.endpoint(1).state->inFlight() == 1);
}

TEST_CASE("a hash key keeps its endpoint, and only a removed endpoint's keys move", "[lb]") {
  auto four = endpoints({{"a:1", 1}, {"b:1", 1}, {"c:1", 1}, {"d:1", 1}});
  const ServiceBalancer before(serviceWith(core::LbPolicy::kHash), four);
  four.erase(four.begin() + 2);  // c goes away
  const ServiceBalancer after(serviceWith(core::LbPolicy::kHash), four);

  constexpr int kKeys = 2000;
  std::map<std::string, int> share;
  int moved = 0;
  for (int i = 0; i < kKeys; ++i) {
    const std::string k = key(i);
    const std::size_t first = before.pick(kWorker, 0, k, {});
    REQUIRE(before.pick(kWorker, entropy(i), k, {}) == first);  // sticky
    const std::string was = before.endpoint(first).address;
    ++share[was];
    const std::string now = after.endpoint(after.pick(kWorker, 0, k, {})).address;
    if (was != "c:1") {
      moved += now != was ? 1 : 0;
    } else {
      CHECK(now != "c:1");
    }
  }
  CHECK(moved == 0);
  for (const auto& [address, count] : share) {
    CHECK(count > kKeys / 4 / 2);  // each endpoint holds a fair part of the keys
    CHECK(count < kKeys / 4 * 2);
  }
}

TEST_CASE("hashing passes over an unhealthy endpoint and comes back to it", "[lb]") {
  const ServiceBalancer lb(serviceWith(core::LbPolicy::kHash),
                           endpoints({{"a:1", 1}, {"b:1", 1}, {"c:1", 1}}));
  std::vector<std::size_t> owner;
  owner.reserve(300);
  for (int i = 0; i < 300; ++i) {
    owner.push_back(lb.pick(kWorker, 0, key(i), {}));
  }
  lb.endpoint(1).state->setHealthy(false);
  for (int i = 0; i < 300; ++i) {
    const std::size_t now = lb.pick(kWorker, 0, key(i), {});
    CHECK(now != 1);
    if (owner[static_cast<std::size_t>(i)] != 1) {
      CHECK(now == owner[static_cast<std::size_t>(i)]);
    }
  }
  lb.endpoint(1).state->setHealthy(true);
  for (int i = 0; i < 300; ++i) {
    CHECK(lb.pick(kWorker, 0, key(i), {}) == owner[static_cast<std::size_t>(i)]);
  }
}

TEST_CASE("a request without the hash key is spread round-robin", "[lb]") {
  const ServiceBalancer lb(serviceWith(core::LbPolicy::kHash), endpoints({{"a:1", 1}, {"b:1", 1}}));
  std::size_t previous = kNoEndpoint;
  for (int i = 0; i < 10; ++i) {
    const std::size_t index = lb.pick(kWorker, 0, std::nullopt, {});
    CHECK(index != previous);
    previous = index;
  }
}

TEST_CASE("the hash key comes from a header, a cookie or the client address", "[lb]") {
  http::fields request;
  request.set("X-User", "  alice ");
  request.insert(http::field::cookie, "theme=dark; session=\"s-42\"");
  request.insert(http::field::cookie, "other=1");
  core::HashPolicy policy;
  SECTION("a header, trimmed") {
    policy = {core::HashPolicy::Source::kHeader, "x-user"};
    CHECK(requestKey(policy, request, "10.0.0.1") == std::optional<std::string_view>("alice"));
  }
  SECTION("a cookie, from any Cookie header, unquoted") {
    policy = {core::HashPolicy::Source::kCookie, "session"};
    CHECK(requestKey(policy, request, "10.0.0.1") == std::optional<std::string_view>("s-42"));
    policy.name = "other";
    CHECK(requestKey(policy, request, "10.0.0.1") == std::optional<std::string_view>("1"));
    policy.name = "sess";
    CHECK_FALSE(requestKey(policy, request, "10.0.0.1"));
  }
  SECTION("the client address") {
    policy = {core::HashPolicy::Source::kClientIp, ""};
    CHECK(requestKey(policy, request, "10.0.0.1") == std::optional<std::string_view>("10.0.0.1"));
  }
  SECTION("nothing when the request has no such header") {
    policy = {core::HashPolicy::Source::kHeader, "x-tenant"};
    CHECK_FALSE(requestKey(policy, request, "10.0.0.1"));
  }
}

TEST_CASE("a retry is offered an endpoint it has not tried while there is one", "[lb]") {
  const auto policy = GENERATE(core::LbPolicy::kRoundRobin, core::LbPolicy::kRandom,
                               core::LbPolicy::kLeastRequest, core::LbPolicy::kHash);
  const ServiceBalancer lb(serviceWith(policy), endpoints({{"a:1", 1}, {"b:1", 5}, {"c:1", 1}}));
  for (int i = 0; i < 50; ++i) {
    TriedEndpoints tried;
    const std::string k = key(i);
    const std::size_t first = lb.pick(kWorker, entropy(i), k, tried);
    tried.add(first);
    const std::size_t second = lb.pick(kWorker, entropy(i + 1000), k, tried);
    tried.add(second);
    const std::size_t third = lb.pick(kWorker, entropy(i + 2000), k, tried);
    tried.add(third);
    CHECK(first != second);
    CHECK(third != first);
    CHECK(third != second);
    CHECK(lb.pick(kWorker, entropy(i), k, tried) != kNoEndpoint);  // all tried: any again
  }
}

// Ejection is about time: these tests pass the balancer the time instead of waiting for it.
// Any steady-clock reading will do as the start; the epoch itself is not one (0 means "not
// ejected").
constexpr Clock::time_point kStart = Clock::time_point{} + std::chrono::hours(1);

TEST_CASE("no endpoint is picked when every one is down or ejected", "[lb][health]") {
  core::Service service = serviceWith(core::LbPolicy::kRoundRobin);
  service.outlier_detection = core::OutlierDetection{};
  service.outlier_detection->max_ejected_percent = 100;
  service.outlier_detection->consecutive_5xx = 1;
  const ServiceBalancer lb(service, endpoints({{"a:1", 1}, {"b:1", 1}}));
  lb.endpoint(0).state->setHealthy(false);
  CHECK(lb.pick(kWorker, 0, std::nullopt, {}, kStart) == 1);
  lb.report(kWorker, 1, Outcome::kServerError, kStart);
  CHECK(lb.ejected(1, kStart));
  CHECK(lb.pick(kWorker, 0, std::nullopt, {}, kStart) == kNoEndpoint);
}

TEST_CASE("outlier detection ejects after a streak, within max_ejected_percent, for a while",
          "[lb][health]") {
  core::Service service = serviceWith(core::LbPolicy::kRoundRobin);
  service.outlier_detection = core::OutlierDetection{};
  service.outlier_detection->consecutive_5xx = 3;
  service.outlier_detection->consecutive_connect_failures = 2;
  service.outlier_detection->ejection_time = 100ms;
  service.outlier_detection->max_ejected_percent = 50;
  const ServiceBalancer lb(service,
                           endpoints({{"a:1", 1}, {"b:1", 1}, {"c:1", 1}, {"d:1", 1}, {"e:1", 1}}));
  CHECK(lb.maxEjected() == 2);  // 50 % of 5, rounded down
  const auto report = [&](std::size_t i, Outcome outcome) {
    lb.report(kWorker, i, outcome, kStart);
  };
  const auto ejected = [&](std::size_t i, Clock::duration later = {}) {
    return lb.ejected(i, kStart + later);
  };

  report(0, Outcome::kServerError);
  report(0, Outcome::kServerError);
  report(0, Outcome::kSuccess);  // a success ends the streak
  report(0, Outcome::kServerError);
  CHECK_FALSE(ejected(0));
  report(0, Outcome::kServerError);
  report(0, Outcome::kServerError);
  CHECK(ejected(0));

  report(1, Outcome::kConnectFailure);
  report(1, Outcome::kConnectFailure);
  CHECK(ejected(1));
  for (int i = 0; i < 5; ++i) {
    report(2, Outcome::kServerError);
  }
  CHECK_FALSE(ejected(2));  // a third would pass the limit

  CHECK(ejected(0, 99ms));
  CHECK_FALSE(ejected(0, 100ms));  // ejection_time after the ejection
  CHECK_FALSE(ejected(1, 100ms));
}

TEST_CASE("an ejected endpoint is picked again once its ejection time is over", "[lb][health]") {
  core::Service service = serviceWith(core::LbPolicy::kRoundRobin);
  service.outlier_detection = core::OutlierDetection{};
  service.outlier_detection->consecutive_5xx = 1;
  service.outlier_detection->ejection_time = 30s;
  service.outlier_detection->max_ejected_percent = 50;
  const ServiceBalancer lb(service, endpoints({{"a:1", 1}, {"b:1", 1}}));
  lb.report(kWorker, 0, Outcome::kServerError, kStart);

  const auto picks = [&](Clock::time_point now) {
    std::map<std::size_t, int> seen;
    for (int i = 0; i < 4; ++i) {
      ++seen[lb.pick(kWorker, entropy(i), std::nullopt, {}, now)];
    }
    return seen;
  };
  CHECK(picks(kStart + 29s)[1] == 4);
  auto after = picks(kStart + 30s);
  CHECK(after[0] == 2);
  CHECK(after[1] == 2);
}

TEST_CASE("a single endpoint may still be ejected when the percentage rounds to zero",
          "[lb][health]") {
  core::Service service = serviceWith(core::LbPolicy::kRoundRobin);
  service.outlier_detection = core::OutlierDetection{};
  service.outlier_detection->max_ejected_percent = 10;
  const ServiceBalancer lb(service, endpoints({{"a:1", 1}, {"b:1", 1}}));
  CHECK(lb.maxEjected() == 1);
  service.outlier_detection->max_ejected_percent = 0;
  const ServiceBalancer off(service, endpoints({{"a:1", 1}, {"b:1", 1}}));
  CHECK(off.maxEjected() == 0);
}

}  // namespace gw::proxy::balancer
