#pragma once
// A route answered by the gateway itself, without an upstream (a mock, a maintenance page,
// a health answer): status, body and content type, fixed per snapshot. The session frames it
// like any local answer (Content-Length, the client's keep-alive kept).

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <string>

#include "core/config/model.hpp"
#include "proxy/net.hpp"

namespace gw::proxy {

class DirectResponseAction {
 public:
  static DirectResponseAction build(const core::DirectResponse& response);

  unsigned status() const { return status_; }
  void fill(http::response<http::string_body>& res) const;

 private:
  unsigned status_ = 200;
  std::string body_;
  std::string content_type_;
};

}  // namespace gw::proxy
