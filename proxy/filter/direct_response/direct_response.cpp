#include "proxy/filter/direct_response/direct_response.hpp"

namespace gw::proxy {

DirectResponseAction DirectResponseAction::build(const core::DirectResponse& response) {
  DirectResponseAction action;
  action.status_ = static_cast<unsigned>(response.status);
  action.body_ = response.body;
  action.content_type_ = response.content_type;
  return action;
}

void DirectResponseAction::fill(http::response<http::string_body>& res) const {
  res.result(status_);
  if (!body_.empty() || !content_type_.empty()) {
    res.set(http::field::content_type, content_type_);
  }
  res.body() = body_;
}

}  // namespace gw::proxy
