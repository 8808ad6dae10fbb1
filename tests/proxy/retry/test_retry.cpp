#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <stdexcept>

#include "tests/proxy/support/counting_backend.hpp"
#include "tests/proxy/support/harness.hpp"
#include "tests/support/process.hpp"

namespace gw::test {
namespace {

using Clock = std::chrono::steady_clock;

struct RetrySetup {
  EchoBackend good{"good"};
  CountingBackend failing{503};
  std::uint16_t port = freePort();
  core::Config config;

  RetrySetup() { config.gateways.push_back(makeGateway("edge", {{core::Protocol::kHttp, port}})); }
  core::Route& add(const std::string& host, const std::string& service, int attempts,
                   std::vector<std::string> on = {}) {
    core::Route route = makeRoute(host, "edge", {host}, {{service, 100}});
    route.retries.attempts = attempts;
    route.retries.on = std::move(on);
    route.retries.budget_percent = 100;  // these tests are about conditions, not the budget
    config.routes.push_back(std::move(route));
    return config.routes.back();
  }
};

// A listener that never accepts, its accept queue filled: the kernel then drops further
// SYNs, so a connect to it neither succeeds nor fails until the client gives up.
class BlackholeListener {
 public:
  BlackholeListener() {
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t size = sizeof address;
    REQUIRE(::bind(listener_, reinterpret_cast<sockaddr*>(&address), size) == 0);
    REQUIRE(::listen(listener_, 0) == 0);
    ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &size);
    port_ = ntohs(address.sin_port);
    for (int i = 0; i < 4; ++i) {
      const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
      ::fcntl(fd, F_SETFL, O_NONBLOCK);
      // Non-blocking: EINPROGRESS is the expected answer; the poll below waits for the queue.
      static_cast<void>(::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address));
      fillers_.push_back(fd);
    }
    // With a backlog of 0 the accept queue holds one connection, so it is full once the
    // listener turns readable: wait for that rather than for the handshakes to be timed.
    pollfd queued{listener_, POLLIN, 0};
    if (::poll(&queued, 1, 5000) != 1) {
      throw std::runtime_error("the blackhole listener's accept queue did not fill");
    }
  }
  ~BlackholeListener() {
    for (const int fd : fillers_) {
      ::close(fd);
    }
    ::close(listener_);
  }
  std::string endpoint() const { return "127.0.0.1:" + std::to_string(port_); }

 private:
  int listener_ = -1;
  std::uint16_t port_ = 0;
  std::vector<int> fillers_;
};

}  // namespace

TEST_CASE("a connect that exceeds the service's connect timeout fails fast with 502", "[retry]") {
  RetrySetup setup;
  BlackholeListener blackhole;
  core::Service hole = makeService("hole", {blackhole.endpoint()});
  hole.connect_timeout = core::Millis(200);
  setup.config.services.push_back(hole);
  core::Service pair = makeService("pair", {blackhole.endpoint(), setup.good.endpoint()});
  pair.connect_timeout = core::Millis(200);
  setup.config.services.push_back(pair);
  setup.add("hole.test", "hole", 0);
  setup.add("pair.test", "pair", 1);
  ProxyUnderTest proxy(setup.config);
  HttpClient client(setup.port);

  auto started = Clock::now();
  const Reply reply = client.get("hole.test", "/");
  CHECK(reply.status == 502);
  CHECK(reply.header("x-gw-error") == "upstream_connect");
  CHECK(Clock::now() - started < 1500ms);  // the route's timeout is 15 s
  for (int i = 0; i < 4; ++i) {  // a connect timeout is a connect failure: retried elsewhere
    started = Clock::now();
    CHECK(client.get("pair.test", "/").status == 200);
    CHECK(Clock::now() - started < 1500ms);
  }
}

TEST_CASE("a 503 is retried on the other endpoint and the client gets its answer", "[retry]") {
  RetrySetup setup;
  setup.config.services.push_back(
      makeService("pair", {setup.failing.endpoint(), setup.good.endpoint()}));
  setup.add("pair.test", "pair", 1, {"503"});
  ProxyUnderTest proxy(setup.config);
  HttpClient client(setup.port);

  for (int i = 0; i < 10; ++i) {
    const Reply reply = client.get("pair.test", "/");
    CHECK(reply.status == 200);
    CHECK(reply.header("x-backend") == "good");
  }
  CHECK(setup.failing.requests() >= 1);  // round-robin sent first tries there too
}

TEST_CASE("POST is not retried unless the policy allows non-idempotent retries", "[retry]") {
  RetrySetup setup;
  setup.config.services.push_back(makeService("failing", {setup.failing.endpoint()}));
  setup.add("strict.test", "failing", 2, {"503"});
  setup.add("lenient.test", "failing", 2, {"503"}).retries.non_idempotent = true;
  ProxyUnderTest proxy(setup.config);
  HttpClient client(setup.port);

  CHECK(client.request("POST", "strict.test", "/", {}, "order=1").status == 503);
  CHECK(setup.failing.requests() == 1);
  CHECK(client.get("strict.test", "/").status == 503);  // GET: the first try and 2 retries
  CHECK(setup.failing.requests() == 4);
  CHECK(client.request("POST", "lenient.test", "/", {}, "order=1").status == 503);
  CHECK(setup.failing.requests() == 7);
  CHECK(setup.failing.lastMethod() == "POST");
}

