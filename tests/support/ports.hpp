#pragma once
// Loopback ports for tests: free ones for listeners, dead ones for endpoints that refuse.

#include <chrono>
#include <cstdint>
#include <string>

namespace gw::test {

using namespace std::chrono_literals;

// Throws "what: <errno's text>" when a system call returned less than 0.
void checkSys(int rc, const char* what);

// A loopback port that was free a moment ago, below the range bind(0) and connect() draw from.
std::uint16_t freePort();
// A loopback port held bound but not listening for the object's lifetime: connecting to it is
// refused, and no other socket (another test's backend) can take it meanwhile.
class DeadPort {
 public:
  DeadPort();
  ~DeadPort();
  DeadPort(const DeadPort&) = delete;
  DeadPort& operator=(const DeadPort&) = delete;
  std::uint16_t port() const { return port_; }
  std::string endpoint() const { return "127.0.0.1:" + std::to_string(port_); }

 private:
  int fd_ = -1;
  std::uint16_t port_ = 0;
};

// Whether something accepts TCP connections on 127.0.0.1:port.
bool portOpen(std::uint16_t port);
bool waitForPort(std::uint16_t port, std::chrono::milliseconds timeout = 10s);
bool waitForPortClosed(std::uint16_t port, std::chrono::milliseconds timeout = 10s);

}  // namespace gw::test
