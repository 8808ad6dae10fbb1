#pragma once
// The flags of `gw route add` and `gw route update`, and how they change a Route.

#include <CLI/CLI.hpp>
#include <set>
#include <string>
#include <vector>

#include "cli/access_flags.hpp"
#include "cli/aggregate_flags.hpp"
#include "cli/cache_flags.hpp"
#include "cli/compress_flags.hpp"
#include "cli/limit_flags.hpp"
#include "core/config/model.hpp"
#include "core/result.hpp"

namespace gw::cli {

// Header changes for one direction (request or response).
struct HeaderFlags {
  std::vector<std::string> add;
  std::vector<std::string> set;
  std::vector<std::string> remove;
};

struct RouteOptions {
  std::string name;
  std::string gateway;
  std::vector<std::string> hosts;
  std::string path;
  std::string match;
  std::vector<std::string> methods;
  std::vector<std::string> headers;
  std::vector<std::string> to;
  std::string timeout;
  int retries = 0;
  std::string retry_on;
  std::string per_try_timeout;
  bool retry_non_idempotent = false;
  int retry_budget = 0;
  std::string redirect;
  int redirect_code = 0;
  bool redirect_keep_query = true;
  std::string rewrite;
  std::string rewrite_regex;
  std::string rewrite_substitution;
  HeaderFlags request_headers;
  HeaderFlags response_headers;
  int direct_response = 0;
  std::string body;
  std::string content_type;
  std::string mirror;
  int priority = 0;
  AccessFlags access;
  LimitFlags limits;
  CacheFlags cache;
  CompressFlags compress;
  AggregateFlags aggregate;
  std::set<std::string> given;  // the flags on the command line (update replaces only those)
};

void addRouteFlags(CLI::App* sub, RouteOptions& o, bool adding);

// Sets what the user named; values that do not parse are usage errors, the rest is left to
// validation. --to, --redirect, --direct-response and --aggregate each replace the others: a
// route does exactly one of forwarding, redirecting, answering and aggregating.
core::Status applyRouteFlags(core::Route& route, const RouteOptions& o);

}  // namespace gw::cli
