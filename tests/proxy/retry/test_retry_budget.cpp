#include <catch2/catch.hpp>

#include "proxy/retry/budget.hpp"
#include "proxy/retry/policy.hpp"

namespace gw::test {

TEST_CASE("a retry budget allows its floor, then budget_percent of the requests", "[retry]") {
  proxy::RetryBudget budget(20);
  int allowed = 0;
  for (int i = 0; i < 3 + 5; ++i) {
    allowed += budget.trySpend(0) ? 1 : 0;
  }
  CHECK(allowed == proxy::RetryBudget::kFloor);  // nothing earned yet: the floor only
  for (int request = 0; request < 100; ++request) {
    budget.onRequest(0);
    allowed += budget.trySpend(0) ? 1 : 0;
  }
  CHECK(allowed == 3 + 20);
  CHECK(budget.trySpend(1));  // another worker has a bucket of its own
}

TEST_CASE("a quiet route banks at most the floor plus 100 requests' worth of retries", "[retry]") {
  proxy::RetryBudget budget(10);
  for (int request = 0; request < 10'000; ++request) {
    budget.onRequest(0);
  }
  int allowed = 0;
  while (allowed < 1000 && budget.trySpend(0)) {
    ++allowed;
  }
  CHECK(allowed == 3 + 10);
}

TEST_CASE("retry conditions are read from the policy", "[retry]") {
  core::RetryPolicy policy;
  policy.attempts = 2;
  SECTION("none given: connect failures only") {
    const auto retry = proxy::RetryPolicy::build(policy);
    CHECK(retry.on_connect_failure);
    CHECK_FALSE(retry.on_reset);
    CHECK_FALSE(retry.retriesStatus(503));
  }
  SECTION("5xx and listed codes") {
    policy.on = {"5xx", "429", "reset"};
    const auto retry = proxy::RetryPolicy::build(policy);
    CHECK(retry.retriesStatus(500));
    CHECK(retry.retriesStatus(503));
    CHECK(retry.retriesStatus(429));
    CHECK_FALSE(retry.retriesStatus(404));
    CHECK(retry.on_reset);
    CHECK_FALSE(retry.on_connect_failure);
  }
  SECTION("only idempotent methods unless non_idempotent") {
    CHECK(proxy::RetryPolicy::build(policy).allowsMethod(boost::beast::http::verb::put));
    CHECK_FALSE(proxy::RetryPolicy::build(policy).allowsMethod(boost::beast::http::verb::post));
    policy.non_idempotent = true;
    CHECK(proxy::RetryPolicy::build(policy).allowsMethod(boost::beast::http::verb::post));
  }
}

}  // namespace gw::test
