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

// The rate limits a routed request meets, the gateway's and the route's, as one filter: each
// must have room for the request, and a refusal gives back what the others took.
struct RateLimits {
  std::vector<RateLimit> gateway;  // one budget across the gateway's routes
  std::vector<RateLimit> route;
  bool plans = false;  // the rate limits of the consumers' plans, too
  bool operator==(const RateLimits&) const = default;
};

// The request quotas of the consumers' plans (per UTC day or month), counted per consumer
// across every route. Before the rate limits: a request a limit refuses gives its unit back,
// so only what passes every check counts.
struct Quotas {
  bool operator==(const Quotas&) const = default;
};

using FilterSpec = std::variant<ResponseHeaderEdits, Redirect, DirectResponse, Rewrite,
                                RequestHeaderEdits, Mirror, IpLists, Cors, AuthPolicy,
                                Authorization, Quotas, RateLimits, Compress, RouteCache, Aggregate>;

struct FilterEntry {
  std::string_view name;  // the document key it comes from: "redirect", "requestHeaders", ...
  FilterSpec spec;
  bool gateway = false;  // the route's gateway's (its state is kept per gateway)
};

// The filters a request routed to `route` meets, in order: the gateway's (null: none) and
// the route's. An answer made by a filter passes back through the response side of the
// filters before it, so response header edits come early: they apply to redirects and direct
// responses as to upstream answers. Access control comes before anything that answers: IP
// lists, CORS (a preflight is answered there, and every later refusal still carries the CORS
// headers a browser needs to read it), authentication (the route's replaces its gateway's)
// and authorization; then the plans' quotas and the rate limits, the gateway's and the
// route's, which count consumers, so they come after auth, and count only what access
// control let by; then compression (its encoding, negotiated, is part of what the cache
// keys), the route's or its gateway's; then the response cache (a hit is a request they judged and
// counted, and its key is the URL the client asked for, before any rewrite); then the rest of the
// route's, and last the aggregate, which answers with what its backends sent (after the
// request header edits, which its backend calls carry). What the plans of the document ask of every
// route: their rate limits, their quotas.
struct PlanFeatures {
  bool rate_limits = false;
  bool quotas = false;
};
PlanFeatures planFeatures(const Config& config);

std::vector<FilterEntry> chainFilters(const Gateway* gateway, const Route& route,
                                      PlanFeatures plans = {});

}  // namespace gw::core
