#pragma once
// What a route does besides choosing a destination, compiled once per snapshot (the config
// half of Envoy's config/instance split; the request half is the Session). A route either
// redirects, answers directly, or forwards; forwarding may rewrite the path and edit headers
// both ways.

#include <optional>
#include <string>
#include <vector>

#include "core/config/model.hpp"
#include "proxy/filter/direct_response/direct_response.hpp"
#include "proxy/filter/header_edits/header_edits.hpp"
#include "proxy/filter/redirect/redirect.hpp"
#include "proxy/filter/rewrite/rewrite.hpp"

namespace gw::proxy {

struct RouteActions {
  std::optional<RedirectAction> redirect;
  std::optional<DirectResponseAction> direct_response;
  std::optional<PathRewrite> rewrite;
  HeaderEdits request_headers;   // before forwarding
  HeaderEdits response_headers;  // before answering the client (upstream and direct answers)

  // `route` must outlive the result. What cannot be compiled is added to `problems`.
  static RouteActions build(const core::Route& route, std::vector<std::string>& problems);
};

}  // namespace gw::proxy
