#pragma once
// The response-cache flags of `gw route add|update`: --cache turns the route's cache on
// (--cache=false off); --cache-ttl, --cache-stale-while-revalidate and
// --cache-stale-if-error set what answers that say nothing get, and turn the cache on.

#include <CLI/CLI.hpp>
#include <set>
#include <string>

#include "core/config/model.hpp"
#include "core/result.hpp"

namespace gw::cli {

struct CacheFlags {
  bool on = false;
  std::string ttl;
  std::string stale_while_revalidate;
  std::string stale_if_error;
};

void addCacheFlags(CLI::App* sub, CacheFlags& o);

core::Status applyCacheFlags(core::Route& route, const CacheFlags& o,
                             const std::set<std::string>& given);

}  // namespace gw::cli
