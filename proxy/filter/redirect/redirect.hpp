#pragma once
// A route that answers with a redirect instead of proxying (core::Redirect): the status code
// and a Location made of the redirect's parts where it sets them and the request's own
// elsewhere (scheme, host and port, path or just the matched prefix, query kept or dropped).
// The answer carries only a short text body.

#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "core/config/model.hpp"
#include "proxy/filter/build_context.hpp"
#include "proxy/filter/filter.hpp"

namespace gw::proxy::filter {

class RedirectFilter final : public Filter {
 public:
  // `route` must outlive the filter (both live in the same snapshot).
  RedirectFilter(core::Redirect redirect, const core::Route& route)
      : redirect_(std::move(redirect)), route_(&route) {}

  unsigned hooks() const override { return kOnRequest; }
  Status onRequest(Exchange& exchange, FilterHost& host) const override;

  // `scheme` is the listener's ("http" or "https"), `host` the Host header as sent,
  // `target` the request target (origin or absolute form).
  std::string location(std::string_view scheme, std::string_view host,
                       std::string_view target) const;

 private:
  core::Redirect redirect_;
  const core::Route* route_;
};

std::unique_ptr<Filter> build(const core::Redirect& spec, const BuildContext& ctx);

}  // namespace gw::proxy::filter
