#pragma once
// Flag values that carry structure (`http:8080`, `frontend=50`, `K=V`, `10s`), parsed into
// model pieces. A value that does not parse is a usage error (exit 2) naming the flag;
// whether a parsed value is acceptable (a weight of 150) is left to validation.

#include <string>
#include <vector>

#include "core/config/model.hpp"
#include "core/result.hpp"

namespace gw::cli {

core::Error usageError(const std::string& message);

// PROTOCOL:PORT, e.g. http:8080.
core::Result<core::Listener> parseListenerFlag(const std::string& text);

// MIN:MAX, e.g. 1:3.
core::Result<core::Replicas> parseReplicasFlag(const std::string& text);

// SERVICE[=WEIGHT] per --to. Destinations without a weight share what the weighted ones
// leave of 100 (so a single --to means 100, two mean 50/50).
core::Result<std::vector<core::Destination>> parseDestinationFlags(
    const std::vector<std::string>& values);

// K=V per --header.
core::Result<core::HeaderMatch> parseHeaderFlag(const std::string& text);

// 10s, 250ms, 2m, 1h.
core::Result<core::Millis> parseDurationFlag(const std::string& flag, const std::string& text);

}  // namespace gw::cli
