#include "proxy/retry/tries.hpp"

#include "proxy/tls/client_context.hpp"

namespace gw::proxy::retry {

void beginTries(Exchange& exchange, const RetryPolicy& policy, Clock::duration route_timeout) {
  const auto& req = exchange.request();
  exchange.tries.reset();
  exchange.body_cut = false;
  exchange.tries.replayable = !exchange.body_streamed && replayableBody(req);
  exchange.idempotent = isIdempotent(req.method()) && !exchange.body_streamed;
  exchange.retries_left =
      policy.allowsMethod(req.method()) && exchange.tries.replayable ? policy.attempts : 0;
  exchange.stale_retry_used = false;
  exchange.tried.clear();
  exchange.deadline = exchange.started + route_timeout;
}

bool staleRetryAllowed(const Exchange& exchange, bool got_something, error_code ec) {
  return exchange.reused && exchange.idempotent && exchange.tries.replayable &&
         !exchange.stale_retry_used && !got_something && ec != beast::error::timeout;
}

bool failureRetryable(const Exchange& exchange, const RetryPolicy& policy, error_code ec,
                      bool connecting) {
  if (ec == beast::error::timeout) {
    switch (exchange.tries.armed) {
      case TryState::Deadline::kRoute:
        return false;  // the whole request's time is up
      case TryState::Deadline::kTry:
        return true;
      case TryState::Deadline::kConnect:
        return policy.on_connect_failure;
    }
    return false;
  }
  return connecting ? policy.on_connect_failure : policy.on_reset;
}

bool tryLeft(const Exchange& exchange, Clock::time_point now) {
  return exchange.retries_left > 0 && now < exchange.deadline;
}

Reason failureReason(const Exchange& exchange, error_code ec, bool connecting) {
  if (ec == beast::error::timeout) {
    return exchange.tries.armed == TryState::Deadline::kConnect ? Reason::kUpstreamConnect
                                                                : Reason::kUpstreamTimeout;
  }
  if (connecting && ec == tls::handshakeError()) {
    return Reason::kUpstreamTls;
  }
  return connecting ? Reason::kUpstreamConnect : Reason::kUpstreamReset;
}

}  // namespace gw::proxy::retry
