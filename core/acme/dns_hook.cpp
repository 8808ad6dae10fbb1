#include "core/acme/dns_hook.hpp"

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <system_error>
#include <thread>

namespace gw::acme {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// Enough for the last line of any sensible message, whatever the hook wrote before it.
constexpr std::size_t kStderrKept = 4096;
// How often a hook's end is looked for while its stderr stays quiet.
constexpr milliseconds kPollEvery{20};

// Owns the spawn attributes and file actions for one call.
struct SpawnSetup {
  posix_spawn_file_actions_t actions{};
  posix_spawnattr_t attr{};

  explicit SpawnSetup(int stderr_fd) {
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, stderr_fd, STDERR_FILENO);
    // The proxy's sockets and the home's lock stay gw's, even if the hook leaves a child.
    posix_spawn_file_actions_addclosefrom_np(&actions, STDERR_FILENO + 1);
    posix_spawnattr_init(&attr);
    // Its own group, so a timeout stops the shell and whatever it started; signals as a new
    // program expects them (the proxy ignores SIGPIPE, which exec would otherwise keep).
    sigset_t none;
    sigemptyset(&none);
    sigset_t all;
    sigfillset(&all);
    posix_spawnattr_setpgroup(&attr, 0);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &all);
    posix_spawnattr_setflags(
        &attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  }
  ~SpawnSetup() {
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
  }
  SpawnSetup(const SpawnSetup&) = delete;
  SpawnSetup& operator=(const SpawnSetup&) = delete;
};

// Reads what the pipe holds now; false once it is closed (or broken).
bool readSome(int fd, std::string& kept) {
  std::array<char, 1024> chunk{};
  const ssize_t n = ::read(fd, chunk.data(), chunk.size());
  if (n < 0) {
    return errno == EINTR || errno == EAGAIN;
  }
  if (n == 0) {
    return false;
  }
  kept.append(chunk.data(), static_cast<std::size_t>(n));
  if (kept.size() > kStderrKept) {
    kept.erase(0, kept.size() - kStderrKept);
  }
  return true;
}

std::string lastLine(std::string text) {
  while (!text.empty() && std::strchr(" \t\r\n", text.back()) != nullptr) {
    text.pop_back();
  }
  const auto newline = text.find_last_of('\n');
  std::string line = newline == std::string::npos ? text : text.substr(newline + 1);
  std::erase(line, '\r');
  return line;
}

std::string duration(milliseconds timeout) {
  return timeout.count() % 1000 == 0 ? std::to_string(timeout.count() / 1000) + " s"
                                     : std::to_string(timeout.count()) + " ms";
}

}  // namespace

std::string dnsHookRecordName(const Challenge& challenge) {
  std::string name = challenge.dns_txt_name.empty() ? "_acme-challenge." + challenge.domain
                                                    : challenge.dns_txt_name;
  if (!name.ends_with('.')) {
    name += '.';
  }
  return name;
}

HookRun runHook(const std::vector<std::string>& argv, milliseconds timeout) {
  HookRun run;
  std::array<int, 2> fds{-1, -1};
  if (argv.empty() || ::pipe2(fds.data(), O_CLOEXEC) != 0) {
    run.code = argv.empty() ? EINVAL : errno;
    return run;
  }
  std::vector<std::string> args = argv;  // posix_spawn wants char*, and copies nothing back
  std::vector<char*> pointers;
  pointers.reserve(args.size() + 1);
  for (std::string& arg : args) {
    pointers.push_back(arg.data());
  }
  pointers.push_back(nullptr);
  pid_t pid = -1;
  int spawned = 0;
  {
    const SpawnSetup setup(fds[1]);
    spawned =
        posix_spawn(&pid, pointers.front(), &setup.actions, &setup.attr, pointers.data(), environ);
  }
  ::close(fds[1]);
  if (spawned != 0) {
    ::close(fds[0]);
    run.code = spawned;
    return run;
  }
  const auto deadline = Clock::now() + timeout;
  std::string kept;
  bool reading = true;
  int status = 0;
  for (;;) {
    if (::waitpid(pid, &status, WNOHANG) == pid) {
      break;
    }
    const auto now = Clock::now();
    if (now >= deadline) {
      ::killpg(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      run.end = HookRun::End::kTimedOut;
      break;
    }
    const auto wait = std::min(kPollEvery, std::chrono::ceil<milliseconds>(deadline - now));
    if (!reading) {
      std::this_thread::sleep_for(wait);
      continue;
    }
    pollfd ready{fds[0], POLLIN, 0};
    if (::poll(&ready, 1, static_cast<int>(wait.count())) > 0) {
      reading = readSome(fds[0], kept);
    }
  }
  // What it wrote just before it ended; a child it left behind holding the pipe is not
  // waited for.
  for (pollfd ready{fds[0], POLLIN, 0}; reading && ::poll(&ready, 1, 0) > 0;) {
    reading = readSome(fds[0], kept);
  }
  ::close(fds[0]);
  run.last_line = lastLine(std::move(kept));
  if (run.end == HookRun::End::kTimedOut) {
    return run;
  }
  if (WIFEXITED(status)) {
    run.end = HookRun::End::kExited;
    run.code = WEXITSTATUS(status);
  } else {
    run.end = HookRun::End::kSignalled;
    run.code = WTERMSIG(status);
  }
  return run;
}

core::Status DnsHookResponder::call(const char* action, const Challenge& challenge) const {
  const HookRun run = runHook({"/bin/sh", "-c", hook_ + " \"$@\"", "gw", action,
                               dnsHookRecordName(challenge), challenge.dns_txt_value},
                              timeout_);
  std::string what;
  switch (run.end) {
    case HookRun::End::kExited:
      if (run.code == 0) {
        return core::Ok{};
      }
      what = "exited " + std::to_string(run.code);
      break;
    case HookRun::End::kSignalled:
      what = "was killed by signal " + std::to_string(run.code);
      break;
    case HookRun::End::kTimedOut:
      what = "ran longer than " + duration(timeout_) + " and was stopped";
      break;
    case HookRun::End::kNotStarted:
      what = "could not start (" + std::generic_category().message(run.code) + ")";
      break;
  }
  if (!run.last_line.empty()) {
    what += ": " + run.last_line;
  }
  return core::makeError(core::ErrorKind::kRuntime,
                         challenge.domain + ": " + std::string(challengeLabel(challenge.type)) +
                             " hook \"" + hook_ + "\" " + what);
}

core::Status DnsHookResponder::present(const Challenge& challenge) {
  return call("present", challenge);
}

void DnsHookResponder::cleanUp(const Challenge& challenge) {
  static_cast<void>(call("cleanup", challenge));
}

}  // namespace gw::acme
