#pragma once
// The closed set of filters a request can meet, as specs read from the validated document.
// The document keeps its keys (redirect, rewrite, requestHeaders, ...): the specs are derived
// from a Route (and a Gateway), not decoded separately, so every existing file means what it
// meant. The proxy builds each alternative with std::visit over one builder per type
// (proxy/filter/build.cpp), so adding an alternative here without a builder does not compile.
//
// Adding a filter: its spec here (decoded and validated in core/config like any field), its
// place in routeFilters() or gatewayFilters(), a folder under proxy/filter/, one builder
// overload, and tests (docs/architecture.md walks through it).

#include <string_view>
#include <variant>
#include <vector>

#include "core/config/model.hpp"

namespace gw::core {

// Header edits are two filters: the request's before forwarding, the answer's on the way back.
struct RequestHeaderEdits {
  HeaderOps ops;
  bool operator==(const RequestHeaderEdits&) const = default;
};
struct ResponseHeaderEdits {
  HeaderOps ops;
  bool operator==(const ResponseHeaderEdits&) const = default;
};

using FilterSpec =
    std::variant<ResponseHeaderEdits, Redirect, DirectResponse, Rewrite, RequestHeaderEdits, Mirror,
                 IpLists, Cors, AuthPolicy, Authorization>;

struct FilterEntry {
  std::string_view name;  // the document key it comes from: "redirect", "requestHeaders", ...
  FilterSpec spec;
};

// A route's filters in the order a request meets them. An answer made by a filter passes
// back through the response side of the filters before it, so response header edits come
// first: they apply to redirects and direct responses as to upstream answers. Access control
// comes before anything that answers: the IP lists, CORS (a preflight is answered there, and
// every later refusal still carries the CORS headers a browser needs to read it), then
// authentication and authorization.
std::vector<FilterEntry> routeFilters(const Route& route);

// A gateway's filters, run before its routes' own on every routed request: its IP lists and
// its auth (which a route's own auth replaces: the builder skips the gateway's there).
std::vector<FilterEntry> gatewayFilters(const Gateway& gateway);

}  // namespace gw::core
