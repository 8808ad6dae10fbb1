#pragma once
// The compression flags of `gw route add|update` and `gw gateway create|update`: --compress
// turns compression on (--compress=false off); --compress-encodings, --compress-min-size and
// --compress-type change it, and turn it on.

#include <CLI/CLI.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/config/model.hpp"
#include "core/result.hpp"

namespace gw::cli {

struct CompressFlags {
  bool on = false;
  std::string encodings;
  std::string min_size;
  std::vector<std::string> types;
};

void addCompressFlags(CLI::App* sub, CompressFlags& o);

core::Status applyCompressFlags(std::optional<core::Compress>& compress, const CompressFlags& o,
                                const std::set<std::string>& given);

}  // namespace gw::cli