TEST_CASE("a refused connection is retried on another endpoint", "[retry]") {
  RetrySetup setup;
  const DeadPort dead;
  setup.config.services.push_back(makeService("half", {dead.endpoint(), setup.good.endpoint()}));
  setup.add("half.test", "half", 1);  // no condition: connect failures
  setup.add("bare.test", "half", 0);
  ProxyUnderTest proxy(setup.config);
  HttpClient client(setup.port);

  for (int i = 0; i < 6; ++i) {
    CHECK(client.get("half.test", "/").status == 200);
  }
  int refused = 0;
  for (int i = 0; i < 6; ++i) {
    const Reply reply = client.get("bare.test", "/");
    if (reply.status == 502) {
      CHECK(reply.header("x-gw-error") == "upstream_connect");
      ++refused;
    }
  }
  CHECK(refused >= 1);  // without retries, the dead endpoint's share fails
}

TEST_CASE("a try slower than the per-try timeout moves on to the next endpoint", "[retry]") {
  RetrySetup setup;
  CountingBackend slow(200, 2s);
  setup.config.services.push_back(makeService("mixed", {slow.endpoint(), setup.good.endpoint()}));
  setup.add("mixed.test", "mixed", 1).retries.per_try_timeout = core::Millis(200);
  ProxyUnderTest proxy(setup.config);
  HttpClient client(setup.port);

  for (int i = 0; i < 4; ++i) {
    const auto started = Clock::now();
    const Reply reply = client.get("mixed.test", "/");
    CHECK(reply.status == 200);
    CHECK(reply.header("x-backend") == "good");
    CHECK(Clock::now() - started < 1500ms);
  }
  CHECK(slow.requests() >= 1);
}

TEST_CASE("when every try times out the client gets 504 upstream_timeout", "[retry]") {
  RetrySetup setup;
  setup.config.services.push_back(makeService("good", {setup.good.endpoint()}));
  setup.add("pertry.test", "good", 2).retries.per_try_timeout = core::Millis(150);
  core::Route& bounded = setup.add("route.test", "good", 5);
  bounded.retries.per_try_timeout = core::Millis(300);
  bounded.timeout = core::Millis(400);
  ProxyUnderTest proxy(setup.config);
  HttpClient client(setup.port);

  SECTION("per-try timeouts, attempts used up") {
    const auto started = Clock::now();
    const Reply reply = client.get("pertry.test", "/?delay=2s");
    const auto took = Clock::now() - started;
    CHECK(reply.status == 504);
    CHECK(reply.header("x-gw-error") == "upstream_timeout");
    CHECK(took >= 400ms);  // three tries of 150 ms
    CHECK(took < 1500ms);
  }
  SECTION("the route's timeout ends the request even with retries left") {
    const auto started = Clock::now();
    const Reply reply = client.get("route.test", "/?delay=2s");
    const auto took = Clock::now() - started;
    CHECK(reply.status == 504);
    CHECK(reply.header("x-gw-error") == "upstream_timeout");
    CHECK(took >= 350ms);
    CHECK(took < 1200ms);
  }
  CHECK(client.get("pertry.test", "/").status == 200);
}

TEST_CASE("the retry budget keeps an outage from being multiplied by the retries", "[retry]") {
  RetrySetup setup;
  setup.config.services.push_back(makeService("failing", {setup.failing.endpoint()}));
  setup.add("outage.test", "failing", 3, {"5xx"}).retries.budget_percent = 20;
  ProxyUnderTest proxy(setup.config, 2);
  HttpClient client(setup.port);

  constexpr int kRequests = 200;
  const auto started = Clock::now();
  for (int i = 0; i < kRequests && Clock::now() - started < 30s; ++i) {
    REQUIRE(client.get("outage.test", "/").status == 503);
  }
  const int tries = setup.failing.requests();
  // Per worker: 3 retries of floor plus 20 % of its requests; without the budget, 800 tries.
  CHECK(tries <= kRequests + kRequests * 20 / 100 + 3 * 2);
  CHECK(tries >= kRequests + kRequests * 20 / 100 - 3);  // and the budget did allow retries
}

TEST_CASE("a connect failure that the retry budget does not cover says retry_budget_exhausted",
          "[retry]") {
  RetrySetup setup;
  const DeadPort dead;
  setup.config.services.push_back(makeService("down", {dead.endpoint()}));
  setup.add("down.test", "down", 2).retries.budget_percent = 0;  // the floor only
  ProxyUnderTest proxy(setup.config, 1);
  HttpClient client(setup.port);

  int exhausted = 0;
  int connect = 0;
  for (int i = 0; i < 12; ++i) {
    const Reply reply = client.get("down.test", "/");
    REQUIRE(reply.status == 502);
    const std::string reason = reply.header("x-gw-error");
    exhausted += reason == "retry_budget_exhausted" ? 1 : 0;
    connect += reason == "upstream_connect" ? 1 : 0;
  }
  // The floor's few retries run (and fail: upstream_connect); after that the budget refuses.
  CHECK(connect >= 1);
  CHECK(exhausted >= 6);
  CHECK(exhausted + connect == 12);
}

}  // namespace gw::test
