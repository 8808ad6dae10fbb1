#include "proxy/filter/direct_response/direct_response.hpp"

namespace gw::proxy::filter {

DirectResponseFilter::DirectResponseFilter(const core::DirectResponse& response)
    : status_(static_cast<unsigned>(response.status)),
      body_(response.body),
      content_type_(response.content_type) {}

Status DirectResponseFilter::onRequest(Exchange& exchange, FilterHost& /*host*/) const {
  auto& res = exchange.local;
  res = {};
  res.result(status_);
  if (!body_.empty() || !content_type_.empty()) {
    res.set(http::field::content_type, content_type_);
  }
  res.body() = body_;
  return Status::kAnswer;
}

std::unique_ptr<Filter> build(const core::DirectResponse& spec, const BuildContext& /*ctx*/) {
  return std::make_unique<DirectResponseFilter>(spec);
}

}  // namespace gw::proxy::filter
