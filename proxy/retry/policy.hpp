#pragma once
// A route's retry policy, compiled once per snapshot, and the request-side rules it relies
// on: which methods may be sent twice and which bodies can be.
//
// Conditions (core::RetryPolicy::on): "connect-failure" (refused, unreachable, or the
// service's connect timeout), "reset" (closed or garbage before a full response header),
// "timeout" (the per-try timeout), "5xx" (any 5xx answer), or a status code ("503").
// No condition at all means connect-failure: a request that never reached an upstream is
// always safe to send elsewhere. A per-try timeout is retried whenever attempts remain, with
// or without "timeout": that is what it is for. The route's timeout is never retried.

#include <algorithm>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/verb.hpp>
#include <cstddef>
#include <vector>

#include "core/config/model.hpp"
#include "proxy/net.hpp"

namespace gw::proxy {

// A body is kept for a retry (or a mirror copy) only up to this size: a bigger one is sent
// once, so it can stream without being held.
inline constexpr std::size_t kMaxReplayableBody = 64 * 1024;

struct RetryPolicy {
  int attempts = 0;  // retries after the first try
  bool on_connect_failure = false;
  bool on_reset = false;
  bool on_5xx = false;
  std::vector<unsigned> statuses;
  Clock::duration per_try_timeout = Clock::duration::zero();  // zero: none
  bool non_idempotent = false;
  int budget_percent = 20;

  static RetryPolicy build(const core::RetryPolicy& policy);

  bool retriesStatus(unsigned status) const {
    if (on_5xx && status / 100 == 5) {
      return true;
    }
    return std::find(statuses.begin(), statuses.end(), status) != statuses.end();
  }
  // Whether a request with this method may be tried more than once.
  bool allowsMethod(http::verb method) const;
};

// GET HEAD OPTIONS PUT DELETE TRACE: sending them twice has the effect of sending them once.
bool isIdempotent(http::verb method);

// The one decision on whether a request's body can be sent again (a retry, a mirror copy):
// it must be held whole by the gateway and small. Whoever makes bodies stream changes this
// function only.
bool replayableBody(const http::request<http::string_body>& req);

}  // namespace gw::proxy
