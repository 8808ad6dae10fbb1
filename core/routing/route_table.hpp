#pragma once
// The routing decision for one gateway, compiled once per config and shared read-only by
// every worker. Pure logic: no sockets, no allocation on match().
//
// Precedence (DESIGN.md): the host first (an exact host beats the longest matching
// "*.suffix" wildcard, which beats "*"), then among that host's routes: a higher priority
// wins; at equal priority an exact path beats a regex, which beats a prefix, and a longer
// prefix beats a shorter one. The first candidate in that order whose path, methods and
// headers all match wins. Validation refuses ties, so the order is total.
//
// Hosts. The request host is compared case-insensitively, without its port and without one
// trailing dot ("Shop.Test.:8080" is "shop.test", "[::1]:80" is "::1"). A route with no hosts
// serves "*". Each request picks exactly ONE host rule, and only that rule's routes are
// candidates (as Envoy virtual hosts and Gateway API listeners do): a route on "*" does not
// catch a request for a host that has routes of its own, none of which match; that request
// matches no route (the proxy answers 404 no_route). "*.shop.test" matches "a.shop.test" and
// "a.b.shop.test", never "shop.test". A host longer than 255 bytes matches only "*".
//
// Paths. Prefixes are segment-aware, as Gateway API PathPrefix: "/api" matches "/api",
// "/api/" and "/api/x", not "/apix"; "/" matches every path; a prefix ending in "/"
// ("/api/") matches "/api/" and below but not "/api". Exact compares the whole path. Regex is
// ECMAScript, compiled once by build(), and must match the whole path; a pattern that does
// not compile matches nothing (validation reports it). An empty request path is "/".
//
// Methods are case-sensitive tokens (empty list: any); header names are looked up through
// RequestView::header (case-insensitive by contract), values compared exactly; a route's
// headers must all be present and equal.
//
// Cost. match() allocates nothing and does not scan the route list: one hash probe for the
// exact host (then one per label for wildcards), one for the exact path, two per '/' of the
// path for prefixes (longest first, stopping once no shorter prefix can win), and the
// rule's regex routes only while one of them could still win (evaluating a std::regex is the
// one place that may allocate).

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/config/model.hpp"

namespace gw::core::routing {

// What the matcher needs of a request. `header` looks a header up by (case-insensitive)
// name; a plain function pointer keeps the hot path free of std::function.
struct RequestView {
  std::string_view host;  // Host header or :authority; a port is ignored
  std::string_view path;  // without the query
  std::string_view method;
  const void* ctx = nullptr;
  std::optional<std::string_view> (*header)(const void* ctx, std::string_view name) = nullptr;
};

struct CompiledRoute {
  std::size_t index = 0;  // position in Config::routes
  std::string name;
  const Route* route = nullptr;  // points into the Config the table was built from
  // Destination index for each roll in [0,100): weighted choice in O(1). Each destination
  // fills as many slots as its weight (weight 0: none), interleaved (smooth weighted
  // round-robin) so that a counter as the roll spreads consecutive requests too. A route
  // without destinations (redirect-only) has all zeros here and must not call it.
  std::array<std::uint8_t, 100> pick{};

  std::size_t pickDestination(std::uint32_t roll) const { return pick[roll % 100]; }
};

struct Candidate {
  std::string route;
  std::string reason;    // `wins: exact path "/"`, `path does not match (prefix "/api")`, ...
  bool matched = false;  // true for the winner only
};

// What `gw route explain` prints: the host rule, then every route of that rule in
// precedence order with why it won, did not match, or was not reached.
struct Explanation {
  std::string host_rule;  // which host entry applied: "shop.test", "*.test", "*" or ""
  const CompiledRoute* winner = nullptr;
  std::vector<Candidate> candidates;  // in precedence order
  std::string summary;  // one line: which route wins, or why none does (e.g. no host rule)
};

class RouteTable {
 public:
  // `config` must be validated and must outlive the table. Only routes whose `gateway` is
  // `gateway` are compiled; an empty `gateway` compiles every route.
  static std::shared_ptr<const RouteTable> build(const Config& config, std::string_view gateway);

  const CompiledRoute* match(const RequestView& request) const;
  Explanation explain(const RequestView& request) const;

  std::size_t size() const;

  ~RouteTable();
  RouteTable(const RouteTable&) = delete;
  RouteTable& operator=(const RouteTable&) = delete;

  struct Impl;

 private:
  RouteTable();
  std::unique_ptr<Impl> impl_;
};

// "shop.test:8080" -> "shop.test" (lower-cased by the caller if needed); "[::1]:80" -> "::1".
std::string_view stripPort(std::string_view host);

}  // namespace gw::core::routing
