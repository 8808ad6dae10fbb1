#pragma once
// The target one backend of an aggregate is called with: its path template (core aggregate.hpp)
// filled from the request, without decoding anything (a value goes on as the client sent it).

#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

#include "core/config/aggregate.hpp"

namespace gw::proxy::aggregate {

using Captures = std::match_results<std::string_view::const_iterator>;

// `target` is the request's (path and query); `captures` the route's regex match on its path
// (empty when the route does not match by regex). A capture, parameter or query the request
// does not have is left empty.
std::string expandTarget(const std::vector<core::TemplatePart>& parts, std::string_view target,
                         const Captures& captures);

// The value of parameter `name` in `query` ("a=1&b=2", without the '?'), as sent; nullopt
// when absent.
std::optional<std::string_view> queryParam(std::string_view query, std::string_view name);

}  // namespace gw::proxy::aggregate
