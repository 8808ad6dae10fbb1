#include "proxy/cache/policy.hpp"

#include <algorithm>

namespace gw::proxy::cache {
namespace {

// RFC 9110 section 15.1: statuses a cache may store with heuristic freshness.
bool heuristicallyCacheable(unsigned status) {
  switch (status) {
    case 200:
    case 203:
    case 204:
    case 300:
    case 301:
    case 308:
    case 404:
    case 405:
    case 410:
    case 414:
    case 501:
      return true;
    default:
      return false;
  }
}

bool explicitFreshness(const ResponseFacts& r) {
  return r.cc.s_maxage || r.cc.max_age || r.expires || r.expires_invalid;
}

}  // namespace

const char* toString(NotStored why) {
  switch (why) {
    case NotStored::kStored:
      return "stored";
    case NotStored::kMethod:
      return "method";
    case NotStored::kStatus:
      return "status";
    case NotStored::kNoStore:
      return "no-store";
    case NotStored::kPrivate:
      return "private";
    case NotStored::kAuthorization:
      return "authorization";
    case NotStored::kSetCookie:
      return "set-cookie";
    case NotStored::kVaryStar:
      return "vary";
    case NotStored::kNoFreshness:
      return "no-freshness";
  }
  return "stored";
}

std::optional<Seconds> freshnessLifetime(const ResponseFacts& r, Seconds default_ttl) {
  if (r.cc.s_maxage) {
    return *r.cc.s_maxage;
  }
  if (r.cc.max_age) {
    return *r.cc.max_age;
  }
  if (r.expires_invalid) {
    return 0;
  }
  if (r.expires) {
    // Without a Date, the time the answer came stands in for it (the caller's date).
    return std::max<Seconds>(0, *r.expires - r.date.value_or(*r.expires));
  }
  if (default_ttl > 0 && (heuristicallyCacheable(r.status) || r.cc.is_public)) {
    return default_ttl;
  }
  return std::nullopt;
}

// Why `response` may not be stored for `request`, before freshness is asked.
NotStored refusal(const RequestFacts& request, const ResponseFacts& response) {
  const bool credentials_shared =
      response.cc.is_public || response.cc.s_maxage || response.cc.must_revalidate;
  const bool status_allowed = response.status >= 200 && response.status != 206 &&
                              (explicitFreshness(response) || response.cc.is_public ||
                               heuristicallyCacheable(response.status));
  if (!request.get) {
    return NotStored::kMethod;
  }
  if (request.cc.no_store || response.cc.no_store) {
    return NotStored::kNoStore;
  }
  if (response.cc.is_private) {
    return NotStored::kPrivate;
  }
  if (request.authorization && !credentials_shared) {
    return NotStored::kAuthorization;  // RFC 9111 section 3.5
  }
  if (response.set_cookie) {
    return NotStored::kSetCookie;
  }
  if (response.vary_star) {
    return NotStored::kVaryStar;
  }
  return status_allowed ? NotStored::kStored : NotStored::kStatus;
}

Storability storability(const RequestFacts& request, const ResponseFacts& response,
                        Seconds default_ttl) {
  Storability out;
  out.why = refusal(request, response);
  if (out.why != NotStored::kStored) {
    return out;
  }
  const auto lifetime = freshnessLifetime(response, default_ttl);
  // Stale at once is worth keeping only with a validator to revalidate it.
  if (!lifetime || (*lifetime == 0 && !response.validator)) {
    out.why = NotStored::kNoFreshness;
    return out;
  }
  out.lifetime = *lifetime;
  return out;
}

Seconds currentAge(const ResponseFacts& r, Seconds request_time, Seconds response_time,
                   Seconds now) {
  const Seconds date = r.date.value_or(response_time);
  const Seconds apparent_age = std::max<Seconds>(0, response_time - date);
  const Seconds response_delay = std::max<Seconds>(0, response_time - request_time);
  const Seconds corrected_age_value = r.age.value_or(0) + response_delay;
  const Seconds corrected_initial_age = std::max(apparent_age, corrected_age_value);
  const Seconds resident_time = std::max<Seconds>(0, now - response_time);
  return corrected_initial_age + resident_time;
}

Reuse reuse(const RequestFacts& request, const ResponseFacts& response, Seconds lifetime,
            Seconds age) {
  Reuse out;
  const Seconds staleness = age - lifetime;  // > 0: stale by that much
  // Strict: no stale answer at all, not even when the origin fails (RFC 9111 4.2.4).
  const bool strict =
      response.cc.must_revalidate || response.cc.proxy_revalidate || response.cc.s_maxage;
  const auto within = [&](const std::optional<Seconds>& window) {
    return window && staleness <= *window;
  };
  out.stale_if_error = !strict && staleness > 0 &&
                       (within(response.cc.stale_if_error) || within(request.cc.stale_if_error));
  if (request.cc.no_cache || response.cc.no_cache) {
    return out;
  }
  if (request.cc.max_age && age > *request.cc.max_age) {
    return out;
  }
  if (staleness < 0) {
    const Seconds fresh_for = -staleness;
    if (request.cc.min_fresh && fresh_for < *request.cc.min_fresh) {
      return out;
    }
    out.use = Use::kFresh;
    return out;
  }
  if (strict) {
    return out;
  }
  if (request.cc.max_stale_any || within(request.cc.max_stale)) {
    out.use = Use::kStale;
  } else if (within(response.cc.stale_while_revalidate)) {
    out.use = Use::kStaleWhileRevalidate;
  }
  return out;
}

}  // namespace gw::proxy::cache
