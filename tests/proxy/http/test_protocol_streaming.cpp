#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/write.hpp>
#include <catch2/catch.hpp>
#include <string>
#include <thread>

#include "tests/proxy/support/harness.hpp"
#include "tests/proxy/support/wire.hpp"
#include "tests/support/eventually.hpp"
#include "tests/support/process.hpp"

namespace gw::test {
namespace {

namespace asio = boost::asio;

struct StreamingSetup {
  EchoBackend backend{"alpha"};
  std::uint16_t port = freePort();
  core::Config config;

  StreamingSetup() {
    config.gateways.push_back(makeGateway("edge", {{core::Protocol::kHttp, port}}));
    config.services.push_back(makeService("alpha", {backend.endpoint()}));
    config.routes.push_back(makeRoute("alpha", "edge", {"*"}, {{"alpha", 100}}));
  }
};

std::string chunk(const std::string& data) {
  char size[20];
  std::snprintf(size, sizeof size, "%zx\r\n", data.size());
  return size + data + "\r\n";
}

// An upstream that answers one request once its chunked body has ended, and notes when it
// has received `early` bytes of it: the proof that the body was passed on as it came.
class WatchingBackend {
 public:
  explicit WatchingBackend(std::size_t early) {
    thread_ = std::thread([this, early] {
      boost::system::error_code ec;
      asio::ip::tcp::socket socket(ioc_);
      acceptor_.accept(socket, ec);
      if (ec) {
        return;
      }
      std::string data;
      const std::size_t head = asio::read_until(socket, asio::dynamic_buffer(data), "\r\n\r\n", ec);
      while (!ec && data.size() < head + early) {
        asio::read(socket, asio::dynamic_buffer(data), asio::transfer_at_least(1), ec);
      }
      got_early_ = !ec;
      asio::read_until(socket, asio::dynamic_buffer(data), "\r\n0\r\n\r\n", ec);
      request_ = data;
      const std::string answer = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
      asio::write(socket, asio::buffer(answer), ec);
    });
  }
  ~WatchingBackend() {
    // Should nothing have connected, a connection of our own ends the accept.
    boost::system::error_code ec;
    asio::io_context ioc;
    asio::ip::tcp::socket poke(ioc);
    poke.connect(acceptor_.local_endpoint(), ec);
    thread_.join();
  }
  std::string endpoint() const {
    return "127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port());
  }
  bool gotEarly() const { return got_early_; }
  const std::string& request() const { return request_; }  // after the answer

 private:
  asio::io_context ioc_;
  asio::ip::tcp::acceptor acceptor_{ioc_, {asio::ip::make_address("127.0.0.1"), 0}};
  std::atomic<bool> got_early_{false};
  std::string request_;
  std::thread thread_;
};

}  // namespace

TEST_CASE("a large chunked request body reaches the upstream before the client finishes it",
          "[protocol]") {
  WatchingBackend watcher(200 * 1024);
  StreamingSetup setup;
  setup.config.services.push_back(makeService("watched", {watcher.endpoint()}));
  setup.config.routes.push_back(makeRoute("watched", "edge", {"watch.test"}, {{"watched", 100}}));
  ProxyUnderTest proxy(setup.config);

  RawConnection connection(setup.port);
  REQUIRE(connection.send(
      "POST /upload HTTP/1.1\r\nHost: watch.test\r\nTransfer-Encoding: chunked\r\n\r\n"));
  for (int i = 0; i < 5; ++i) {
    REQUIRE(connection.send(chunk(std::string(64 * 1024, static_cast<char>('a' + i)))));
  }
  // 320 KiB sent, the body not ended: the upstream must already have most of it.
  CHECK(eventually([&] { return watcher.gotEarly(); }, 5s));
  REQUIRE(connection.send(chunk("tail") + "0\r\n\r\n"));
  REQUIRE(connection.readUntil("\r\n\r\nok", 5s));
  CHECK(statusOf(connection.received()) == 200);
}

TEST_CASE("large request bodies are streamed whole, chunked or with a Content-Length",
          "[protocol]") {
  StreamingSetup setup;
  ProxyUnderTest proxy(setup.config);
  constexpr std::size_t kSize = 3 * 1024 * 1024 + 7;
  const std::string body(kSize, 'b');

  SECTION("Content-Length") {
    const std::string answer = sendAndHalfClose(
        setup.port,
        "POST /_echo HTTP/1.1\r\nHost: a.test\r\nContent-Length: " + std::to_string(kSize) +
            "\r\n\r\n" + body,
        20s);
    CHECK(statusOf(answer) == 200);
    CHECK(answer.find("\"body_bytes\":" + std::to_string(kSize)) != std::string::npos);
  }
  SECTION("chunked, in pieces of every size") {
    std::string chunked;
    std::size_t at = 0;
    for (std::size_t piece = 1; at < kSize; piece = piece * 3 + 1) {
      const std::size_t size = std::min(piece % 200000 + 1, kSize - at);
      chunked += chunk(body.substr(at, size));
      at += size;
    }
    const std::string answer = sendAndHalfClose(
        setup.port,
        "POST /_echo HTTP/1.1\r\nHost: a.test\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked +
            "0\r\n\r\n",
        20s);
    CHECK(statusOf(answer) == 200);
    CHECK(answer.find("\"body_bytes\":" + std::to_string(kSize)) != std::string::npos);
  }
  // The connection and the proxy are fine afterwards.
  HttpClient client(setup.port);
  CHECK(client.get("a.test").body == "alpha\n");
}

TEST_CASE("a streamed chunked body passing max_body_bytes is cut off with 413", "[protocol]") {
  StreamingSetup setup;
  setup.config.gateways[0].limits.max_body_bytes = 100 * 1024;
  ProxyUnderTest proxy(setup.config);
  RawConnection connection(setup.port);
  REQUIRE(connection.send(
      "POST /_echo HTTP/1.1\r\nHost: a.test\r\nTransfer-Encoding: chunked\r\n\r\n"));
  for (int i = 0; i < 4 && !connection.closed(); ++i) {
    connection.send(chunk(std::string(40 * 1024, 'c')));
  }
  REQUIRE(connection.readUntil("\r\n\r\n", 5s));
  CHECK(statusOf(connection.received()) == 413);
  CHECK(connection.waitClosed(5s));
}

}  // namespace gw::test
