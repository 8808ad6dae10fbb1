#pragma once
// Fault injection for the store's crash-safety tests. Never set outside tests.

#include <filesystem>

namespace gw::core::testing {

// Called by writeFileAtomic after the temp file for `target` is written and synced, before
// it is renamed over `target`.
extern void (*before_rename)(const std::filesystem::path& target);

}  // namespace gw::core::testing
