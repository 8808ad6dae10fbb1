#include <catch2/catch.hpp>
#include <string_view>
#include <vector>

#include "core/filter/spec.hpp"

namespace gw::core {
namespace {

std::vector<std::string_view> names(const std::vector<FilterEntry>& entries) {
  std::vector<std::string_view> out;
  out.reserve(entries.size());
  for (const FilterEntry& entry : entries) {
    out.push_back(entry.name);
  }
  return out;
}

}  // namespace

TEST_CASE("a route's filters come from its document keys, in the order a request meets them",
          "[filter][spec]") {
  Route route;
  route.name = "shop";
  CHECK(routeFilters(route).empty());

  route.mirror = Mirror{"shadow", 5};
  route.request_headers.add = {{"x-a", "1"}};
  route.rewrite = Rewrite{"/v2", "", ""};
  route.response_headers.remove = {"server"};
  CHECK(names(routeFilters(route)) ==
        std::vector<std::string_view>{"responseHeaders", "rewrite", "requestHeaders", "mirror"});

  Route redirecting;
  redirecting.redirect = Redirect{};
  redirecting.response_headers.add = {{"x-b", "2"}};
  const auto filters = routeFilters(redirecting);
  CHECK(names(filters) == std::vector<std::string_view>{"responseHeaders", "redirect"});
  CHECK(std::holds_alternative<Redirect>(filters[1].spec));
}

TEST_CASE("an empty rewrite is no filter", "[filter][spec]") {
  Route route;
  route.rewrite = Rewrite{};
  CHECK(routeFilters(route).empty());
}

}  // namespace gw::core
