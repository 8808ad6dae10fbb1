// How the relay moves a large answer: in few, large reads and writes (counted with strace on
// the worker thread), and with backpressure: a client reading slowly holds a bounded amount
// of the proxy's memory however long the answer.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

#include "tests/proxy/support/harness.hpp"
#include "tests/support/process.hpp"
#include "tests/support/syscall_trace.hpp"

namespace gw::test {
namespace {

constexpr std::size_t kMiB = 1024 * 1024;

struct PiecesSetup {
  EchoBackend backend{"alpha"};
  std::uint16_t port = freePort();
  core::Config config = singleRoute(port, "alpha", backend.endpoint());
};

// A client socket with a small receive buffer, so the proxy's writes to it block soon.
int connectSmallWindow(std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  const int window = 16 * 1024;
  ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &window, sizeof window);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd);
    return -1;
  }
  const timeval wait{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait);
  return fd;
}

struct SlowRead {
  std::string head;          // the first piece received (the answer's head)
  std::size_t received = 0;  // every byte, up to the close
  long grew_kib = 0;         // how far this process's resident memory rose meanwhile
};

// Reads `fd` to its end far slower than an upstream sends, without keeping what it reads
// (but the first piece), watching the resident memory of this process (the proxy's).
SlowRead readSlowly(int fd) {
  SlowRead out;
  const long before = residentKiB();
  long highest = before;
  std::array<char, 32 * 1024> piece{};
  const auto give_up = std::chrono::steady_clock::now() + 60s;
  for (int reads = 0; std::chrono::steady_clock::now() < give_up; ++reads) {
    const ssize_t n = ::recv(fd, piece.data(), piece.size(), 0);
    if (n <= 0) {
      break;
    }
    if (reads == 0) {
      out.head.assign(piece.data(), static_cast<std::size_t>(n));
    }
    out.received += static_cast<std::size_t>(n);
    if (reads % 16 == 0) {
      highest = std::max(highest, residentKiB());
    }
    std::this_thread::sleep_for(1ms);
  }
  out.grew_kib = highest - before;
  return out;
}

}  // namespace

TEST_CASE("a 1 MiB answer is relayed in a bounded number of reads and writes",
          "[proxy][relay][pieces]") {
  PiecesSetup setup;
  ProxyUnderTest proxy(setup.config, 1);
  HttpClient client(setup.port);
  REQUIRE(client.get("a.test").status == 200);  // the upstream connection is pooled
  const pid_t worker = threadNamed("gw-worker-0");
  REQUIRE(worker > 0);

  for (const std::string framing : {"", "&chunked=1"}) {
    INFO("answer " << (framing.empty() ? "with a Content-Length" : "chunked"));
    SyscallTrace trace(worker);
    const Reply reply = client.get("a.test", "/?size=1048576" + framing);
    const SyscallCounts counts = trace.stop();
    REQUIRE(reply.status == 200);
    CHECK(reply.body.size() == kMiB);
    // Reads of 32 KiB need 32 of each for the body; a read may find less than it asks for
    // on a busy machine. Pieces of 512 bytes, as Beast's own reads would give, need 2,048.
    INFO("reads " << counts.reads << ", writes " << counts.writes);
    CHECK(counts.reads > 0);
    CHECK(counts.reads <= 128);
    CHECK(counts.writes > 0);
    CHECK(counts.writes <= 128);
  }
}

TEST_CASE("a client reading slowly holds a bounded amount of the proxy's memory",
          "[proxy][relay][pieces]") {
  PiecesSetup setup;
  ProxyUnderTest proxy(setup.config, 1);
  {
    HttpClient warm(setup.port);  // the worker's allocations for large answers, made once
    REQUIRE(warm.get("a.test", "/?size=4194304").body.size() == 4 * kMiB);
  }
  const int fd = connectSmallWindow(setup.port);
  REQUIRE(fd >= 0);
  constexpr std::size_t kAnswer = 32 * kMiB;
  const std::string request = "GET /?size=" + std::to_string(kAnswer) +
                              " HTTP/1.1\r\nHost: a.test\r\nConnection: close\r\n\r\n";
  REQUIRE(::send(fd, request.data(), request.size(), MSG_NOSIGNAL) ==
          static_cast<ssize_t>(request.size()));
  const SlowRead read = readSlowly(fd);
  ::close(fd);
  CHECK(read.received > kAnswer);  // the head and the whole body, up to the close
  // The kernel's socket buffers hold some of the answer; the proxy holds one buffer of it.
  // A proxy that read ahead of the client would hold most of the 32 MiB.
  INFO("resident memory grew by " << read.grew_kib << " KiB");
  CHECK(read.grew_kib < 4 * 1024);
}

TEST_CASE("a client reading a compressed answer slowly holds a bounded amount of memory",
          "[proxy][relay][pieces][compress]") {
  PiecesSetup setup;
  setup.config.routes[0].compress = core::Compress{};
  ProxyUnderTest proxy(setup.config, 1);
  {
    HttpClient warm(setup.port);  // the worker's allocations for large answers, made once
    REQUIRE(warm.request("GET", "a.test", "/?size=4194304&random=1", {{"Accept-Encoding", "gzip"}})
                .header("content-encoding") == "gzip");
  }
  const int fd = connectSmallWindow(setup.port);
  REQUIRE(fd >= 0);
  constexpr std::size_t kAnswer = 16 * kMiB;
  const std::string request = "GET /?random=1&size=" + std::to_string(kAnswer) +
                              " HTTP/1.1\r\nHost: a.test\r\nAccept-Encoding: gzip\r\n"
                              "Connection: close\r\n\r\n";
  REQUIRE(::send(fd, request.data(), request.size(), MSG_NOSIGNAL) ==
          static_cast<ssize_t>(request.size()));
  const SlowRead read = readSlowly(fd);
  ::close(fd);
  REQUIRE(read.head.find("Content-Encoding: gzip") != std::string::npos);
  // Letters compress to some 60%: the answer is still ~10 MiB that the client takes slowly.
  CHECK(read.received > kAnswer / 2);
  INFO("resident memory grew by " << read.grew_kib << " KiB");
  CHECK(read.grew_kib < 6 * 1024);
}

}  // namespace gw::test
