#include "core/acme/command.hpp"

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
#include <optional>
#include <thread>

namespace gw::acme {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// Enough for the last line of any sensible message, whatever the command wrote before it.
constexpr std::size_t kStderrKept = 4096;
// How often a command's end is looked for while its stderr stays quiet.
constexpr milliseconds kPollEvery{20};

// Owns the spawn attributes and file actions for one call.
struct SpawnSetup {
  posix_spawn_file_actions_t actions{};
  posix_spawnattr_t attr{};

  // stderr_fd < 0: the command writes to gw's standard error.
  explicit SpawnSetup(int stderr_fd) {
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    if (stderr_fd >= 0) {
      posix_spawn_file_actions_adddup2(&actions, stderr_fd, STDERR_FILENO);
    }
    // The proxy's sockets and the home's lock stay gw's, even if the command leaves a child.
    posix_spawn_file_actions_addclosefrom_np(&actions, STDERR_FILENO + 1);
    posix_spawnattr_init(&attr);
    // Its own group, so a timeout stops it and whatever it started; signals as a new
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

// Starts argv with its standard error on `stderr_fd` (< 0: gw's); the errno on failure.
int spawn(const std::vector<std::string>& argv, int stderr_fd, pid_t& pid) {
  std::vector<std::string> args = argv;  // posix_spawn wants char*, and copies nothing back
  std::vector<char*> pointers;
  pointers.reserve(args.size() + 1);
  for (std::string& arg : args) {
    pointers.push_back(arg.data());
  }
  pointers.push_back(nullptr);
  const SpawnSetup setup(stderr_fd);
  return posix_spawn(&pid, pointers.front(), &setup.actions, &setup.attr, pointers.data(), environ);
}

// Waits for `pid` while keeping the tail of what it writes to `fd`; kills its group at the
// deadline or when cancelled. The wait status, or nullopt when it was killed so.
std::optional<int> await(pid_t pid, int fd, Clock::time_point deadline,
                         const std::atomic<bool>* cancel, std::string& kept, bool& cancelled) {
  bool reading = true;
  int status = 0;
  for (;;) {
    if (::waitpid(pid, &status, WNOHANG) == pid) {
      break;
    }
    const auto now = Clock::now();
    cancelled = cancel != nullptr && cancel->load();
    if (now >= deadline || cancelled) {
      ::killpg(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      return std::nullopt;
    }
    const auto wait = std::min(kPollEvery, std::chrono::ceil<milliseconds>(deadline - now));
    pollfd ready{fd, POLLIN, 0};
    if (!reading) {
      std::this_thread::sleep_for(wait);
    } else if (::poll(&ready, 1, static_cast<int>(wait.count())) > 0) {
      reading = readSome(fd, kept);
    }
  }
  // What it wrote just before it ended; a child it left behind holding the pipe is not
  // waited for.
  for (pollfd ready{fd, POLLIN, 0}; reading && ::poll(&ready, 1, 0) > 0;) {
    reading = readSome(fd, kept);
  }
  return status;
}

}  // namespace

CommandRun runCommand(const std::vector<std::string>& argv, milliseconds timeout,
                      const CommandOptions& options) {
  CommandRun run;
  std::array<int, 2> fds{-1, -1};
  if (argv.empty() || ::pipe2(fds.data(), O_CLOEXEC) != 0) {
    run.code = argv.empty() ? EINVAL : errno;
    return run;
  }
  pid_t pid = -1;
  const int spawned = spawn(argv, options.inherit_stderr ? -1 : fds[1], pid);
  ::close(fds[1]);  // with inherit_stderr, the pipe reads end-of-file at once
  if (spawned != 0) {
    ::close(fds[0]);
    run.code = spawned;
    return run;
  }
  std::string kept;
  bool cancelled = false;
  const auto status = await(pid, fds[0], Clock::now() + timeout, options.cancel, kept, cancelled);
  ::close(fds[0]);
  run.last_line = lastLine(std::move(kept));
  if (!status) {
    run.end = cancelled ? CommandRun::End::kCancelled : CommandRun::End::kTimedOut;
  } else if (WIFEXITED(*status)) {
    run.end = CommandRun::End::kExited;
    run.code = WEXITSTATUS(*status);
  } else {
    run.end = CommandRun::End::kSignalled;
    run.code = WTERMSIG(*status);
  }
  return run;
}

}  // namespace gw::acme
