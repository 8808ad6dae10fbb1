#pragma once
// The revisions/ folder of a home: one file per document that was current before, named by
// its revision (00000007.yaml), or 00000007.refused.yaml for one the proxy refused to serve
// (the revision before it was put back). Internal to the store: Home is the interface.

#include <cstdint>
#include <filesystem>
#include <vector>

#include "core/store/home.hpp"

namespace gw::core::store {

std::filesystem::path revisionPath(const std::filesystem::path& folder, std::uint64_t revision,
                                   bool refused = false);

// Every kept revision, served or refused, oldest first; other files there are ignored.
std::vector<KeptRevision> listRevisions(const std::filesystem::path& folder);

// Gives `copy` the modification time of `original`: a kept revision's time is when it was
// saved, not when it was replaced.
void keepSavedTime(const std::filesystem::path& original, const std::filesystem::path& copy);

// Removes the oldest files beyond `keep`.
void pruneRevisions(const std::filesystem::path& folder, std::size_t keep);

}  // namespace gw::core::store
