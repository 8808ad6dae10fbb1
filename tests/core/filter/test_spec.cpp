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
  CHECK(chainFilters(nullptr, route).empty());

  route.mirror = Mirror{"shadow", 5};
  route.request_headers.add = {{"x-a", "1"}};
  route.rewrite = Rewrite{"/v2", "", ""};
  route.response_headers.remove = {"server"};
  CHECK(names(chainFilters(nullptr, route)) ==
        std::vector<std::string_view>{"responseHeaders", "rewrite", "requestHeaders", "mirror"});

  Route redirecting;
  redirecting.redirect = Redirect{};
  redirecting.response_headers.add = {{"x-b", "2"}};
  const auto filters = chainFilters(nullptr, redirecting);
  CHECK(names(filters) == std::vector<std::string_view>{"responseHeaders", "redirect"});
  CHECK(std::holds_alternative<Redirect>(filters[1].spec));
}

TEST_CASE("a gateway's access filters come first, its rate limits with the route's after auth",
          "[filter][spec]") {
  Gateway gateway;
  gateway.name = "edge";
  gateway.ip.deny = {"10.0.0.0/8"};
  gateway.auth.emplace();
  gateway.auth->methods = {"api-key"};
  gateway.rate_limits = {RateLimit{}};
  Route route;
  route.name = "shop";
  route.cors.emplace();
  route.cors->origins = {"*"};
  route.rate_limits = {RateLimit{}};
  route.request_headers.add = {{"x-a", "1"}};
  auto filters = chainFilters(&gateway, route);
  CHECK(names(filters) ==
        std::vector<std::string_view>{"ipAllow", "auth", "cors", "rateLimits", "requestHeaders"});
  CHECK(filters[0].gateway);
  CHECK(filters[1].gateway);
  CHECK_FALSE(filters[2].gateway);
  const auto& limits = std::get<RateLimits>(filters[3].spec);
  CHECK(limits.gateway.size() == 1);
  CHECK(limits.route.size() == 1);

  // The route's own auth replaces the gateway's, and the gateway's limits count after it.
  route.auth.emplace();
  route.auth->methods = {"basic"};
  filters = chainFilters(&gateway, route);
  CHECK(names(filters) ==
        std::vector<std::string_view>{"ipAllow", "cors", "auth", "rateLimits", "requestHeaders"});
  CHECK_FALSE(filters[2].gateway);
}

TEST_CASE("an empty rewrite is no filter", "[filter][spec]") {
  Route route;
  route.rewrite = Rewrite{};
  CHECK(chainFilters(nullptr, route).empty());
}

}  // namespace gw::core
