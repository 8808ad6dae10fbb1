#include "cli/dashboard/child.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <csignal>

namespace gw::dashboard {
namespace {

// In the child: stdin /dev/null, stdout and stderr the pipes, its own process group, exec.
// Only async-signal-safe calls here: the dashboard has other threads.
[[noreturn]] void execChild(char* const* args, int out_fd, int err_fd) {
  ::setpgid(0, 0);
  const int null_fd = ::open("/dev/null", O_RDONLY);
  ::dup2(null_fd, 0);
  ::dup2(out_fd, 1);
  ::dup2(err_fd, 2);
  ::execv(args[0], args);
  ::_exit(127);
}

// Splits what arrived on standard error into lines, handing each complete one over (and,
// with `flush`, what is left).
void takeLines(std::string& pending, ChildRun& run,
               const std::function<void(const std::string&)>& on_line, bool flush) {
  std::size_t newline = 0;
  while ((newline = pending.find('\n')) != std::string::npos || (flush && !pending.empty())) {
    const std::size_t end = newline == std::string::npos ? pending.size() : newline;
    std::string line = pending.substr(0, end);
    pending.erase(0, newline == std::string::npos ? end : end + 1);
    if (on_line) {
      on_line(line);
    }
    run.err_lines.push_back(std::move(line));
  }
}

// Reads both pipes until they close or the deadline passes (then the group is killed).
void pump(pid_t pid, std::array<pollfd, 2>& fds, std::chrono::steady_clock::time_point deadline,
          ChildRun& run, const std::function<void(const std::string&)>& on_err_line) {
  std::string pending;
  int open_fds = 2;
  while (open_fds > 0) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      run.timed_out = true;
      ::kill(-pid, SIGKILL);
      break;
    }
    if (::poll(fds.data(), fds.size(), static_cast<int>(left.count())) < 0) {
      continue;  // EINTR
    }
    for (std::size_t i = 0; i < fds.size(); ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) {
        continue;
      }
      std::array<char, 4096> buffer{};
      const ssize_t n = ::read(fds[i].fd, buffer.data(), buffer.size());
      if (n <= 0) {
        ::close(fds[i].fd);
        fds[i].fd = -1;
        --open_fds;
        continue;
      }
      (i == 0 ? run.out : pending).append(buffer.data(), static_cast<std::size_t>(n));
      takeLines(pending, run, on_err_line, false);
    }
  }
  takeLines(pending, run, on_err_line, true);
}

}  // namespace

ChildRun runChild(const std::vector<std::string>& argv, std::chrono::milliseconds timeout,
                  const std::function<void(const std::string&)>& on_err_line) {
  ChildRun run;
  std::array<int, 2> out_pipe{};
  std::array<int, 2> err_pipe{};
  if (argv.empty() || ::pipe2(out_pipe.data(), O_CLOEXEC) != 0) {
    return run;
  }
  if (::pipe2(err_pipe.data(), O_CLOEXEC) != 0) {
    ::close(out_pipe[0]);
    ::close(out_pipe[1]);
    return run;
  }
  std::vector<char*> args;
  args.reserve(argv.size() + 1);
  for (const std::string& arg : argv) {
    args.push_back(const_cast<char*>(arg.c_str()));
  }
  args.push_back(nullptr);
  const pid_t pid = ::fork();
  if (pid == 0) {
    execChild(args.data(), out_pipe[1], err_pipe[1]);
  }
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  std::array<pollfd, 2> fds = {pollfd{out_pipe[0], POLLIN, 0}, pollfd{err_pipe[0], POLLIN, 0}};
  if (pid > 0) {
    pump(pid, fds, std::chrono::steady_clock::now() + timeout, run, on_err_line);
  }
  for (const pollfd& fd : fds) {
    if (fd.fd >= 0) {
      ::close(fd.fd);
    }
  }
  if (pid <= 0) {
    return run;
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (!run.timed_out && WIFEXITED(status)) {
    run.exit_code = WEXITSTATUS(status);
  }
  return run;
}

}  // namespace gw::dashboard
