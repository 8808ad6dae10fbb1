#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <catch2/catch.hpp>
#include <thread>

#include "tests/proxy/support/harness.hpp"
#include "tests/support/eventually.hpp"
#include "tests/support/process.hpp"

namespace gw::test {
namespace {

core::Config oneRoute(std::uint16_t port, const EchoBackend& backend) {
  core::Config config = singleRoute(port, "alpha", backend.endpoint(), "alpha.test");
  return config;
}

// Holds a port the way another program would: bound and listening, without SO_REUSEPORT.
struct PortSquatter {
  boost::asio::io_context ioc;
  boost::asio::ip::tcp::acceptor acceptor{
      ioc, {boost::asio::ip::make_address("127.0.0.1"), 0}, false};
  std::uint16_t port() const { return acceptor.local_endpoint().port(); }
};

}  // namespace

TEST_CASE("a reload opens a new listener and serves a new route", "[proxy][reload]") {
  EchoBackend a("alpha");
  EchoBackend b("beta");
  const auto port = freePort();
  const auto second_port = freePort();
  ProxyUnderTest proxy(oneRoute(port, a));
  HttpClient before(port);
  REQUIRE(before.get("beta.test").status == 404);

  core::Config next = oneRoute(port, a);
  next.gateways.push_back(makeGateway("more", {{core::Protocol::kHttp, second_port}}));
  next.services.push_back(makeService("beta", {b.endpoint()}));
  next.routes.push_back(makeRoute("beta", "edge", {"beta.test"}, {{"beta", 100}}));
  next.routes.push_back(makeRoute("more", "more", {"*"}, {{"beta", 100}}));
  proxy.setConfig(next);
  const auto reloaded = proxy.server().reload();
  REQUIRE(reloaded);
  CHECK(reloaded.value() == 2);
  CHECK(proxy.server().revision() == 2);

  // The connection opened before the reload uses the new routes for its next request.
  CHECK(before.get("beta.test").header("x-backend") == "beta");
  CHECK(before.get("alpha.test").header("x-backend") == "alpha");
  CHECK(HttpClient(second_port).get("whatever.test").header("x-backend") == "beta");

  // And a reload back closes the extra listener.
  proxy.setConfig(oneRoute(port, a));
  REQUIRE(proxy.server().reload());
  CHECK(waitForPortClosed(second_port, 5s));
  CHECK(before.get("alpha.test").status == 200);
}

TEST_CASE("a listener that cannot be bound fails the reload and changes nothing",
          "[proxy][reload]") {
  EchoBackend a("alpha");
  PortSquatter squatter;
  const auto port = freePort();
  ProxyUnderTest proxy(oneRoute(port, a));

  core::Config next = oneRoute(port, a);
  next.gateways.push_back(makeGateway("taken", {{core::Protocol::kHttp, squatter.port()}}));
  next.routes.push_back(makeRoute("changed", "edge", {"changed.test"}, {{"alpha", 100}}));
  proxy.setConfig(next);
  const auto reloaded = proxy.server().reload();
  REQUIRE_FALSE(reloaded);
  const std::string message = reloaded.error().message;
  CHECK(message.find("gateway taken listener http") != std::string::npos);
  CHECK(message.find(std::to_string(squatter.port())) != std::string::npos);
  CHECK(proxy.server().revision() == 1);

  HttpClient client(port);
  CHECK(client.get("alpha.test").status == 200);
  CHECK(client.get("changed.test").status == 404);
}

TEST_CASE("a listener that cannot be bound fails start with the same message", "[proxy][reload]") {
  EchoBackend a("alpha");
  PortSquatter squatter;
  const auto started = ProxyUnderTest::tryStart(oneRoute(squatter.port(), a));
  REQUIRE_FALSE(started);
  CHECK(started.error().message.find("gateway edge listener http: cannot listen on 127.0.0.1:" +
                                     std::to_string(squatter.port())) != std::string::npos);
}

TEST_CASE("a second proxy on a port the first one serves fails to start", "[proxy][reload]") {
  // Both set SO_REUSEPORT: without a check the second would bind and take half the traffic.
  EchoBackend a("alpha");
  const auto port = freePort();
  ProxyUnderTest first(oneRoute(port, a));
  const auto second = ProxyUnderTest::tryStart(oneRoute(port, a));
  REQUIRE_FALSE(second);
  CHECK(second.error().message.find("cannot listen on 127.0.0.1:" + std::to_string(port)) !=
        std::string::npos);
  CHECK(HttpClient(port).get("alpha.test").status == 200);
}

TEST_CASE("a listener moved to another address on the same port reloads", "[proxy][reload]") {
  EchoBackend a("alpha");
  const auto port = freePort();
  ProxyUnderTest proxy(oneRoute(port, a));
  core::Config moved = oneRoute(port, a);
  moved.gateways[0].address = "127.0.0.2";  // still loopback
  proxy.setConfig(moved);
  REQUIRE(proxy.server().reload());

  boost::asio::io_context ioc;
  boost::asio::ip::tcp::socket socket(ioc);
  socket.connect({boost::asio::ip::make_address("127.0.0.2"), port});
  boost::asio::write(
      socket, boost::asio::buffer(
                  std::string("GET / HTTP/1.1\r\nHost: alpha.test\r\nConnection: close\r\n\r\n")));
  std::string answer;
  boost::system::error_code ec;
  boost::asio::read(socket, boost::asio::dynamic_buffer(answer), ec);
  CHECK(answer.rfind("HTTP/1.1 200", 0) == 0);
}

TEST_CASE("an invalid config is refused and the old one keeps serving", "[proxy][reload]") {
  EchoBackend a("alpha");
  const auto port = freePort();
  ProxyUnderTest proxy(oneRoute(port, a));

  core::Config broken = oneRoute(port, a);
  broken.routes.push_back(makeRoute("lost", "edge", {"lost.test"}, {{"missing", 100}}));
  proxy.setConfig(broken);
  const auto reloaded = proxy.server().reload();
  REQUIRE_FALSE(reloaded);
  CHECK(
      reloaded.error().details ==
      std::vector<std::string>{R"(routes[1].destinations[0].service: no service named "missing")"});
  CHECK(HttpClient(port).get("alpha.test").status == 200);
}

TEST_CASE("reloads under load lose no request", "[proxy][reload]") {
  EchoBackend a("alpha");
  EchoBackend b("beta");
  const auto port = freePort();
  const auto spare_port = freePort();
  core::Config first = oneRoute(port, a);
  first.services.push_back(makeService("beta", {b.endpoint()}));
  core::Config second = first;
  second.routes[0].destinations = {{"alpha", 50}, {"beta", 50}};
  second.gateways.push_back(makeGateway("spare", {{core::Protocol::kHttp, spare_port}}));
  ProxyUnderTest proxy(first);

  constexpr int kClients = 2;
  constexpr int kRequests = 300;
  std::atomic<int> ok{0};
  std::atomic<int> failed{0};
  std::atomic<int> finished{0};
  std::vector<std::thread> clients;
  clients.reserve(kClients);
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&] {
      try {
        HttpClient client(port, 10s);
        for (int i = 0; i < kRequests; ++i) {
          (client.get("alpha.test").status == 200 ? ok : failed)++;
        }
      } catch (const std::exception&) {
        ++failed;
      }
      ++finished;
    });
  }
  int reloads = 0;
  for (int i = 0; i < 20; ++i) {
    // Paced by the traffic rather than by time: each reload waits for an answer after the
    // previous one (or for the clients to be done), so the reloads fall among the requests.
    const int answered = ok + failed;
    CHECK(eventually([&] { return ok + failed > answered || finished == kClients; }, 10s));
    proxy.setConfig(i % 2 == 0 ? second : first);
    reloads += proxy.server().reload() ? 1 : 0;
  }
  for (auto& t : clients) {
    t.join();
  }
  CHECK(reloads == 20);
  CHECK(failed == 0);
  CHECK(ok == kClients * kRequests);
}

}  // namespace gw::test
