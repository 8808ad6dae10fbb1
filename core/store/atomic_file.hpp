#pragma once
// File writes shared by the store beyond the public writeFileAtomic.

#include <filesystem>
#include <string_view>

#include "core/result.hpp"

namespace gw::core {

// Creates `path` with `data` only if it does not exist yet, never visible half-written.
// Returns false (not an error) when another writer created it first.
Result<bool> createFileExclusive(const std::filesystem::path& path, std::string_view data,
                                 unsigned mode);

}  // namespace gw::core
