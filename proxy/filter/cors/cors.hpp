#pragma once
// CORS (the Fetch standard's CORS protocol) for a route (core::Cors). A preflight (OPTIONS with
// Origin and Access-Control-Request-Method) is answered here, 204 with the allowed methods,
// headers and max-age, or 403 cors_refused when the origin, method or a header is not
// allowed. On every other request from an allowed origin the answer, the upstream's or one
// the gateway made (a 401 from auth, say), gets Access-Control-Allow-Origin and its
// companions, so a browser lets the page read it. Requests from other origins are passed
// on untouched: without those headers the browser keeps the answer from the page.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/config/model.hpp"
#include "proxy/filter/build_context.hpp"
#include "proxy/filter/filter.hpp"

namespace gw::proxy::filter {

class CorsFilter final : public Filter {
 public:
  explicit CorsFilter(core::Cors cors);
  unsigned hooks() const override { return kOnRequest | kOnResponse; }
  Status onRequest(Exchange& exchange, FilterHost& host) const override;
  void onResponse(Exchange& exchange, http::response_header<>& head) const override;

  bool allowsOrigin(std::string_view origin) const;

 private:
  bool allowsMethod(std::string_view method) const;
  bool allowsHeaders(std::string_view requested) const;
  Status answerPreflight(Exchange& exchange, std::string_view origin) const;
  void setOrigin(http::response_header<>& head, std::string_view origin) const;

  core::Cors cors_;
  bool any_origin_ = false;
  std::string methods_;  // the Access-Control-Allow-Methods value
  std::string expose_;   // the Access-Control-Expose-Headers value
  std::string max_age_;
};

std::unique_ptr<Filter> build(const core::Cors& spec, const BuildContext& ctx);

}  // namespace gw::proxy::filter
