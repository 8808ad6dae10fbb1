// UpstreamCall on its own, against real sockets on 127.0.0.1: the steps, the pool, the
// deadline. Off a worker, so it runs with a timer for its deadline, as the health checker
// and the admin client use it.

#include <boost/asio/ip/address.hpp>
#include <boost/beast/http/string_body.hpp>
#include <catch2/catch.hpp>
#include <optional>
#include <string>

#include "proxy/http/chunked.hpp"
#include "proxy/upstream/call.hpp"
#include "tests/support/process.hpp"

namespace gw::test {
namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using proxy::Clock;
using proxy::UpstreamCall;
using Parser = proxy::ResponseParser<http::string_body>;

const std::string kGet = "GET / HTTP/1.1\r\nHost: a.test\r\n\r\n";

asio::ip::tcp::endpoint loopback(std::uint16_t port) {
  return {asio::ip::make_address("127.0.0.1"), port};
}

// Writes kGet and reads the whole answer on `call` (connected or pooled), then finishes it;
// `result` is set when it is over.
void exchange(UpstreamCall& call, Parser& parser, proxy::UpstreamPool& pool,
              boost::system::error_code& result) {
  call.write(asio::buffer(kGet), [&](boost::system::error_code ec, std::size_t) {
    if (ec) {
      result = call.outcome(ec);
      return;
    }
    call.read(parser, [&](boost::system::error_code read_ec, std::size_t) {
      result = call.outcome(read_ec);
      call.finish(&pool, !read_ec && parser.keep_alive(), Clock::now());
    });
  });
}

}  // namespace

TEST_CASE("an upstream call connects, sends, reads, and its connection is pooled and reused",
          "[upstream][call]") {
  EchoBackend backend("alpha");
  asio::io_context ioc;
  proxy::UpstreamPool pool;
  constexpr std::uint32_t kEndpointId = 3;

  UpstreamCall first(ioc, UpstreamCall::Deadlines::kTimer);
  CHECK_FALSE(first.takePooled(pool, kEndpointId, Clock::now(), false));  // nothing pooled yet
  first.expiresAt(Clock::now() + std::chrono::seconds(5));
  Parser parser;
  boost::system::error_code result = asio::error::would_block;
  first.connect(loopback(backend.port()), kEndpointId, [&](boost::system::error_code ec) {
    if (ec) {
      result = ec;
      return;
    }
    exchange(first, parser, pool, result);
  });
  ioc.run();
  REQUIRE_FALSE(result);
  CHECK(parser.get().result_int() == 200);
  CHECK(parser.get().body() == "alpha\n");
  CHECK(parser.get()["x-connection-requests"] == "1");
  CHECK_FALSE(first.active());  // handed to the pool

  UpstreamCall second(ioc, UpstreamCall::Deadlines::kTimer);
  REQUIRE(second.takePooled(pool, kEndpointId, Clock::now(), false));
  second.expiresAt(Clock::now() + std::chrono::seconds(5));
  Parser again;
  ioc.restart();
  exchange(second, again, pool, result);
  ioc.run();
  REQUIRE_FALSE(result);
  CHECK(again.get()["x-connection-requests"] == "2");  // the same connection
}

TEST_CASE("an upstream call that outlives its deadline fails as a timeout", "[upstream][call]") {
  // Accepted by the kernel, never answered: the connect and the write succeed, the read waits.
  asio::io_context ioc;
  asio::ip::tcp::acceptor silent(ioc, loopback(0));
  UpstreamCall call(ioc, UpstreamCall::Deadlines::kTimer);
  Parser parser;
  boost::system::error_code result;
  const auto started = Clock::now();
  call.expiresAt(started + std::chrono::milliseconds(300));
  call.connect(silent.local_endpoint(), 1, [&](boost::system::error_code ec) {
    if (ec) {
      result = call.outcome(ec);
      return;
    }
    call.write(asio::buffer(kGet), [&](boost::system::error_code, std::size_t) {
      call.readHeader(parser, [&](boost::system::error_code read_ec, std::size_t) {
        result = call.outcome(read_ec);
      });
    });
  });
  ioc.run();
  CHECK(result == boost::beast::error::timeout);
  CHECK(Clock::now() - started >= std::chrono::milliseconds(250));
  CHECK(Clock::now() - started < std::chrono::seconds(3));
}

}  // namespace gw::test
