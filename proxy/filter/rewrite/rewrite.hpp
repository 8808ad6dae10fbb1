#pragma once
// A route's path rewrite before forwarding, compiled once per snapshot.
//
// Prefix: on a prefix route, the matched prefix is replaced (segment-aware, as the router
// matches: "/api" -> "/v2" turns "/api/x" into "/v2/x" and "/api" into "/v2"); on an exact
// or regex route the whole path is. Regex: every match of the pattern in the path is
// replaced by the substitution, where $1..$9 name the groups (ECMAScript rules, as Envoy's
// regex_rewrite). The pattern is compiled here, never per request. The query is kept (joined
// with '&' to one the substitution makes).

#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <string_view>

#include "core/config/model.hpp"
#include "proxy/filter/build_context.hpp"
#include "proxy/filter/filter.hpp"

namespace gw::proxy {

class PathRewrite {
 public:
  // Nothing (and `why` set) when the regex does not compile.
  static std::optional<PathRewrite> build(const core::Rewrite& rewrite, const core::Route& route,
                                          std::string& why);

  // The new request target for `target` (origin form: path and optional query).
  std::string apply(std::string_view target) const;

 private:
  std::string prefix_;
  std::string matched_;  // the route's prefix; empty: the whole path is replaced
  std::optional<std::regex> regex_;
  std::string substitution_;
};

namespace filter {

// Rewrites the target before forwarding; the access log keeps the path as the client sent it.
class RewriteFilter final : public Filter {
 public:
  explicit RewriteFilter(PathRewrite rewrite) : rewrite_(std::move(rewrite)) {}
  unsigned hooks() const override { return kOnRequest; }
  Status onRequest(Exchange& exchange, FilterHost& host) const override;

 private:
  PathRewrite rewrite_;
};

std::unique_ptr<Filter> build(const core::Rewrite& spec, const BuildContext& ctx);

}  // namespace filter
}  // namespace gw::proxy
