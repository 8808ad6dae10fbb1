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

using FilterSpec = std::variant<ResponseHeaderEdits, Redirect, DirectResponse, Rewrite,
                                RequestHeaderEdits, Mirror>;

struct FilterEntry {
  std::string_view name;  // the document key it comes from: "redirect", "requestHeaders", ...
  FilterSpec spec;
};

// A route's filters in the order a request meets them. An answer made by a filter passes
// back through the response side of the filters before it, so response header edits come
// first: they apply to redirects and direct responses as to upstream answers.
std::vector<FilterEntry> routeFilters(const Route& route);

// A gateway's filters, run before its routes' own on every routed request. None of today's
// document keys is gateway-wide; the chain is built the same way, so such a filter only
// needs its spec and its place here.
std::vector<FilterEntry> gatewayFilters(const Gateway& gateway);

}  // namespace gw::core
