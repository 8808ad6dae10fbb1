#pragma once
// The retry decisions of one exchange, apart from the connection that carries them out: plain
// functions of the Exchange and the route's policy, so they are unit-tested without sockets.
// The forwarder asks them after each failed step (forward/forwarder.cpp) and does what they say.

#include "proxy/exchange/exchange.hpp"
#include "proxy/http/errors.hpp"
#include "proxy/net.hpp"
#include "proxy/retry/policy.hpp"

namespace gw::proxy::retry {

// Readies `exchange` for its first try under `policy`: whether the body can be sent again
// (a streamed one cannot), whether the method may be, how many retries are allowed, and the
// route's deadline counted from the request's start.
void beginTries(Exchange& exchange, const RetryPolicy& policy, Clock::duration route_timeout);

// A pooled connection may have been closed by the upstream while it was idle: an idempotent
// request that got nothing back goes once more, on a fresh connection to the same endpoint.
// That is not a retry of the policy: the request never reached an upstream.
bool staleRetryAllowed(const Exchange& exchange, bool got_something, error_code ec);

// Whether the policy allows another try after `ec` (a timeout reports which deadline ran out,
// exchange.tries.armed): the per-try timeout always, a connect timeout or failure with
// on_connect_failure, a reset with on_reset, the route's own timeout never.
bool failureRetryable(const Exchange& exchange, const RetryPolicy& policy, error_code ec,
                      bool connecting);

// A retry is left and the route's time is not up (the budget is the caller's to spend).
bool tryLeft(const Exchange& exchange, Clock::time_point now);

// What a failed upstream step is answered with: 502 upstream_connect, 502 upstream_tls (a
// failed TLS handshake: connecting, as far as retries are concerned), 502 upstream_reset or
// 504 upstream_timeout.
Reason failureReason(const Exchange& exchange, error_code ec, bool connecting);

}  // namespace gw::proxy::retry
