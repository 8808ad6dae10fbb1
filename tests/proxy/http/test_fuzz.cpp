#include <atomic>
#include <catch2/catch.hpp>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "tests/proxy/support/harness.hpp"
#include "tests/proxy/support/wire.hpp"
#include "tests/support/process.hpp"

namespace gw::test {
namespace {

constexpr std::uint32_t kSeed = 20261126;
constexpr int kRequests = 5000;
constexpr int kClients = 8;
constexpr auto kTimeCap = std::chrono::seconds(30);

const std::vector<std::string>& validRequests() {
  static const std::vector<std::string> kValid = {
      "GET / HTTP/1.1\r\nHost: a.test\r\n\r\n",
      "GET /_echo?x=1 HTTP/1.1\r\nHost: a.test\r\nAccept: */*\r\nX-Trace: 42\r\n\r\n",
      "POST /_echo HTTP/1.1\r\nHost: a.test\r\nContent-Length: 5\r\n\r\nhello",
      // NOLINTNEXTLINE(bugprone-suspicious-missing-comma): one request, split
      "POST / HTTP/1.1\r\nHost: a.test\r\nTransfer-Encoding: chunked\r\n\r\n"
      "5\r\nhello\r\n3\r\nabc\r\n0\r\n\r\n",
      "GET /?size=10 HTTP/1.0\r\nHost: a.test\r\nConnection: keep-alive\r\n\r\n",
      "PUT /p HTTP/1.1\r\nHost: a.test\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\nabc",
  };
  return kValid;
}

const std::vector<std::string>& smugglingHeads() {
  static const std::vector<std::string> kHeads = {
      "Content-Length: 4\r\nTransfer-Encoding: chunked\r\n",
      "Transfer-Encoding: chunked\r\nContent-Length: 4\r\n",
      "Content-Length: 4\r\nContent-Length: 4\r\n",
      "Content-Length: 4, 5\r\n",
      "Content-Length: -4\r\n",
      "Content-Length: 0x4\r\n",
      "Transfer-Encoding: chunked, identity\r\n",
      "Transfer-Encoding: xchunked\r\n",
      "Transfer-Encoding:\r\n chunked\r\n",
      "Transfer-Encoding : chunked\r\n",
      "Transfer-Encoding: identity\r\nTransfer-Encoding: chunked\r\n",
      "Content-Length: 4\nX: y\r\n",
  };
  return kHeads;
}

std::string randomBytes(std::mt19937& rng, std::size_t size) {
  std::string out(size, '\0');
  for (char& c : out) {
    c = static_cast<char>(rng() & 0xff);
  }
  return out;
}

std::size_t below(std::mt19937& rng, std::size_t n) { return n == 0 ? 0 : rng() % n; }

// One hostile request, the same for the same index whatever thread sends it.
std::string hostileRequest(int index) {
  std::mt19937 rng(kSeed + static_cast<std::uint32_t>(index));
  std::string base = validRequests()[below(rng, validRequests().size())];
  switch (index % 9) {
    case 0:
      return randomBytes(rng, 1 + below(rng, 600));
    case 1: {  // bit flips
      const std::size_t flips = 1 + below(rng, 8);
      for (std::size_t i = 0; i < flips; ++i) {
        char& byte = base[below(rng, base.size())];
        byte = static_cast<char>(static_cast<unsigned char>(byte) ^ (1U << below(rng, 8)));
      }
      return base;
    }
    case 2:  // truncation
      return base.substr(0, below(rng, base.size()));
    case 3: {  // a slice duplicated elsewhere
      const std::size_t from = below(rng, base.size());
      const std::string slice = base.substr(from, 1 + below(rng, 40));
      base.insert(below(rng, base.size()), slice);
      return base;
    }
    case 4: {  // header flood
      std::string head = "GET / HTTP/1.1\r\nHost: a.test\r\n";
      const std::size_t count = 10 + below(rng, 300);
      for (std::size_t i = 0; i < count; ++i) {
        head += "X-F" + std::to_string(i) + ": " + std::to_string(rng()) + "\r\n";
      }
      return head + "\r\n";
    }
    case 5:  // a giant header
      return "GET / HTTP/1.1\r\nHost: a.test\r\nX-Giant: " +
             std::string(1000 + below(rng, 12000), 'g') + "\r\n\r\n";
    case 6: {  // bad chunk sizes
      static const std::vector<std::string> kSizes = {
          "zz", "-1", "ffffffffffffffffff", "5 5", "", "0x5", "5;", "\t5", "800"};
      return "POST / HTTP/1.1\r\nHost: a.test\r\nTransfer-Encoding: chunked\r\n\r\n" +
             kSizes[below(rng, kSizes.size())] + "\r\nhello\r\n0\r\n\r\n";
    }
    case 7:  // smuggling
      return "POST / HTTP/1.1\r\nHost: a.test\r\n" +
             smugglingHeads()[below(rng, smugglingHeads().size())] +
             "\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: a.test\r\n\r\n";
    default:  // a long request-target
      return "GET /" + std::string(500 + below(rng, 3000), 'u') +
             " HTTP/1.1\r\nHost: a.test\r\n\r\n";
  }
}

// What is wrong with `answer`, or "" when it is one the proxy may give.
std::string judge(std::string answer, bool timed_out) {
  if (timed_out) {
    return "no close after the client finished";
  }
  const std::string interim = "HTTP/1.1 100 Continue\r\n\r\n";
  if (answer.rfind(interim, 0) == 0) {
    answer.erase(0, interim.size());
  }
  const unsigned status = statusOf(answer);
  if (status == 0) {
    return answer.empty() ? "" : "not an HTTP answer";
  }
  const bool from_upstream = answer.find("x-backend:") != std::string::npos;
  if (from_upstream) {
    return "";
  }
  switch (status) {
    case 400:
    case 408:
    case 413:
    case 414:
    case 431:
      return "";
    default:
      return "gateway answered " + std::to_string(status);
  }
}

}  // namespace

TEST_CASE("thousands of hostile requests get a 4xx or a close and the proxy keeps serving",
          "[fuzz]") {
  EchoBackend backend{"alpha"};
  const std::uint16_t port = freePort();
  core::Config config;
  core::Gateway gateway = makeGateway("edge", {{core::Protocol::kHttp, port}});
  gateway.limits.max_header_bytes = 4096;
  gateway.limits.max_headers = 50;
  gateway.limits.max_uri_bytes = 1024;
  gateway.limits.max_body_bytes = 2048;
  gateway.timeouts.header_read = core::Millis(1000);
  config.gateways.push_back(gateway);
  config.services.push_back(makeService("alpha", {backend.endpoint()}));
  config.routes.push_back(makeRoute("alpha", "edge", {"*"}, {{"alpha", 100}}));
  ProxyUnderTest proxy(config);

  const auto start = std::chrono::steady_clock::now();
  std::atomic<int> sent{0};
  std::mutex mutex;
  std::vector<std::string> problems;
  std::vector<std::thread> clients;
  clients.reserve(kClients);
  for (int t = 0; t < kClients; ++t) {
    clients.emplace_back([&, t] {
      for (int i = t; i < kRequests; i += kClients) {
        if (std::chrono::steady_clock::now() - start > kTimeCap) {
          return;
        }
        const std::string request = hostileRequest(i);
        bool timed_out = false;
        std::string answer;
        try {
          answer = sendAndHalfClose(port, request, 3s, &timed_out);
        } catch (const std::exception& e) {
          answer = std::string("client failed: ") + e.what();
        }
        sent.fetch_add(1);
        const std::string problem = judge(answer, timed_out);
        if (!problem.empty()) {
          const std::lock_guard lock(mutex);
          problems.push_back("#" + std::to_string(i) + ": " + problem + "\n  sent: " +
                             request.substr(0, 200) + "\n  got: " + answer.substr(0, 200));
        }
      }
    });
  }
  // A few slow senders alongside: each is cut off by header_read.
  std::vector<SlowExchange> slow(3);
  std::vector<std::thread> trickles;
  trickles.reserve(slow.size());
  for (SlowExchange& exchange : slow) {
    trickles.emplace_back([&] {
      exchange =
          sendSlowly(port, "GET / HTTP/1.1\r\nHost: a.test\r\nX-Slow: trickle\r\n\r\n", 150ms, 5s);
    });
  }
  for (std::thread& thread : clients) {
    thread.join();
  }
  for (std::thread& thread : trickles) {
    thread.join();
  }

  INFO(sent.load() << " hostile requests sent");
  CHECK(sent.load() >= kRequests / 5);  // the time cap leaves at least this many on a busy box
  for (std::size_t i = 0; i < problems.size() && i < 5; ++i) {
    UNSCOPED_INFO(problems[i]);
  }
  CHECK(problems.empty());
  for (const SlowExchange& exchange : slow) {
    CHECK(exchange.closed);
    CHECK(statusOf(exchange.received) == 408);
  }

  // Still serving, correctly.
  HttpClient client(port);
  const Reply after = client.get("a.test");
  CHECK(after.status == 200);
  CHECK(after.body == "alpha\n");
}

}  // namespace gw::test
