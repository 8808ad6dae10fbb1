// The cache parts of the document (cache.hpp): a route's cache must have something to cache,
// and the store's bounds must hold an answer.

#include <algorithm>

#include "core/config/validate_context.hpp"

namespace gw::core {
namespace {

bool servesGet(const Route& route) {
  return route.methods.empty() ||
         std::any_of(route.methods.begin(), route.methods.end(),
                     [](const std::string& m) { return m == "GET" || m == "HEAD"; });
}

void nonNegative(Checker& check, const std::string& path, Millis value) {
  if (value.count() < 0) {
    check.add(path, "must not be negative (got " + formatDuration(value) + ")");
  }
}

}  // namespace

void checkRouteCache(const Route& route, const std::string& path, Checker& check) {
  if (!route.cache) {
    return;
  }
  const std::string cpath = path + ".cache";
  if (!servesGet(route)) {
    std::string methods;
    for (const std::string& m : route.methods) {
      methods += (methods.empty() ? "" : ", ") + m;
    }
    check.add(cpath, "the route takes only " + methods +
                         ": a cache serves GET and HEAD, so it would never answer");
  }
  if (route.redirect || route.direct_response) {
    check.add(cpath, "the route answers itself (" +
                         std::string(route.redirect ? "redirect" : "directResponse") +
                         "): there is no upstream answer to cache");
  }
  nonNegative(check, cpath + ".maxAge", route.cache->max_age);
  nonNegative(check, cpath + ".staleWhileRevalidate", route.cache->stale_while_revalidate);
  nonNegative(check, cpath + ".staleIfError", route.cache->stale_if_error);
}

void checkCompress(const std::optional<Compress>& compress, const std::string& path,
                   Checker& check) {
  if (!compress) {
    return;
  }
  const std::string cpath = path + ".compress";
  if (compress->encodings.empty()) {
    check.add(cpath + ".encodings", "must name at least one of zstd, br, gzip");
  }
  for (std::size_t i = 0; i < compress->encodings.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (compress->encodings[j] == compress->encodings[i]) {
        check.add(cpath + ".encodings[" + std::to_string(i) + "]",
                  std::string("duplicate encoding ") + toString(compress->encodings[i]));
      }
    }
  }
  for (std::size_t t = 0; t < compress->types.size(); ++t) {
    const std::string& type = compress->types[t];
    const auto slash = type.find('/');
    if (slash == std::string::npos || slash == 0 || slash + 1 == type.size() ||
        type.find_first_of(" ;,") != std::string::npos) {
      check.add(cpath + ".types[" + std::to_string(t) + "]",
                "must be a media type such as application/json, text/* or "
                "application/*+json (got \"" +
                    type + "\")");
    }
  }
}

void checkCacheSettings(const CacheSettings& cache, Checker& check) {
  if (cache.max_size <= 0) {
    check.add("proxy.cache.maxSize",
              "must be positive (got " + std::to_string(cache.max_size) + ")");
  }
  if (cache.max_object <= 0) {
    check.add("proxy.cache.maxObject",
              "must be positive (got " + std::to_string(cache.max_object) + ")");
  } else if (cache.max_object > cache.max_size) {
    check.add("proxy.cache.maxObject", "must not exceed maxSize (" +
                                           formatByteSize(cache.max_size) + "; got " +
                                           formatByteSize(cache.max_object) + ")");
  }
}

}  // namespace gw::core
