#pragma once
// How the response cache took part in an exchange, for stats and the access log.

namespace gw::proxy::cache {

enum class Result {
  kNone,         // the route does not cache
  kHit,          // answered from the store, fresh (or stale as the request allowed)
  kStale,        // answered stale: while revalidating, or because the upstream failed
  kRevalidated,  // a stale answer the upstream confirmed with a 304
  kMiss,         // went to the upstream (stored or not)
  kBypass,       // not for the cache: another method, no-store in the request, a HEAD miss
};
inline constexpr int kResults = 6;

// "hit", "stale", "revalidated", "miss", "bypass" ("" for kNone).
const char* toString(Result result);

}  // namespace gw::proxy::cache
