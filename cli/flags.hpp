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

// HOST:PORT[=WEIGHT] per --endpoint (weight 1 when absent).
core::Result<core::Endpoint> parseEndpointFlag(const std::string& text);

// NAME=VALUE per --request-header-add and its kin; `flag` names it in errors.
core::Result<core::HeaderValue> parseHeaderValueFlag(const std::string& flag,
                                                     const std::string& text);

// SERVICE[=PERCENT] per --mirror (100 when absent).
core::Result<core::Mirror> parseMirrorFlag(const std::string& text);

// client-ip, header:NAME or cookie:NAME per --hash-on.
core::Result<core::HashPolicy> parseHashOnFlag(const std::string& text);

// "a,b,c" per --retry-on; empty items are dropped.
std::vector<std::string> splitList(const std::string& text);

// Bytes, with an optional binary suffix: 512, 64KiB, 8MiB, 1GiB (KB, MB, GB: powers of 1000).
core::Result<std::uint64_t> parseByteSizeFlag(const std::string& flag, const std::string& text);

// 10s, 250ms, 2m, 1h, 7d, 1y.
core::Result<core::Millis> parseDurationFlag(const std::string& flag, const std::string& text);

}  // namespace gw::cli
