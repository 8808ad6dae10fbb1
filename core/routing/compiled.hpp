#pragma once
// The compiled form behind RouteTable, shared by build, match and explain. Private to
// core/routing: the proxy and the CLI see only route_table.hpp.

#include <array>
#include <bitset>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/routing/route_table.hpp"

namespace gw::core::routing::detail {

// Accepts std::string_view so lookups on the request path never build a std::string.
struct StringViewHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const noexcept {
    return std::hash<std::string_view>{}(s);
  }
};

template <class V>
using StringMap = std::unordered_map<std::string, V, StringViewHash, std::equal_to<>>;

// Smaller sorts first: DESIGN.md's precedence, then document order, so the order stays total
// even for ties that validation should have refused.
struct OrderKey {
  std::int64_t neg_priority = 0;
  int rank = 0;  // kRankExact, kRankRegex, kRankPrefix
  std::int64_t neg_prefix_length = 0;
  std::size_t index = 0;

  // clang-tidy 14 takes the 0 that a defaulted <=> compares with for a null pointer.
  // NOLINTNEXTLINE(modernize-use-nullptr)
  friend auto operator<=>(const OrderKey&, const OrderKey&) = default;
};

inline constexpr int kRankExact = 0;
inline constexpr int kRankRegex = 1;
inline constexpr int kRankPrefix = 2;

struct RouteMatcher {  // parallel to Impl::routes
  OrderKey key;
  std::optional<std::regex> regex;  // set for regex routes whose pattern compiles
};

using RouteList = std::vector<std::uint32_t>;  // positions in Impl::routes, precedence order

inline constexpr std::size_t kTrackedPrefixLengths = 256;

struct HostRule {
  std::string name;  // "shop.test", "*.shop.test" or "*"
  RouteList all;     // every route of the rule, for explain
  StringMap<RouteList> exact;
  StringMap<RouteList> prefix;  // keyed by the prefix as written ("/api", "/api/", "/")
  RouteList regex;
  std::size_t max_prefix_length = 0;
  // Which prefix lengths exist (lengths from kTrackedPrefixLengths on are always probed), so
  // most '/' boundaries of a request path cost no hash probe at all.
  std::bitset<kTrackedPrefixLengths> prefix_lengths;
  // Bounds that let match() skip a whole kind once the best so far beats all of it.
  std::int64_t max_prefix_priority = std::numeric_limits<std::int64_t>::min();
};

// Host names longer than this are not DNS names; they fall through to "*".
inline constexpr std::size_t kMaxHostLength = 255;
using HostBuffer = std::array<char, kMaxHostLength>;

// Port, one trailing dot and case removed into `buffer`; nullopt when it does not fit.
std::optional<std::string_view> normalizeHost(std::string_view raw, HostBuffer& buffer);

// The whole-path test for one route, as explain() states it; match() reaches the same answer
// through the maps.
bool pathMatches(const Route& route, const RouteMatcher& matcher, std::string_view path);
bool prefixMatches(std::string_view prefix, std::string_view path);
bool methodAllowed(const Route& route, std::string_view method);
bool headersMatch(const Route& route, const RequestView& request);

std::array<std::uint8_t, 100> fillPick(const std::vector<Destination>& destinations);

inline std::string_view requestPath(std::string_view path) { return path.empty() ? "/" : path; }

}  // namespace gw::core::routing::detail

namespace gw::core::routing {

struct RouteTable::Impl {
  std::vector<CompiledRoute> routes;
  std::vector<detail::RouteMatcher> matchers;
  std::vector<detail::HostRule> rules;
  detail::StringMap<std::uint32_t> exact_hosts;
  detail::StringMap<std::uint32_t> wildcard_hosts;  // "*.shop.test" is keyed ".shop.test"
  std::optional<std::uint32_t> any_host;

  // The one host rule for a normalized host (nullopt: too long, so only "*" applies).
  const detail::HostRule* findRule(std::optional<std::string_view> host) const;
};

}  // namespace gw::core::routing
