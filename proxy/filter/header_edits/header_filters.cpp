#include "proxy/filter/header_edits/header_filters.hpp"

namespace gw::proxy::filter {

Status RequestHeadersFilter::onRequest(Exchange& exchange, FilterHost& /*host*/) const {
  edits_.apply(exchange.request());
  return Status::kContinue;
}

void ResponseHeadersFilter::onResponse(Exchange& /*exchange*/,
                                       http::response_header<>& head) const {
  edits_.apply(head);
}

std::unique_ptr<Filter> build(const core::RequestHeaderEdits& spec, const BuildContext& /*ctx*/) {
  return std::make_unique<RequestHeadersFilter>(HeaderEdits::build(spec.ops));
}

std::unique_ptr<Filter> build(const core::ResponseHeaderEdits& spec, const BuildContext& /*ctx*/) {
  return std::make_unique<ResponseHeadersFilter>(HeaderEdits::build(spec.ops));
}

}  // namespace gw::proxy::filter
