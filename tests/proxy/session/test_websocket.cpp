#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket.hpp>
#include <catch2/catch.hpp>
#include <stdexcept>
#include <string>

#include "tests/proxy/support/harness.hpp"
#include "tests/support/process.hpp"

namespace gw::test {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;

struct WebSocketSetup {
  EchoBackend backend{"alpha"};
  std::uint16_t port = freePort();
  core::Config config;

  WebSocketSetup() {
    config.gateways.push_back(makeGateway("edge", {{core::Protocol::kHttp, port}}));
    config.services.push_back(makeService("alpha", {backend.endpoint()}));
    config.routes.push_back(makeRoute("alpha", "edge", {"*"}, {{"alpha", 100}}));
  }
};

// A WebSocket client whose every step is bounded by `timeout`; throws on failure.
class WebSocketClient {
 public:
  WebSocketClient(std::uint16_t port, const std::string& host, const std::string& target) {
    beast::error_code ec;
    beast::get_lowest_layer(ws_).expires_after(kTimeout);
    beast::get_lowest_layer(ws_).async_connect(
        asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port),
        [&ec](beast::error_code e) { ec = e; });
    settle(ec, "connect");
    beast::get_lowest_layer(ws_).expires_after(kTimeout);
    ws_.async_handshake(response_, host, target, [&ec](beast::error_code e) { ec = e; });
    settle(ec, "handshake");
  }

  std::string echo(const std::string& message) {
    beast::error_code ec;
    beast::get_lowest_layer(ws_).expires_after(kTimeout);
    ws_.async_write(asio::buffer(message), [&ec](beast::error_code e, std::size_t) { ec = e; });
    settle(ec, "write");
    beast::flat_buffer buffer;
    beast::get_lowest_layer(ws_).expires_after(kTimeout);
    ws_.async_read(buffer, [&ec](beast::error_code e, std::size_t) { ec = e; });
    settle(ec, "read");
    return beast::buffers_to_string(buffer.data());
  }

  void close() {
    beast::error_code ec;
    beast::get_lowest_layer(ws_).expires_after(kTimeout);
    ws_.async_close(websocket::close_code::normal, [&ec](beast::error_code e) { ec = e; });
    settle(ec, "close");
  }

  const websocket::response_type& response() const { return response_; }

 private:
  static constexpr std::chrono::seconds kTimeout{5};

  void settle(beast::error_code& ec, const char* what) {
    ioc_.restart();
    ioc_.run();
    if (ec) {
      throw std::runtime_error(std::string("websocket ") + what + ": " + ec.message());
    }
  }

  asio::io_context ioc_;
  websocket::stream<beast::tcp_stream> ws_{ioc_};
  websocket::response_type response_;
};

}  // namespace

TEST_CASE("a WebSocket upgrade is relayed and messages echo both ways", "[websocket]") {
  WebSocketSetup setup;
  ProxyUnderTest proxy(setup.config);
  WebSocketClient client(setup.port, "ws.test", "/_ws");
  CHECK(client.response().result_int() == 101);
  CHECK(client.echo("hello") == "hello");
  const std::string large(200 * 1024, 'w');  // larger than any relay buffer
  CHECK(client.echo(large) == large);
  client.close();

  // Plain requests on the same route are unaffected.
  HttpClient http(setup.port);
  CHECK(http.get("ws.test", "/").body == "alpha\n");
}

TEST_CASE("an open WebSocket survives ten reloads while exchanging messages", "[websocket]") {
  WebSocketSetup setup;
  ProxyUnderTest proxy(setup.config);
  WebSocketClient client(setup.port, "ws.test", "/_ws");
  for (int i = 0; i < 10; ++i) {
    // Every reload changes the config, so each one builds a new snapshot.
    core::Config next = setup.config;
    next.routes.push_back(
        makeRoute("extra" + std::to_string(i), "edge", {"extra.test"}, {{"alpha", 100}}));
    proxy.setConfig(next);
    REQUIRE(proxy.server().reload());
    const std::string message = "message " + std::to_string(i);
    CHECK(client.echo(message) == message);
  }
  client.close();
}

TEST_CASE("an upgrade the upstream declines is answered as a plain request", "[websocket]") {
  WebSocketSetup setup;
  ProxyUnderTest proxy(setup.config);
  HttpClient http(setup.port);
  const Reply declined = http.request("GET", "ws.test", "/",
                                      {{"Connection", "Upgrade"},
                                       {"Upgrade", "websocket"},
                                       {"Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="},
                                       {"Sec-WebSocket-Version", "13"}});
  CHECK(declined.status == 200);
  CHECK(declined.body == "alpha\n");
  CHECK(http.get("ws.test", "/").body == "alpha\n");  // still HTTP on the same connection
}

TEST_CASE("an Upgrade to anything but WebSocket is not passed on", "[websocket]") {
  WebSocketSetup setup;
  ProxyUnderTest proxy(setup.config);
  HttpClient http(setup.port);
  const Reply reply =
      http.request("GET", "a.test", "/_echo", {{"Connection", "Upgrade"}, {"Upgrade", "h2c"}});
  CHECK(reply.status == 200);
  CHECK(reply.body.find("\"upgrade\"") == std::string::npos);
  CHECK(reply.body.find("h2c") == std::string::npos);
}

}  // namespace gw::test
