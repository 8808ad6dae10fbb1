// WebSocket over TLS: the upgrade on an https listener hands the TLS connection over to the
// tunnel, and messages flow both ways, large ones too, until a clean close.

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <catch2/catch.hpp>
#include <stdexcept>
#include <string>

#include "tests/proxy/support/harness.hpp"
#include "tests/support/test_ca.hpp"

namespace gw::test {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace ssl = asio::ssl;

// A WebSocket client over TLS (SNI ws.test, the test CA trusted); every step bounded.
class TlsWebSocketClient {
 public:
  TlsWebSocketClient(std::uint16_t port, const std::filesystem::path& ca_file) {
    tls_.load_verify_file(ca_file.string());
    tls_.set_verify_mode(ssl::verify_peer);
    ws_ = std::make_unique<Stream>(ioc_, tls_);
    auto& ssl_stream = ws_->next_layer();
    // SSL_set_tlsext_host_name, without its C cast.
    static char server_name[] = "ws.test";
    SSL_ctrl(ssl_stream.native_handle(), SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
             server_name);
    ssl_stream.set_verify_callback(ssl::host_name_verification("ws.test"));
    beast::error_code ec;
    beast::get_lowest_layer(*ws_).expires_after(kTimeout);
    beast::get_lowest_layer(*ws_).async_connect(
        asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port),
        [&ec](beast::error_code e) { ec = e; });
    settle(ec, "connect");
    ssl_stream.async_handshake(ssl::stream_base::client, [&ec](beast::error_code e) { ec = e; });
    settle(ec, "TLS handshake");
    ws_->async_handshake(response_, "ws.test", "/_ws", [&ec](beast::error_code e) { ec = e; });
    settle(ec, "upgrade");
  }

  std::string echo(const std::string& message) {
    beast::error_code ec;
    beast::get_lowest_layer(*ws_).expires_after(kTimeout);
    ws_->async_write(asio::buffer(message), [&ec](beast::error_code e, std::size_t) { ec = e; });
    settle(ec, "write");
    beast::flat_buffer buffer;
    ws_->async_read(buffer, [&ec](beast::error_code e, std::size_t) { ec = e; });
    settle(ec, "read");
    return beast::buffers_to_string(buffer.data());
  }

  void close() {
    beast::error_code ec;
    beast::get_lowest_layer(*ws_).expires_after(kTimeout);
    ws_->async_close(websocket::close_code::normal, [&ec](beast::error_code e) { ec = e; });
    settle(ec, "close");
  }

  unsigned status() const { return response_.result_int(); }

 private:
  using Stream = websocket::stream<ssl::stream<beast::tcp_stream>>;
  static constexpr std::chrono::seconds kTimeout{5};

  void settle(beast::error_code& ec, const char* what) {
    ioc_.restart();
    ioc_.run();
    if (ec) {
      throw std::runtime_error(std::string("websocket over TLS ") + what + ": " + ec.message());
    }
  }

  asio::io_context ioc_;
  ssl::context tls_{ssl::context::tls_client};
  std::unique_ptr<Stream> ws_;
  websocket::response_type response_;
};

}  // namespace

TEST_CASE("a WebSocket upgrade on an https listener relays messages over TLS both ways",
          "[proxy][tls][websocket]") {
  TestCa ca;
  TempDir certs;
  EchoBackend backend("alpha");
  const std::uint16_t port = freePort();
  core::Config config;
  config.gateways.push_back(makeGateway("edge", {{core::Protocol::kHttps, port}}));
  config.services.push_back(makeService("alpha", {backend.endpoint()}));
  config.routes.push_back(makeRoute("all", "edge", {"*"}, {{"alpha", 100}}));
  ca.issue(certs.path(), "ws", {"ws.test"});
  core::Certificate certificate;
  certificate.name = "ws";
  certificate.domains = {"ws.test"};
  config.certificates.push_back(certificate);
  ProxyUnderTest proxy(config, 2, "", certs.path().string());

  for (int round = 0; round < 3; ++round) {  // the hand-over, more than once per worker
    TlsWebSocketClient client(port, ca.rootFile());
    CHECK(client.status() == 101U);
    CHECK(client.echo("hello") == "hello");
    const std::string large(300 * 1024, 'w');  // many TLS records each way
    CHECK(client.echo(large) == large);
    CHECK(client.echo("after") == "after");
    client.close();
  }
}

}  // namespace gw::test
