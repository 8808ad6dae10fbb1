#include "tests/support/ports.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <deque>
#include <fstream>
#include <mutex>
#include <random>
#include <stdexcept>

#include "tests/support/eventually.hpp"

namespace gw::test {

void checkSys(int rc, const char* what) {
  if (rc < 0) {
    throw std::runtime_error(std::string(what) + ": " + std::strerror(errno));
  }
}

namespace {

// The lowest port the kernel hands out for bind(0) and connect(): ports below it are never
// taken behind a test's back by another test's backend or client.
unsigned ephemeralLow() {
  std::ifstream range("/proc/sys/net/ipv4/ip_local_port_range");
  unsigned low = 32768;
  range >> low;
  return low;
}

sockaddr_in loopback(std::uint16_t port) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(port);
  return addr;
}

// A TCP socket bound to 127.0.0.1:port (0: any free port), or -1 when the port is taken.
int boundSocket(std::uint16_t port) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  checkSys(fd, "socket");
  const sockaddr_in addr = loopback(port);
  if (bind(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

}  // namespace

std::uint16_t freePort() {
  // Picked at random below the ephemeral range, so that only another freePort() could pick the
  // same port in the moment before the caller binds it; this process never gets one of its
  // last 64 again (two ports asked for one config are often bound only later, together).
  static std::mutex mutex;
  static std::deque<std::uint16_t> recent;
  const std::lock_guard lock(mutex);
  static const unsigned kLow = ephemeralLow();
  const unsigned floor = kLow > 12000 ? kLow - 10000 : 1024;
  static thread_local std::mt19937 random(std::random_device{}());
  std::uniform_int_distribution<unsigned> pick(floor, kLow - 1);
  for (int attempt = 0; attempt < 1000; ++attempt) {
    const auto port = static_cast<std::uint16_t>(pick(random));
    if (std::find(recent.begin(), recent.end(), port) != recent.end()) {
      continue;
    }
    if (const int fd = boundSocket(port); fd >= 0) {
      close(fd);
      recent.push_back(port);
      if (recent.size() > 64) {
        recent.pop_front();
      }
      return port;
    }
  }
  throw std::runtime_error("no free loopback port below " + std::to_string(kLow));
}

DeadPort::DeadPort() : fd_(boundSocket(0)) {
  checkSys(fd_, "bind");
  sockaddr_in addr{};
  socklen_t len = sizeof addr;
  getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
}

DeadPort::~DeadPort() { close(fd_); }

bool portOpen(std::uint16_t port) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  const sockaddr_in addr = loopback(port);
  const bool ok = connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0;
  close(fd);
  return ok;
}

bool waitForPort(std::uint16_t port, std::chrono::milliseconds timeout) {
  return eventually([port] { return portOpen(port); }, timeout).held;
}

bool waitForPortClosed(std::uint16_t port, std::chrono::milliseconds timeout) {
  return eventually([port] { return !portOpen(port); }, timeout).held;
}

}  // namespace gw::test
