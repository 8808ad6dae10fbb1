#pragma once
// The aggregation flags of `gw route add|update`: --aggregate names one backend (repeat it for
// each; given, the list replaces the route's, and the route answers with the merged JSON of
// its backends instead of forwarding), --aggregate-timeout and --aggregate-max-body bound
// their answers.
//
//   --aggregate service=users,path=/users/{1},group=user,required
//   --aggregate name=flags,service=flags,path=/flags,field=beta,field=theme

#include <CLI/CLI.hpp>
#include <set>
#include <string>
#include <vector>

#include "core/config/model.hpp"
#include "core/result.hpp"

namespace gw::cli {

struct AggregateFlags {
  std::vector<std::string> backends;
  std::string timeout;
  std::string max_body;
};

void addAggregateFlags(CLI::App* sub, AggregateFlags& o);

// One --aggregate value: comma-separated key=value pairs (name, service, path, group, field,
// required).
core::Result<core::AggregateBackend> parseAggregateFlag(const std::string& text);

// --aggregate "" drops the route's aggregate.
core::Status applyAggregateFlags(core::Route& route, const AggregateFlags& o,
                                 const std::set<std::string>& given);

}  // namespace gw::cli
