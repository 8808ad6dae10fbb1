#pragma once
// What `gw route explain` says about the filters a request meets on its way through the
// winning route: its gateway's, then the route's own, in the order they run, each with what
// it checks ("auth: api-key", "authorization: allow groups paid (shadow)").

#include <string>
#include <vector>

#include "core/config/model.hpp"

namespace gw::cli {

std::vector<std::string> filtersMet(const core::Config& config, const core::Gateway& gateway,
                                    const core::Route& route);

}  // namespace gw::cli
