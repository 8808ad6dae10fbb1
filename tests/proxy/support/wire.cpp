#include "tests/proxy/support/wire.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <stdexcept>

namespace gw::test {
namespace {

using Clock = std::chrono::steady_clock;

int remainingMs(Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return left.count() > 0 ? static_cast<int>(left.count()) : 0;
}

}  // namespace

RawConnection::RawConnection(std::uint16_t port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
  if (fd_ < 0) {
    throw std::runtime_error("socket failed");
  }
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd_);
    throw std::runtime_error("connect to 127.0.0.1:" + std::to_string(port) + " failed");
  }
}

RawConnection::~RawConnection() { ::close(fd_); }

// Reads what arrives within `wait_ms`; false once the peer has closed (or reset).
bool RawConnection::readFor(int wait_ms) {
  if (closed_) {
    return false;
  }
  pollfd p{fd_, POLLIN, 0};
  if (::poll(&p, 1, wait_ms) <= 0) {
    return true;
  }
  char chunk[8192];
  const ssize_t n = ::recv(fd_, chunk, sizeof chunk, MSG_DONTWAIT);
  if (n > 0) {
    received_.append(chunk, static_cast<std::size_t>(n));
    return true;
  }
  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
    return true;
  }
  closed_ = true;
  return false;
}

bool RawConnection::send(const std::string& bytes, std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  std::size_t sent = 0;
  while (sent < bytes.size() && !closed_ && remainingMs(deadline) > 0) {
    pollfd p{fd_, POLLOUT, 0};
    if (::poll(&p, 1, remainingMs(deadline)) <= 0) {
      break;
    }
    const ssize_t n =
        ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
      readFor(0);  // keep what the proxy said before it closed
      closed_ = true;
      break;
    }
    sent += n > 0 ? static_cast<std::size_t>(n) : 0;
    readFor(0);  // a refusal may come before everything is sent
  }
  return sent == bytes.size() && !closed_;
}

// NOLINTNEXTLINE(readability-make-member-function-const): it changes the connection
void RawConnection::shutdownSend() { ::shutdown(fd_, SHUT_WR); }

bool RawConnection::readUntil(const std::string& needle, std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (received_.find(needle) == std::string::npos) {
    if (closed_ || remainingMs(deadline) == 0) {
      return false;
    }
    readFor(remainingMs(deadline));
  }
  return true;
}

bool RawConnection::waitClosed(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (!closed_ && remainingMs(deadline) > 0) {
    readFor(remainingMs(deadline));
  }
  return closed_;
}

std::string sendAndHalfClose(std::uint16_t port, const std::string& bytes,
                             std::chrono::milliseconds timeout, bool* timed_out) {
  const auto deadline = Clock::now() + timeout;
  RawConnection connection(port);
  connection.send(bytes, timeout);
  connection.shutdownSend();
  const bool closed = connection.waitClosed(std::chrono::milliseconds(remainingMs(deadline)));
  if (timed_out != nullptr) {
    *timed_out = !closed;
  }
  return connection.received();
}

SlowExchange sendSlowly(std::uint16_t port, const std::string& bytes,
                        std::chrono::milliseconds interval, std::chrono::milliseconds timeout) {
  const auto start = Clock::now();
  const auto deadline = start + timeout;
  RawConnection connection(port);
  std::size_t next = 0;
  while (!connection.closed() && remainingMs(deadline) > 0) {
    if (next < bytes.size()) {
      connection.send(bytes.substr(next++, 1), 1s);
    }
    const auto until = std::min(Clock::now() + interval, deadline);
    while (!connection.closed() && Clock::now() < until) {
      connection.waitClosed(std::chrono::milliseconds(remainingMs(until)));
    }
  }
  SlowExchange result;
  result.received = connection.received();
  result.closed = connection.closed();
  result.closed_after = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
  return result;
}

unsigned statusOf(const std::string& answer) {
  if (answer.size() < 12 || answer.compare(0, 7, "HTTP/1.") != 0 || answer[8] != ' ') {
    return 0;
  }
  unsigned status = 0;
  for (std::size_t i = 9; i < 12; ++i) {
    if (answer[i] < '0' || answer[i] > '9') {
      return 0;
    }
    status = status * 10 + static_cast<unsigned>(answer[i] - '0');
  }
  return status;
}

}  // namespace gw::test
