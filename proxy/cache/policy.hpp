#pragma once
// What RFC 9111 lets a shared cache do with an answer, as pure decisions over the facts of a
// request and a response (no sockets, no store): whether it may be stored (section 3, with
// gw's stricter rules: never an answer that sets a cookie, never `Vary: *`), how long it is
// fresh (4.2.1; the route's default TTL stands in for the heuristic), how old it is (4.2.3),
// and whether a stored answer may serve a request as it is, stale while it is revalidated,
// or only after revalidation (4.2, 4.3, and RFC 5861's stale-while-revalidate and
// stale-if-error).

#include <optional>

#include "proxy/cache/cache_control.hpp"

namespace gw::proxy::cache {

struct RequestFacts {
  bool get = true;             // GET (or HEAD, answered from a stored GET)
  bool authorization = false;  // the request carried Authorization
  CacheControl cc;
};

struct ResponseFacts {
  unsigned status = 200;
  CacheControl cc;
  std::optional<Seconds> date;
  std::optional<Seconds> expires;
  bool expires_invalid = false;  // an Expires that is not a date: already expired
  std::optional<Seconds> age;    // the Age field
  bool set_cookie = false;
  bool vary_star = false;
  bool validator = false;  // an ETag or a Last-Modified to revalidate with
};

enum class NotStored {
  kStored,         // it may be stored
  kMethod,         // not a GET
  kStatus,         // a status a cache may not store without explicit freshness, or 206
  kNoStore,        // no-store in the request or the response
  kPrivate,        // private: for one user's cache only
  kAuthorization,  // the request had credentials and the response did not allow sharing
  kSetCookie,      // the answer sets a cookie: one user's (gw never stores it)
  kVaryStar,       // Vary: * : no request can match it
  kNoFreshness,    // nothing says how long it is fresh, and the route gives no default
};
const char* toString(NotStored why);  // "method", "status", ... for Cache-Status detail

struct Storability {
  NotStored why = NotStored::kStored;
  Seconds lifetime = 0;  // freshness lifetime when stored
};

// `default_ttl`: the route's freshness for answers that say nothing of it (0: none).
Storability storability(const RequestFacts& request, const ResponseFacts& response,
                        Seconds default_ttl);

// Freshness lifetime (4.2.1): s-maxage, then max-age, then Expires - Date, then the default
// for a status that may be cached heuristically. Nothing when no rule gives one.
std::optional<Seconds> freshnessLifetime(const ResponseFacts& response, Seconds default_ttl);

// Age (4.2.3) of a stored answer: `request_time` when the request that fetched it went out,
// `response_time` when its answer came, `now`: Unix seconds.
Seconds currentAge(const ResponseFacts& response, Seconds request_time, Seconds response_time,
                   Seconds now);

enum class Use {
  kFresh,                 // serve it as it is
  kStale,                 // serve it stale: the request allowed it (max-stale)
  kStaleWhileRevalidate,  // serve it stale and revalidate it in the background
  kRevalidate,            // ask the origin first (conditionally)
};

struct Reuse {
  Use use = Use::kRevalidate;
  // When the revalidation fails (an error or a 5xx), the stale answer may serve instead.
  bool stale_if_error = false;
};

// How a stored answer (`response`, its `lifetime` and current `age`) may serve `request`.
Reuse reuse(const RequestFacts& request, const ResponseFacts& response, Seconds lifetime,
            Seconds age);

}  // namespace gw::proxy::cache
