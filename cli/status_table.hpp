#pragma once
// The status report's JSON as tables people read: one column per key, cells as text, and the
// routes' traffic figures (rates, access verdicts) written out.

#include "cli/output.hpp"

namespace gw::cli {

// A table with one row per item of `items` (objects) and one column per key, in first-seen
// order.
Table tableOf(const Json& items);

// The running proxy's routes as the table shows them: rates rounded, access verdicts as text.
Json readableRoutes(const Json& routes);

}  // namespace gw::cli
