#pragma once
// Response caching in the document: a route's `cache` (RFC 9111, as a shared cache) and the
// proxy's `cache` store bounds. Part of the model (model.hpp includes it).

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace gw::core {

// A route's cache. Only GET (and HEAD, answered from a stored GET) is cached; what an answer
// says of itself (Cache-Control, Expires) wins over these defaults.
struct RouteCache {
  // Freshness for an answer that says nothing of it (0: such answers are not stored).
  std::chrono::milliseconds max_age{0};
  // How long a stale answer may still serve while it is revalidated in the background, and
  // when the origin fails, unless the answer says otherwise (RFC 5861).
  std::chrono::milliseconds stale_while_revalidate{0};
  std::chrono::milliseconds stale_if_error{0};
  bool operator==(const RouteCache&) const = default;
};

// The one memory store of a gw, shared by every route that caches.
struct CacheSettings {
  std::int64_t max_size = 256LL << 20;  // bytes, least recently used evicted beyond
  std::int64_t max_object = 1LL << 20;  // an answer's body above this is not stored
  bool operator==(const CacheSettings&) const = default;
};

// "256MiB", "1MiB", "512KiB", "2GiB", "1000" (bytes), also kB, MB, GB (powers of 1000).
std::optional<std::int64_t> parseByteSize(std::string_view text);
// The shortest exact form: "256MiB", "1500" ...
std::string formatByteSize(std::int64_t bytes);

}  // namespace gw::core
