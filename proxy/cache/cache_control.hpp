#pragma once
// Cache-Control (RFC 9111 section 5.2) and HTTP dates (RFC 9110 section 5.6.7), parsed for
// the response cache: what a request or a response says about storing, freshness and
// revalidation. Unknown directives are ignored, as the RFC asks; a malformed delta-seconds
// makes its directive count as absent, except that a malformed max-age on a response counts
// as stale (section 4.2.1: treat it as 0), the safe reading.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

namespace gw::proxy::cache {

using Seconds = std::int64_t;

struct CacheControl {
  bool no_store = false;
  bool no_cache = false;    // with or without field names: revalidate before every use
  bool is_private = false;  // with or without field names: a shared cache stores nothing
  bool is_public = false;
  bool must_revalidate = false;
  bool proxy_revalidate = false;
  bool no_transform = false;
  bool only_if_cached = false;
  bool must_understand = false;
  bool immutable = false;
  std::optional<Seconds> max_age;
  std::optional<Seconds> s_maxage;
  std::optional<Seconds> stale_while_revalidate;
  std::optional<Seconds> stale_if_error;
  std::optional<Seconds> min_fresh;
  // max-stale without a value accepts any staleness.
  std::optional<Seconds> max_stale;
  bool max_stale_any = false;
};

// Adds the directives of one field value to `into` (several Cache-Control fields, or one with
// commas, combine).
void parseCacheControl(std::string_view value, CacheControl& into);

// Seconds since the Unix epoch of an HTTP-date: IMF-fixdate ("Sun, 06 Nov 1994 08:49:37
// GMT"), or the obsolete RFC 850 and asctime forms a recipient must accept. Nothing when it
// is none of them.
std::optional<Seconds> parseHttpDate(std::string_view text);
// IMF-fixdate of `unix_s`, into `out` (29 characters).
void formatHttpDate(Seconds unix_s, char (&out)[30]);

}  // namespace gw::proxy::cache
