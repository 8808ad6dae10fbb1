#pragma once
// The routing decision for one gateway, compiled once per config and shared read-only by
// every worker. Pure logic: no sockets, no allocation on match().
//
// Precedence (DESIGN.md): the host first (an exact host beats the longest matching
// "*.suffix" wildcard, which beats "*"), then among that host's routes: a higher priority
// wins; at equal priority an exact path beats a regex, which beats a prefix, and a longer
// prefix beats a shorter one. The first candidate in that order whose path, methods and
// headers all match wins. Validation refuses ties, so the order is total.

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
  // Destination index for each roll in [0,100): weighted choice in O(1).
  std::array<std::uint8_t, 100> pick{};

  std::size_t pickDestination(std::uint32_t roll) const { return pick[roll % 100]; }
};

struct Candidate {
  std::string route;
  std::string reason;  // "wins: exact path /", "path does not match (prefix /api)", ...
  bool matched = false;
};

struct Explanation {
  std::string host_rule;  // which host entry applied: "shop.test", "*.test", "*" or ""
  const CompiledRoute* winner = nullptr;
  std::vector<Candidate> candidates;  // in precedence order
};

class RouteTable {
 public:
  // `config` must be validated and must outlive the table.
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
