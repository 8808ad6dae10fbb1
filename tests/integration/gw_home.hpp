#pragma once
// A gw home in a temporary folder, with `gw` run against it as a user would run it.
// The destructor uninstalls, so no proxy outlives a test.

#include <csignal>
#include <string>
#include <vector>

#include "tests/support/process.hpp"

namespace gw::test {

class GwHome {
 public:
  GwHome() = default;
  GwHome(const GwHome&) = delete;
  ~GwHome() {
    run({GW_BINARY, "--home", home(), "uninstall"}, {}, "", 20s);
    if (const auto pid = proxyPid(); pid > 0 && processAlive(pid)) {
      kill(pid, SIGKILL);
    }
  }

  std::string home() const { return dir_.path().string(); }
  std::filesystem::path file(const std::string& name) const { return dir_.path() / name; }

  RunResult gw(std::vector<std::string> args, const std::string& input = "") const {
    args.insert(args.begin(), {GW_BINARY, "--home", home(), "--no-color"});
    return run(args, env_, input, 60s);
  }

  // KEY=VALUE settings for every later `gw` (and so for the proxy it starts).
  void setEnv(std::vector<std::string> env) { env_ = std::move(env); }

  // `gw gateway create edge` with one http listener on 127.0.0.1:port.
  RunResult createEdge(std::uint16_t port) const {
    return gw({"gateway", "create", "edge", "--port", "http:" + std::to_string(port), "--address",
               "127.0.0.1"});
  }

  std::string config() const { return readText(file("config.yaml")); }

  pid_t proxyPid() const {
    const auto text = readText(file("proxy.pid"));
    return text.empty() ? -1 : static_cast<pid_t>(std::stol(text));
  }

 private:
  TempDir dir_;
  std::vector<std::string> env_;
};

// GET http://127.0.0.1:PORT/PATH with Host `host`, `count` times over one keep-alive
// connection; returns "BODY|STATUS" per answer, in order ("frontend|200").
std::vector<std::string> fetchMany(std::uint16_t port, const std::string& host,
                                   const std::string& path, int count);

}  // namespace gw::test
