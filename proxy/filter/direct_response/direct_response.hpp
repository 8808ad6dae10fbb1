#pragma once
// A route answered by the gateway itself, without an upstream (a mock, a maintenance page,
// a health answer): status, body and content type, fixed per snapshot. The session frames it
// like any local answer (Content-Length, the client's keep-alive kept).

#include <memory>
#include <string>

#include "core/config/model.hpp"
#include "proxy/filter/build_context.hpp"
#include "proxy/filter/filter.hpp"

namespace gw::proxy::filter {

class DirectResponseFilter final : public Filter {
 public:
  explicit DirectResponseFilter(const core::DirectResponse& response);
  unsigned hooks() const override { return kOnRequest; }
  Status onRequest(Exchange& exchange, FilterHost& host) const override;

 private:
  unsigned status_ = 200;
  std::string body_;
  std::string content_type_;
};

std::unique_ptr<Filter> build(const core::DirectResponse& spec, const BuildContext& ctx);

}  // namespace gw::proxy::filter
