#pragma once
// Answers the gateway makes itself. Each carries a reason code in `x-gw-error` (and in the
// access log) and a short text body; none ever names an upstream address.

#include <string_view>

namespace gw::proxy {

enum class Reason {
  kNone,               // the upstream answered (or a redirect)
  kNoRoute,            // 404: no route of the listener's gateway matches
  kNoHealthyUpstream,  // 503: the chosen service has no endpoints
  kUpstreamConnect,    // 502: connecting to the upstream failed
  kUpstreamReset,      // 502: the upstream closed, reset or sent garbage
  kUpstreamTimeout,    // 504: the route's timeout passed
  kBadRequest,         // 400: the request could not be parsed
  kHeaderTooLarge,     // 431
  kBodyTooLarge,       // 413
  kUriTooLong,         // 414: the request-target is over the gateway's limit
  kRequestTimeout,     // 408: the request head did not arrive within header_read
  kHttpsRedirect,      // 301 or 308: the gateway sends its http listeners' requests to https
  kUpstreamTls,        // 502: the TLS handshake with the upstream failed (its certificate...)
  // 502: the upstream failed, and the route's retry budget had no retry left for it.
  kRetryBudgetExhausted,
  // Access control (the route's or gateway's filters).
  kAuthMissing,  // 401: no credential of the methods the route takes
  kAuthInvalid,  // 401: a credential that proves nothing (unknown key, wrong password, ...)
  kAuthExpired,  // 401: a token past its exp (or before its nbf)
  kForbidden,    // 403: authenticated, but the route's authorization refuses
  kIpDenied,     // 403: the client address is on a deny list or off an allow list
  kCorsRefused,  // 403: a CORS preflight from an origin the route does not allow
  // Traffic limits (counted with the access verdicts).
  kRateLimited,    // 429: a rate limit of the route or gateway has no room for the request
  kQuotaExceeded,  // 429: the consumer's plan quota for this day or month is used up
  // 504: the request said only-if-cached and the route's cache has no answer it may use.
  kCacheMiss,
  // 502: a required backend of an aggregate route failed, or every backend did.
  kAggregateFailed,
};

// Whether `reason` is an access-control or limit refusal (counted per route and reason).
constexpr bool isAccessRefusal(Reason reason) {
  return reason >= Reason::kAuthMissing && reason <= Reason::kQuotaExceeded;
}

struct ReasonInfo {
  unsigned status;
  std::string_view code;  // the x-gw-error value
  std::string_view body;
};

const ReasonInfo& describe(Reason reason);

}  // namespace gw::proxy
