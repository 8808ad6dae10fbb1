#pragma once
// Did-you-mean for misspelt keys and names.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gw::core {

// Edit distance (insert, delete, substitute, swap of neighbours), case-insensitive.
std::size_t editDistance(std::string_view a, std::string_view b);

// The candidate closest to `word` when it is close enough to be a plausible typo.
std::optional<std::string> closest(std::string_view word,
                                   const std::vector<std::string_view>& candidates);

}  // namespace gw::core
