#pragma once
// Running another program from gw: a DNS-01 hook, or the gateway's own renewal pass
// (renewer.hpp). Its environment is gw's, its standard input and output /dev/null, no
// descriptor of gw's but those, and its own process group, killed when it runs past its
// time or is cancelled.

#include <atomic>
#include <chrono>
#include <string>
#include <vector>

namespace gw::acme {

struct CommandRun {
  enum class End { kExited, kSignalled, kTimedOut, kCancelled, kNotStarted };
  End end = End::kNotStarted;
  int code = 0;           // the exit status, the signal, or the errno of the failed start
  std::string last_line;  // of its standard error, without the newline (unless inherited)
};

struct CommandOptions {
  bool inherit_stderr = false;                // write to gw's standard error (its log)
  const std::atomic<bool>* cancel = nullptr;  // set: the command is killed
};

// Runs `argv` (argv[0] a path) and waits for it, at most `timeout`.
CommandRun runCommand(const std::vector<std::string>& argv, std::chrono::milliseconds timeout,
                      const CommandOptions& options = {});

}  // namespace gw::acme
