#include "proxy/http/errors.hpp"

#include <array>

namespace gw::proxy {

const ReasonInfo& describe(Reason reason) {
  static constexpr std::array<ReasonInfo, 24> kReasons{{
      {200, "", ""},
      {404, "no_route", "no route for this request\n"},
      {503, "no_healthy_upstream", "no healthy upstream\n"},
      {502, "upstream_connect", "upstream unavailable\n"},
      {502, "upstream_reset", "upstream closed the connection\n"},
      {504, "upstream_timeout", "upstream timed out\n"},
      {400, "bad_request", "bad request\n"},
      {431, "header_too_large", "request header too large\n"},
      {413, "body_too_large", "request body too large\n"},
      {414, "uri_too_long", "request URI too long\n"},
      {408, "request_timeout", "request head not received in time\n"},
      {301, "https_redirect", ""},  // not an error: named in the access log only
      {502, "upstream_tls", "upstream TLS handshake failed\n"},
      {502, "retry_budget_exhausted", "upstream unavailable (retry budget exhausted)\n"},
      {401, "auth_missing", "authentication required\n"},
      {401, "auth_invalid", "invalid credentials\n"},
      {401, "auth_expired", "credentials expired\n"},
      {403, "forbidden", "forbidden\n"},
      {403, "ip_denied", "forbidden\n"},
      {403, "cors_refused", "CORS request not allowed\n"},
      {429, "rate_limited", "too many requests\n"},
      {429, "quota_exceeded", "quota exceeded\n"},
      {504, "cache_miss", "not in the cache (only-if-cached)\n"},
      {502, "aggregate_failed", "a required backend of the aggregate failed\n"},
  }};
  return kReasons[static_cast<std::size_t>(reason)];
}

}  // namespace gw::proxy
