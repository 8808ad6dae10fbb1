#include <catch2/catch.hpp>

#include "proxy/exchange/exchange.hpp"
#include "tests/proxy/exchange/exchange_fixture.hpp"

namespace gw::test {
namespace {

using proxy::Exchange;
constexpr std::string_view kGet = "GET /x HTTP/1.1\r\nHost: shop.test\r\n\r\n";

}  // namespace

TEST_CASE("an exchange is reset between requests", "[exchange]") {
  Exchange exchange;
  parseInto(exchange, kGet);
  exchange.status = 502;
  exchange.reason = proxy::Reason::kUpstreamReset;
  exchange.original_path = "/old";
  exchange.next_filter = 3;
  exchange.facts.consumer = "alice";
  exchange.request_id.generate();
  exchange.reset();
  CHECK_FALSE(exchange.parser.has_value());
  CHECK(exchange.status == 0);
  CHECK(exchange.reason == proxy::Reason::kNone);
  CHECK(exchange.original_path.empty());
  CHECK(exchange.next_filter == 0);
  CHECK(exchange.facts.consumer.empty());
  CHECK(exchange.request_id.empty());
}

}  // namespace gw::test
