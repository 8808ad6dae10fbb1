#pragma once
// A real redis-server (Debian's) on a free loopback port, with a data folder of its own and
// nothing saved to disk; stopped when the object dies. Tests pause it (SIGSTOP: connections
// are still accepted but nothing answers, like a server stuck in a long command), kill it
// and start it again on the same port.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tests/support/process.hpp"

namespace gw::test {

class RedisServer {
 public:
  RedisServer();
  std::uint16_t port() const { return port_; }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }

  void pause();
  void resume();
  void stop();
  void start();  // again, on the same port (empty: nothing was saved)
  // redis-cli against it: its output.
  std::string cli(const std::vector<std::string>& args) const;

 private:
  TempDir dir_;
  std::uint16_t port_ = 0;
  std::optional<Process> process_;
};

}  // namespace gw::test
