#pragma once
// Real processes for tests: run a command and capture its output, spawn a long-running one
// (a backend, a proxy) and read its first line, temporary folders, free loopback ports.
// Everything binds and connects to 127.0.0.1 only.

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "tests/support/ports.hpp"

namespace gw::test {

using namespace std::chrono_literals;

struct RunResult {
  int exit_code = -1;  // -1: killed by a signal or timed out
  std::string out;
  std::string err;
};

// Runs argv to completion (killed after `timeout`), feeding `input` on stdin.
// `env` entries ("K=V") are added to (or replace in) the current environment.
RunResult run(const std::vector<std::string>& argv, const std::vector<std::string>& env = {},
              const std::string& input = "", std::chrono::milliseconds timeout = 60s);

// A child process that is stopped (SIGTERM, then SIGKILL) when the object dies, and killed
// (SIGKILL) when the test process dies without running its destructors.
class Process {
 public:
  static Process spawn(const std::vector<std::string>& argv,
                       const std::vector<std::string>& env = {});
  Process(Process&& other) noexcept;
  Process& operator=(Process&& other) noexcept;
  Process(const Process&) = delete;
  ~Process();

  pid_t pid() const { return pid_; }
  // The next line of stdout, or nullopt on EOF or timeout.
  std::optional<std::string> readLine(std::chrono::milliseconds timeout = 10s);
  bool alive();
  void signal(int sig);
  // SIGTERM, wait up to `grace`, then SIGKILL. Returns the exit code (-1 if signalled).
  int stop(std::chrono::milliseconds grace = 5s);

 private:
  Process(pid_t pid, int out_fd) : pid_(pid), out_fd_(out_fd) {}
  pid_t pid_ = -1;
  int out_fd_ = -1;
  std::string buffered_;
  int status_ = -1;
};

// A temporary folder removed with everything in it.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

std::string readText(const std::filesystem::path& path);
void writeText(const std::filesystem::path& path, const std::string& text);

bool processAlive(pid_t pid);

// The gw-echo backend on a free port: answers every request with body "NAME\n".
class EchoBackend {
 public:
  explicit EchoBackend(const std::string& name);
  std::uint16_t port() const { return port_; }
  std::string endpoint() const { return "127.0.0.1:" + std::to_string(port_); }

 private:
  Process process_;
  std::uint16_t port_ = 0;
};

// One answer as curl saw it.
struct HttpResponse {
  int curl_exit = -1;  // 0 when an HTTP answer came
  int status = 0;
  std::string body;
  std::string headers;                                // raw header block, lower-cased names
  std::string header(const std::string& name) const;  // "" when absent
};

// curl -s against 127.0.0.1:port with `Host: host`, plus any extra curl arguments.
HttpResponse httpGet(std::uint16_t port, const std::string& host, const std::string& path,
                     const std::vector<std::string>& extra = {});

}  // namespace gw::test
