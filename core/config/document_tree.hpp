#pragma once
// The canonical shape of a Config: key names, key order and which defaults are left out.
// Both encoders (YAML and JSON) print this one tree, so they cannot drift apart.

#include <nlohmann/json.hpp>

#include "core/config/model.hpp"

namespace gw::core {

nlohmann::ordered_json toTree(const Config& config);

}  // namespace gw::core
