// What a client connection costs the proxy: the syscalls of a connection per request (strace
// on the worker thread), and the memory an idle kept-alive connection holds.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <catch2/catch.hpp>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "proxy/session/in_flight.hpp"
#include "tests/proxy/support/harness.hpp"
#include "tests/proxy/support/wire.hpp"
#include "tests/support/syscall_trace.hpp"

namespace gw::test {
namespace {

const std::string kGet = "GET / HTTP/1.1\r\nHost: a.test\r\n\r\n";
const std::string kGetClose = "GET / HTTP/1.1\r\nHost: a.test\r\nConnection: close\r\n\r\n";

int connectTo(std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd < 0 || ::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    if (fd >= 0) {
      ::close(fd);
    }
    return -1;
  }
  const timeval wait{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait);
  return fd;
}

// Reads one answer whose body ends with `tail`.
bool readAnswer(int fd, const std::string& tail) {
  std::string got;
  char chunk[4096];
  while (!got.ends_with(tail)) {
    const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
    if (n <= 0) {
      return false;
    }
    got.append(chunk, static_cast<std::size_t>(n));
  }
  return true;
}

}  // namespace

TEST_CASE("a connection per request costs what nginx's costs: no half-close, no peer lookup",
          "[proxy][connection]") {
  EchoBackend backend("alpha");
  const auto port = freePort();
  ProxyUnderTest proxy(singleRoute(port, "alpha", backend.endpoint()), 1);
  REQUIRE(HttpClient(port).get("a.test").status == 200);  // the upstream connection is pooled
  const pid_t worker = threadNamed("gw-worker-0");
  REQUIRE(worker > 0);

  constexpr int kConnections = 20;
  SyscallTrace trace(worker, kTraceAll);
  for (int i = 0; i < kConnections; ++i) {
    const std::string answer = rawExchange(port, kGetClose);
    REQUIRE(statusOf(answer) == 200);
    REQUIRE(answer.ends_with("alpha\n"));
  }
  const SyscallCounts counts = trace.stop();
  std::string seen;
  for (const auto& [name, n] : counts.by_name) {
    seen += " " + name + " " + std::to_string(n);
  }
  INFO("syscalls: " << counts.total << ":" << seen);
  CHECK(counts.of("accept") + counts.of("accept4") >= kConnections);
  // The client said close and sent nothing after its request: nothing unread can turn the
  // close into a reset, so there is no half-close and no wait for the client's FIN.
  CHECK(counts.of("shutdown") == 0);
  CHECK(counts.of("getpeername") == 0);  // the address comes with accept
  CHECK(counts.of("setsockopt") == 0);   // TCP_NODELAY comes from the listening socket
  // Per connection: accept (and the one that finds no more), epoll_ctl, ioctl,
  // the request's recv, the upstream's send and recv, the answer's send, epoll_ctl, close,
  // and a recv that finds nothing yet now and then. The waits between them are left out:
  // one connection at a time here, where a loaded proxy shares each among many.
  CHECK(counts.total - counts.of("epoll_wait") <= kConnections * 12);
}

TEST_CASE("a client that says close but sends more still gets its whole answer",
          "[proxy][connection]") {
  EchoBackend backend("alpha");
  const auto port = freePort();
  ProxyUnderTest proxy(singleRoute(port, "alpha", backend.endpoint()), 1);
  // The second request is unread when the answer is done: the proxy half-closes and reads it
  // away before closing, so the client reads the first answer whole, then the end.
  const std::string answer = rawExchange(port, kGetClose + kGet);
  CHECK(statusOf(answer) == 200);
  CHECK(answer.ends_with("alpha\n"));
  CHECK(answer.find("HTTP/1.1", 1) == std::string::npos);  // one answer only
}

TEST_CASE("an idle kept-alive connection holds no buffers", "[proxy][connection][memory]") {
  EchoBackend backend("alpha");
  const auto port = freePort();
  ProxyUnderTest proxy(singleRoute(port, "alpha", backend.endpoint()), 1);

  // Batches of 20 at a time: the same few upstream connections serve them all.
  constexpr int kBatch = 20;
  std::vector<int> clients;
  const auto open = [&](int count) {
    for (int done = 0; done < count; done += kBatch) {
      std::vector<int> batch;
      for (int i = 0; i < kBatch; ++i) {
        const int fd = connectTo(port);
        REQUIRE(fd >= 0);
        REQUIRE(::send(fd, kGet.data(), kGet.size(), MSG_NOSIGNAL) ==
                static_cast<ssize_t>(kGet.size()));
        batch.push_back(fd);
      }
      for (const int fd : batch) {
        REQUIRE(readAnswer(fd, "alpha\n"));
        clients.push_back(fd);
      }
    }
  };
  open(200);  // the upstream connections, the caches and the heap warmed up
  const long before = residentKiB();
  constexpr int kIdle = 2000;
  open(kIdle);
  const long after = residentKiB();
  const double per_connection = static_cast<double>(after - before) / kIdle;
  INFO("RSS " << before << " KiB -> " << after << " KiB: " << per_connection
              << " KiB per idle connection");
  // A 16 KiB read buffer held per idle connection (its first page touched) would be > 4 KiB;
  // the connection itself (its session and the reactor's state) is about 1 KiB.
  CHECK(per_connection < 2.5);

  // They are open and served: each makes a second request.
  for (std::size_t i = 0; i < clients.size(); i += 97) {
    REQUIRE(::send(clients[i], kGet.data(), kGet.size(), MSG_NOSIGNAL) ==
            static_cast<ssize_t>(kGet.size()));
    CHECK(readAnswer(clients[i], "alpha\n"));
  }
  for (const int fd : clients) {
    ::close(fd);
  }
}

TEST_CASE("read buffers freed after a burst go back to the system", "[proxy][connection][memory]") {
  constexpr std::size_t kBuffers = 2048;  // 32 MiB of read buffers, every byte touched
  constexpr std::size_t kSize = 16 * 1024;
  std::vector<boost::beast::flat_buffer> buffers;
  std::vector<std::unique_ptr<std::array<char, 512>>> between;  // live, as sessions are
  const long before = residentKiB();
  for (std::size_t i = 0; i < kBuffers; ++i) {
    boost::beast::flat_buffer buffer = proxy::takeReadBuffer();
    const auto space = buffer.prepare(kSize);
    std::memset(space.data(), 'x', space.size());
    buffers.push_back(std::move(buffer));
    between.push_back(std::make_unique<std::array<char, 512>>());
  }
  const long peak = residentKiB();
  REQUIRE(peak - before > 24 * 1024);
  for (auto& buffer : buffers) {
    buffer.clear();
    proxy::giveReadBuffer(std::move(buffer));
  }
  proxy::releaseFreedMemory();  // the worker's sweep: once while freeing, once after
  proxy::releaseFreedMemory();
  const long after = residentKiB();
  INFO("RSS " << before << " KiB, " << peak << " KiB at the peak, " << after << " KiB after");
  // Whole pages inside the freed blocks go back; each block's first and last page stay,
  // shared with the live blocks beside it: about a third of the peak.
  CHECK(after - before < (peak - before) / 2);
}

}  // namespace gw::test
