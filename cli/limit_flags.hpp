#pragma once
// The rate-limit flags shared by `gw route add|update` and `gw gateway create|update`.
// --rate-limit (repeatable) replaces the limits with one per rate, each with the other flags;
// without it, those flags change every limit already there; --rate-limit "" removes them.

#include <CLI/CLI.hpp>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "core/config/model.hpp"
#include "core/result.hpp"

namespace gw::cli {

struct LimitFlags {
  std::vector<std::string> rates;
  std::int64_t burst = 0;
  std::vector<std::string> by;
  std::int64_t cost = 1;
  std::string store;
  std::string on_store_error;
  std::string mode;
  std::string headers;
};

void addLimitFlags(CLI::App* sub, LimitFlags& o);

core::Status applyLimitFlags(std::vector<core::RateLimit>& limits, const LimitFlags& o,
                             const std::set<std::string>& given);

}  // namespace gw::cli
