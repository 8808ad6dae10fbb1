#pragma once
// An Exchange holding a parsed request, and a FilterHost with no connection behind it: what
// filter unit tests run against, without sockets.

#include <boost/asio/buffer.hpp>
#include <catch2/catch.hpp>
#include <string_view>
#include <vector>

#include "proxy/exchange/exchange.hpp"
#include "proxy/filter/filter.hpp"

namespace gw::test {

inline void parseInto(proxy::Exchange& exchange, std::string_view raw) {
  exchange.parser.emplace();
  exchange.parser->eager(true);
  boost::system::error_code ec;
  exchange.parser->put(boost::asio::buffer(raw.data(), raw.size()), ec);
  REQUIRE_FALSE(ec);
  REQUIRE(exchange.parser->is_header_done());
}

class TestHost final : public proxy::filter::FilterHost {
 public:
  void resume(proxy::filter::Status status) override { resumed.push_back(status); }
  std::uint32_t roll() override { return next_roll; }
  proxy::Worker* worker() override { return nullptr; }
  int workerIndex() override { return 0; }

  std::vector<proxy::filter::Status> resumed;
  std::uint32_t next_roll = 0;
};

}  // namespace gw::test
