#include "cli/cache_flags.hpp"

#include "cli/flags.hpp"

namespace gw::cli {

void addCacheFlags(CLI::App* sub, CacheFlags& o) {
  sub->add_flag("--cache", o.on,
                "Answer GET and HEAD from the gateway's cache as the answers' Cache-Control "
                "allows (--cache=false turns it off)");
  sub->add_option("--cache-ttl", o.ttl,
                  "Keep answers that say nothing of their freshness this long, e.g. 5m "
                  "(turns --cache on)")
      ->type_name("DURATION");
  sub->add_option("--cache-stale-while-revalidate", o.stale_while_revalidate,
                  "Serve a stale answer this long while it is revalidated, unless the answer "
                  "says otherwise (turns --cache on)")
      ->type_name("DURATION");
  sub->add_option("--cache-stale-if-error", o.stale_if_error,
                  "Serve a stale answer this long when the upstream fails, unless the answer "
                  "says otherwise (turns --cache on)")
      ->type_name("DURATION");
}

core::Status applyCacheFlags(core::Route& route, const CacheFlags& o,
                             const std::set<std::string>& given) {
  if (given.contains("cache")) {
    if (!o.on) {
      route.cache.reset();
    } else if (!route.cache) {
      route.cache = core::RouteCache{};
    }
  }
  const struct {
    const char* flag;
    const std::string& text;
    core::Millis core::RouteCache::*field;
  } durations[] = {
      {"cache-ttl", o.ttl, &core::RouteCache::max_age},
      {"cache-stale-while-revalidate", o.stale_while_revalidate,
       &core::RouteCache::stale_while_revalidate},
      {"cache-stale-if-error", o.stale_if_error, &core::RouteCache::stale_if_error},
  };
  for (const auto& d : durations) {
    if (!given.contains(d.flag)) {
      continue;
    }
    auto value = parseDurationFlag(std::string("--") + d.flag, d.text);
    if (!value) {
      return std::move(value).error();
    }
    if (!route.cache) {
      route.cache = core::RouteCache{};
    }
    (*route.cache).*d.field = *value;
  }
  return core::Ok{};
}

}  // namespace gw::cli
