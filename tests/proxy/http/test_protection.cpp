#include <catch2/catch.hpp>
#include <string>

#include "tests/proxy/support/admin_status.hpp"
#include "tests/proxy/support/harness.hpp"
#include "tests/proxy/support/wire.hpp"
#include "tests/support/eventually.hpp"
#include "tests/support/process.hpp"

namespace gw::test {
namespace {

// A gateway with small limits, so each is reached with little traffic.
struct GuardedSetup {
  EchoBackend backend{"alpha"};
  std::uint16_t port = freePort();
  core::Config config;

  GuardedSetup() {
    core::Gateway gateway = makeGateway("edge", {{core::Protocol::kHttp, port}});
    gateway.limits.max_header_bytes = 4096;
    gateway.limits.max_headers = 20;
    gateway.limits.max_uri_bytes = 1024;
    gateway.limits.max_body_bytes = 1000;
    gateway.timeouts.header_read = core::Millis(1000);
    gateway.timeouts.idle = core::Millis(600);
    gateway.timeouts.write = core::Millis(1000);
    config.gateways.push_back(gateway);
    config.services.push_back(makeService("alpha", {backend.endpoint()}));
    config.routes.push_back(makeRoute("alpha", "edge", {"*"}, {{"alpha", 100}}));
  }
};

std::string get(const std::string& target, const std::string& extra = "") {
  return "GET " + target + " HTTP/1.1\r\nHost: a.test\r\n" + extra + "\r\n";
}

// The answer to `bytes` on a connection the client keeps open: the proxy must close it.
struct Refusal {
  unsigned status = 0;
  bool closed = false;
  std::string answer;
};
Refusal refusalOf(std::uint16_t port, const std::string& bytes) {
  RawConnection connection(port);
  connection.send(bytes);
  Refusal refusal;
  refusal.closed = connection.waitClosed(5s);
  refusal.answer = connection.received();
  refusal.status = statusOf(refusal.answer);
  return refusal;
}

}  // namespace

TEST_CASE("a head over max_header_bytes or with too many headers is refused with 431",
          "[protection]") {
  GuardedSetup setup;
  ProxyUnderTest proxy(setup.config);

  const Refusal big = refusalOf(setup.port, get("/", "X-Big: " + std::string(5000, 'b') + "\r\n"));
  CHECK(big.status == 431);
  CHECK(big.closed);
  CHECK(big.answer.find("x-gw-error: header_too_large") != std::string::npos);

  std::string many;
  for (int i = 0; i < 25; ++i) {
    many += "X-H" + std::to_string(i) + ": v\r\n";
  }
  const Refusal flood = refusalOf(setup.port, get("/", many));
  CHECK(flood.status == 431);
  CHECK(flood.closed);

  // Just under both limits is served.
  std::string fine;
  for (int i = 0; i < 15; ++i) {
    fine += "X-H" + std::to_string(i) + ": v\r\n";
  }
  CHECK(statusOf(sendAndHalfClose(setup.port, get("/", fine))) == 200);
}

TEST_CASE("a request-target over max_uri_bytes is refused with 414", "[protection]") {
  GuardedSetup setup;
  ProxyUnderTest proxy(setup.config);
  // Within the head limit, and far over it: both are the URI's fault.
  for (const std::size_t size : {2000U, 6000U}) {
    const Refusal long_uri = refusalOf(setup.port, get("/" + std::string(size, 'u')));
    CHECK(long_uri.status == 414);
    CHECK(long_uri.closed);
  }
  CHECK(statusOf(sendAndHalfClose(setup.port, get("/" + std::string(900, 'u')))) == 200);
}

TEST_CASE("a body over max_body_bytes is refused with 413", "[protection]") {
  GuardedSetup setup;
  ProxyUnderTest proxy(setup.config);

  SECTION("with a Content-Length, at once, before the body is sent") {
    RawConnection connection(setup.port);
    connection.send("POST / HTTP/1.1\r\nHost: a.test\r\nContent-Length: 5000\r\n\r\n");
    REQUIRE(connection.readUntil("\r\n\r\n", 3s));
    CHECK(statusOf(connection.received()) == 413);
    CHECK(connection.waitClosed(5s));
  }
  SECTION("chunked, once the count passes it") {
    RawConnection connection(setup.port);
    connection.send("POST / HTTP/1.1\r\nHost: a.test\r\nTransfer-Encoding: chunked\r\n\r\n");
    const std::string chunk = "200\r\n" + std::string(0x200, 'c') + "\r\n";
    connection.send(chunk);  // 512 bytes: still under the limit, no answer yet
    CHECK_FALSE(connection.readUntil("HTTP/1.1", 300ms));
    connection.send(chunk);
    REQUIRE(connection.readUntil("\r\n\r\n", 3s));
    CHECK(statusOf(connection.received()) == 413);
    CHECK(connection.waitClosed(5s));
  }
  SECTION("a body within the limit is served") {
    const std::string body(900, 'k');
    CHECK(statusOf(sendAndHalfClose(
              setup.port,
              "POST / HTTP/1.1\r\nHost: a.test\r\nContent-Length: 900\r\n\r\n" + body)) == 200);
  }
}

TEST_CASE("a client trickling its head is answered 408 and closed within header_read",
          "[protection]") {
  GuardedSetup setup;
  ProxyUnderTest proxy(setup.config);
  // One byte every 100 ms would take 6 s to finish this head; header_read is 1 s.
  const std::string head = get("/", "X-Slow: " + std::string(30, 's') + "\r\n");
  const SlowExchange slow = sendSlowly(setup.port, head, 100ms, 5s);
  CHECK(slow.closed);
  CHECK(statusOf(slow.received) == 408);
  CHECK(slow.closed_after >= 900ms);
  CHECK(slow.closed_after < 2500ms);
}

TEST_CASE("an idle keep-alive connection is closed after the gateway's idle timeout",
          "[protection]") {
  GuardedSetup setup;
  ProxyUnderTest proxy(setup.config);
  RawConnection connection(setup.port);
  connection.send(get("/"));
  REQUIRE(connection.readUntil("alpha\n", 3s));
  const auto answered = std::chrono::steady_clock::now();
  CHECK_FALSE(connection.waitClosed(300ms));  // kept alive for a while
  CHECK(connection.waitClosed(3s));
  CHECK(std::chrono::steady_clock::now() - answered < 2s);
}

TEST_CASE("a client that stops reading its answer is dropped after the gateway's write timeout",
          "[protection]") {
  GuardedSetup setup;
  ProxyUnderTest proxy(setup.config);
  RawConnection connection(setup.port);
  // 32 MiB: more than the socket buffers on both sides hold, and the client reads nothing.
  REQUIRE(connection.send(get("/?size=33554432")));
  const auto sent = std::chrono::steady_clock::now();
  REQUIRE(eventually([&] { return adminStatus(proxy)["connections"] == 1; }, 3s));
  CHECK(eventually([&] { return adminStatus(proxy)["connections"] == 0; }, 5s));
  CHECK(std::chrono::steady_clock::now() - sent >= 900ms);  // not before the write timeout
}

TEST_CASE("ambiguous framing is refused with 400 and the connection closed", "[protection]") {
  GuardedSetup setup;
  ProxyUnderTest proxy(setup.config);
  // Each would let a front end and a back end disagree on where the body ends; the bytes
  // after it are a smuggled request that must never be answered.
  const std::string smuggled = "GET /smuggled HTTP/1.1\r\nHost: a.test\r\n\r\n";
  const std::string post = "POST / HTTP/1.1\r\nHost: a.test\r\n";
  const auto [name, head] = GENERATE_REF(table<std::string, std::string>({
      {"Content-Length and chunked", post + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n"},
      {"chunked and Content-Length", post + "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n"},
      {"identity and Content-Length",
       post + "Transfer-Encoding: identity\r\nContent-Length: 5\r\n"},
      {"equal Content-Lengths", post + "Content-Length: 5\r\nContent-Length: 5\r\n"},
      {"differing Content-Lengths", post + "Content-Length: 5\r\nContent-Length: 6\r\n"},
      {"a Content-Length list", post + "Content-Length: 5, 5\r\n"},
      {"a signed Content-Length", post + "Content-Length: +5\r\n"},
      {"a negative Content-Length", post + "Content-Length: -5\r\n"},
      {"a Content-Length with letters", post + "Content-Length: 5x\r\n"},
      {"an overflowing Content-Length", post + "Content-Length: 99999999999999999999999\r\n"},
      {"a coding after chunked", post + "Transfer-Encoding: chunked, identity\r\n"},
      {"an unknown coding", post + "Transfer-Encoding: xchunked\r\n"},
      {"identity alone", post + "Transfer-Encoding: identity\r\n"},
      {"two Transfer-Encodings",
       post + "Transfer-Encoding: identity\r\nTransfer-Encoding: chunked\r\n"},
      {"a folded Transfer-Encoding", post + "Transfer-Encoding:\r\n chunked\r\n"},
      {"a folded header", post + "Content-Length: 5\r\nX-Folded: a\r\n\tb\r\n"},
      {"whitespace before the colon", post + "Content-Length : 5\r\n"},
      {"a bare LF", post + "Content-Length: 5\nX-A: b\r\n"},
      {"a bare CR", post + "Content-Length: 5\rX-A: b\r\n"},
      {"chunked in HTTP/1.0", "POST / HTTP/1.0\r\nHost: a.test\r\nTransfer-Encoding: chunked\r\n"},
      {"two Hosts", "GET / HTTP/1.1\r\nHost: a.test\r\nHost: b.test\r\n"},
  }));
  CAPTURE(name);
  const Refusal refusal = refusalOf(setup.port, head + "\r\n0\r\n\r\n" + smuggled);
  CHECK(refusal.status == 400);
  CHECK(refusal.closed);
  CHECK(refusal.answer.find("HTTP/1.1", 1) == std::string::npos);  // one answer only
}

TEST_CASE("a bad chunk size is refused with 400", "[protection]") {
  GuardedSetup setup;
  ProxyUnderTest proxy(setup.config);
  const Refusal refusal = refusalOf(setup.port,
                                    "POST / HTTP/1.1\r\nHost: a.test\r\nTransfer-Encoding: "
                                    "chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n");
  CHECK(refusal.status == 400);
  CHECK(refusal.closed);
}

TEST_CASE("gateway-made answers never name an upstream address", "[protection]") {
  GuardedSetup setup;
  const DeadPort dead;
  setup.config.services.push_back(makeService("dead", {dead.endpoint()}));
  setup.config.routes.push_back(makeRoute("dead", "edge", {"dead.test"}, {{"dead", 100}}));
  core::Route slow = makeRoute("slow", "edge", {"slow.test"}, {{"alpha", 100}});
  slow.timeout = core::Millis(200);
  setup.config.routes.push_back(slow);
  ProxyUnderTest proxy(setup.config);

  const std::string backend_port = std::to_string(setup.backend.port());
  const std::vector<std::pair<std::string, unsigned>> cases = {
      {"GET / HTTP/1.1\r\nHost: dead.test\r\n\r\n", 502},
      {"GET /?delay=2s HTTP/1.1\r\nHost: slow.test\r\n\r\n", 504},
      {"GET / HTTP/1.1\r\nHost: a.test\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", 400},
      {"GET /" + std::string(2000, 'u') + " HTTP/1.1\r\nHost: a.test\r\n\r\n", 414},
  };
  for (const auto& [request, status] : cases) {
    const std::string answer = sendAndHalfClose(setup.port, request);
    CAPTURE(answer);
    CHECK(statusOf(answer) == status);
    CHECK(answer.find("127.0.0.1") == std::string::npos);
    CHECK(answer.find(std::to_string(dead.port())) == std::string::npos);
    CHECK(answer.find(backend_port) == std::string::npos);
  }
}

}  // namespace gw::test
