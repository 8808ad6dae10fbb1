#pragma once
// A route's header edits as filters: requestHeaders edit the request before it is forwarded
// (after the gateway's own X-Forwarded-* fields, so the route has the last word);
// responseHeaders edit every answer that is not a gateway error: the upstream's, a redirect,
// a direct response.

#include <memory>

#include "core/filter/spec.hpp"
#include "proxy/filter/build_context.hpp"
#include "proxy/filter/filter.hpp"
#include "proxy/filter/header_edits/header_edits.hpp"

namespace gw::proxy::filter {

class RequestHeadersFilter final : public Filter {
 public:
  explicit RequestHeadersFilter(HeaderEdits edits) : edits_(std::move(edits)) {}
  unsigned hooks() const override { return kOnRequest; }
  Status onRequest(Exchange& exchange, FilterHost& host) const override;

 private:
  HeaderEdits edits_;
};

class ResponseHeadersFilter final : public Filter {
 public:
  explicit ResponseHeadersFilter(HeaderEdits edits) : edits_(std::move(edits)) {}
  unsigned hooks() const override { return kOnResponse; }
  void onResponse(Exchange& exchange, http::response_header<>& head) const override;

 private:
  HeaderEdits edits_;
};

std::unique_ptr<Filter> build(const core::RequestHeaderEdits& spec, const BuildContext& ctx);
std::unique_ptr<Filter> build(const core::ResponseHeaderEdits& spec, const BuildContext& ctx);

}  // namespace gw::proxy::filter
