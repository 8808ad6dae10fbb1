#include <catch2/catch.hpp>
#include <string>

#include "proxy/retry/tries.hpp"
#include "tests/proxy/exchange/exchange_fixture.hpp"

namespace gw::test {
namespace {

using proxy::Exchange;
using proxy::Reason;
using proxy::RetryPolicy;
using proxy::TryState;
using Clock = std::chrono::steady_clock;
namespace retry = proxy::retry;
namespace beast = boost::beast;

RetryPolicy policyOf(int attempts, std::vector<std::string> on) {
  core::RetryPolicy spec;
  spec.attempts = attempts;
  spec.on = std::move(on);
  return RetryPolicy::build(spec);
}

}  // namespace

TEST_CASE("a retry needs a replayable body and a method the policy allows", "[retry][tries]") {
  const RetryPolicy policy = policyOf(2, {"connect-failure", "reset"});
  Exchange exchange;

  SECTION("GET: two retries") {
    parseInto(exchange, "GET / HTTP/1.1\r\nHost: a\r\n\r\n");
    retry::beginTries(exchange, policy, std::chrono::seconds(15));
    CHECK(exchange.retries_left == 2);
    CHECK(exchange.idempotent);
    CHECK(exchange.tries.replayable);
  }
  SECTION("POST without nonIdempotent: none") {
    parseInto(exchange, "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nhi");
    retry::beginTries(exchange, policy, std::chrono::seconds(15));
    CHECK(exchange.retries_left == 0);
    CHECK_FALSE(exchange.idempotent);
  }
  SECTION("a streamed body: none, and no stale retry either") {
    parseInto(exchange, "PUT / HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nhi");
    exchange.body_streamed = true;
    retry::beginTries(exchange, policy, std::chrono::seconds(15));
    CHECK(exchange.retries_left == 0);
    CHECK_FALSE(exchange.tries.replayable);
    exchange.reused = true;
    CHECK_FALSE(retry::staleRetryAllowed(exchange, false, boost::asio::error::connection_reset));
  }
}

TEST_CASE("which failures the policy retries, and what the client is told otherwise",
          "[retry][tries]") {
  Exchange exchange;
  parseInto(exchange, "GET / HTTP/1.1\r\nHost: a\r\n\r\n");
  const RetryPolicy connect_only = policyOf(1, {"connect-failure"});
  retry::beginTries(exchange, connect_only, std::chrono::seconds(15));
  const boost::system::error_code refused = boost::asio::error::connection_refused;
  const boost::system::error_code reset = boost::asio::error::connection_reset;
  const boost::system::error_code timeout = beast::error::timeout;

  CHECK(retry::failureRetryable(exchange, connect_only, refused, true));
  CHECK_FALSE(retry::failureRetryable(exchange, connect_only, reset, false));
  CHECK(retry::failureReason(exchange, refused, true) == Reason::kUpstreamConnect);
  CHECK(retry::failureReason(exchange, reset, false) == Reason::kUpstreamReset);

  exchange.tries.armed = TryState::Deadline::kTry;  // the per-try timeout ran out
  CHECK(retry::failureRetryable(exchange, connect_only, timeout, false));
  CHECK(retry::failureReason(exchange, timeout, false) == Reason::kUpstreamTimeout);
  exchange.tries.armed = TryState::Deadline::kConnect;
  CHECK(retry::failureRetryable(exchange, connect_only, timeout, true));
  CHECK(retry::failureReason(exchange, timeout, true) == Reason::kUpstreamConnect);
  exchange.tries.armed = TryState::Deadline::kRoute;  // the whole request's time is up
  CHECK_FALSE(retry::failureRetryable(exchange, connect_only, timeout, false));
}

TEST_CASE("no try is left once they are spent or the route's time is up", "[retry][tries]") {
  Exchange exchange;
  parseInto(exchange, "GET / HTTP/1.1\r\nHost: a\r\n\r\n");
  exchange.started = Clock::now();
  retry::beginTries(exchange, policyOf(1, {"reset"}), std::chrono::seconds(1));
  CHECK(retry::tryLeft(exchange, exchange.started));
  CHECK_FALSE(retry::tryLeft(exchange, exchange.started + std::chrono::seconds(1)));
  exchange.retries_left = 0;
  CHECK_FALSE(retry::tryLeft(exchange, exchange.started));
}

TEST_CASE("a stale pooled connection is retried once, only when nothing came back",
          "[retry][tries]") {
  Exchange exchange;
  parseInto(exchange, "GET / HTTP/1.1\r\nHost: a\r\n\r\n");
  retry::beginTries(exchange, policyOf(0, {}), std::chrono::seconds(15));
  const boost::system::error_code reset = boost::asio::error::connection_reset;
  CHECK_FALSE(retry::staleRetryAllowed(exchange, false, reset));  // a fresh connection
  exchange.reused = true;
  CHECK(retry::staleRetryAllowed(exchange, false, reset));
  CHECK_FALSE(retry::staleRetryAllowed(exchange, true, reset));  // part of an answer came
  CHECK_FALSE(retry::staleRetryAllowed(exchange, false, beast::error::timeout));
  exchange.stale_retry_used = true;
  CHECK_FALSE(retry::staleRetryAllowed(exchange, false, reset));
}

}  // namespace gw::test
