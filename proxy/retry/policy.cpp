#include "proxy/retry/policy.hpp"

#include <charconv>

namespace gw::proxy {

RetryPolicy RetryPolicy::build(const core::RetryPolicy& policy) {
  RetryPolicy retry;
  retry.attempts = policy.attempts;
  retry.non_idempotent = policy.non_idempotent;
  retry.budget_percent = policy.budget_percent;
  if (policy.per_try_timeout) {
    retry.per_try_timeout = *policy.per_try_timeout;
  }
  if (policy.on.empty()) {
    retry.on_connect_failure = true;
  }
  for (const std::string& condition : policy.on) {
    unsigned status = 0;
    const auto [end, ec] =
        std::from_chars(condition.data(), condition.data() + condition.size(), status);
    if (ec == std::errc{} && end == condition.data() + condition.size()) {
      retry.statuses.push_back(status);
    } else if (condition == "connect-failure") {
      retry.on_connect_failure = true;
    } else if (condition == "reset") {
      retry.on_reset = true;
    } else if (condition == "5xx") {
      retry.on_5xx = true;
    }
    // "timeout" needs no flag: a per-try timeout is always retried while attempts remain.
  }
  return retry;
}

bool RetryPolicy::allowsMethod(http::verb method) const {
  return non_idempotent || isIdempotent(method);
}

bool isIdempotent(http::verb method) {
  switch (method) {
    case http::verb::get:
    case http::verb::head:
    case http::verb::options:
    case http::verb::put:
    case http::verb::delete_:
    case http::verb::trace:
      return true;
    default:
      return false;
  }
}

bool replayableBody(const http::request<http::string_body>& req) {
  return req.body().size() <= kMaxReplayableBody;
}

}  // namespace gw::proxy
