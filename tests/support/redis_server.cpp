#include "tests/support/redis_server.hpp"

#include <csignal>
#include <stdexcept>

#include "tests/support/ports.hpp"

namespace gw::test {

RedisServer::RedisServer() : port_(freePort()) { start(); }

void RedisServer::start() {
  process_.emplace(
      Process::spawn({"redis-server", "--port", std::to_string(port_), "--bind", "127.0.0.1",
                      "--dir", dir_.path().string(), "--save", "", "--appendonly", "no",
                      "--protected-mode", "yes", "--loglevel", "warning"}));
  if (!waitForPort(port_)) {
    throw std::runtime_error("redis-server did not start on port " + std::to_string(port_));
  }
}

void RedisServer::pause() { process_->signal(SIGSTOP); }
void RedisServer::resume() { process_->signal(SIGCONT); }

void RedisServer::stop() {
  if (process_) {
    process_->signal(SIGCONT);  // a paused server cannot act on SIGTERM
    process_->stop();
    process_.reset();
    waitForPortClosed(port_);
  }
}

std::string RedisServer::cli(const std::vector<std::string>& args) const {
  std::vector<std::string> argv{"redis-cli", "-h", "127.0.0.1", "-p", std::to_string(port_)};
  argv.insert(argv.end(), args.begin(), args.end());
  return run(argv).out;
}

}  // namespace gw::test
