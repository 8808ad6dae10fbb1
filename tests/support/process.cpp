#include "tests/support/process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <utility>

#include "tests/support/eventually.hpp"

namespace gw::test {
namespace {

using Clock = std::chrono::steady_clock;

std::vector<std::string> mergedEnv(const std::vector<std::string>& extra) {
  std::vector<std::string> env;
  for (char** e = environ; *e != nullptr; ++e) {
    env.emplace_back(*e);
  }
  for (const auto& kv : extra) {
    const auto key = kv.substr(0, kv.find('=') + 1);
    std::erase_if(env, [&](const std::string& e) { return e.rfind(key, 0) == 0; });
    env.push_back(kv);
  }
  return env;
}

[[noreturn]] void execChild(const std::vector<std::string>& argv,
                            const std::vector<std::string>& env) {
  std::vector<char*> args;
  args.reserve(argv.size() + 1);
  for (const auto& a : argv) {
    args.push_back(const_cast<char*>(a.c_str()));
  }
  args.push_back(nullptr);
  std::vector<char*> envp;
  envp.reserve(env.size() + 1);
  for (const auto& e : env) {
    envp.push_back(const_cast<char*>(e.c_str()));
  }
  envp.push_back(nullptr);
  execvpe(args[0], args.data(), envp.data());
  _exit(127);
}

int decodeStatus(int status) {
  if (WIFEXITED(status)) {
    return WEXITSTATUS(status);
  }
  return -1;
}

}  // namespace

namespace {

// The parent's ends of a child's stdin, stdout and stderr; -1 once closed.
struct ChildPipes {
  int in = -1;
  int out = -1;
  int err = -1;
  int open_outputs = 2;

  // One poll round: reads what stdout and stderr have, writes what stdin takes.
  void pump(RunResult& result, const std::string& input, std::size_t& written) {
    pollfd fds[3] = {{out, POLLIN, 0}, {err, POLLIN, 0}, {in, POLLOUT, 0}};
    poll(fds, in >= 0 ? 3 : 2, 50);
    readReady(fds[0], out, result.out);
    readReady(fds[1], err, result.err);
    if (in >= 0 && (fds[2].revents & (POLLOUT | POLLERR)) != 0) {
      const auto n = write(in, input.data() + written, input.size() - written);
      if (n > 0) {
        written += static_cast<std::size_t>(n);
      }
      if (n <= 0 || written == input.size()) {
        closeInput();
      }
    }
  }

  void closeInput() {
    close(in);
    in = -1;
  }

  void closeAll() {
    for (int* fd : {&in, &out, &err}) {
      if (*fd >= 0) {
        close(*fd);
        *fd = -1;
      }
    }
  }

 private:
  void readReady(const pollfd& ready, int& fd, std::string& sink) {
    if (ready.fd < 0 || (ready.revents & (POLLIN | POLLHUP)) == 0) {
      return;
    }
    char buf[65536];
    const auto n = read(fd, buf, sizeof buf);
    if (n > 0) {
      sink.append(buf, static_cast<std::size_t>(n));
    } else {
      close(fd);
      fd = -1;
      --open_outputs;
    }
  }
};

}  // namespace

RunResult run(const std::vector<std::string>& argv, const std::vector<std::string>& env,
              const std::string& input, std::chrono::milliseconds timeout) {
  int in[2];
  int out[2];
  int err[2];
  checkSys(pipe2(in, O_CLOEXEC), "pipe");
  checkSys(pipe2(out, O_CLOEXEC), "pipe");
  checkSys(pipe2(err, O_CLOEXEC), "pipe");
  const auto full_env = mergedEnv(env);
  const pid_t pid = fork();
  checkSys(pid, "fork");
  if (pid == 0) {
    dup2(in[0], 0);
    dup2(out[1], 1);
    dup2(err[1], 2);
    execChild(argv, full_env);
  }
  close(in[0]);
  close(out[1]);
  close(err[1]);
  signal(SIGPIPE, SIG_IGN);
  ChildPipes pipes{in[1], out[0], err[0]};
  std::size_t written = 0;
  if (input.empty()) {
    pipes.closeInput();
  }
  RunResult result;
  const auto deadline = Clock::now() + timeout;
  int status = 0;
  bool exited = false;
  Clock::time_point exited_at{};
  while (pipes.open_outputs > 0) {
    // A daemon the command started may keep a pipe open: stop reading shortly after exit.
    if (!exited && waitpid(pid, &status, WNOHANG) == pid) {
      exited = true;
      exited_at = Clock::now();
    }
    if (exited && Clock::now() - exited_at > 500ms) {
      break;
    }
    if (Clock::now() > deadline) {
      kill(pid, SIGKILL);
      break;
    }
    pipes.pump(result, input, written);
  }
  pipes.closeAll();
  if (!exited) {
    waitpid(pid, &status, 0);
  }
  result.exit_code = decodeStatus(status);
  return result;
}

Process Process::spawn(const std::vector<std::string>& argv, const std::vector<std::string>& env) {
  int out[2];
  checkSys(pipe2(out, O_CLOEXEC), "pipe");
  const auto full_env = mergedEnv(env);
  const pid_t parent = getpid();
  const pid_t pid = fork();
  checkSys(pid, "fork");
  if (pid == 0) {
    // Killed when the test process ends without its destructors (a failed assertion's
    // abort, a crash): a helper left running would keep its port, and the test's stderr,
    // which it shares, is CTest's output pipe: CTest waits for that pipe to close, so the
    // test would end only at its timeout. The signal follows the thread that forked, which
    // is the test's own (no test spawns from a thread of its own).
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) {
      _exit(127);  // the test process ended before prctl
    }
    const int devnull = open("/dev/null", O_RDONLY);
    dup2(devnull, 0);
    dup2(out[1], 1);
    execChild(argv, full_env);
  }
  close(out[1]);
  return {pid, out[0]};
}

Process::Process(Process&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)),
      out_fd_(std::exchange(other.out_fd_, -1)),
      buffered_(std::move(other.buffered_)),
      status_(other.status_) {}

Process& Process::operator=(Process&& other) noexcept {
  if (this != &other) {
    stop();
    pid_ = std::exchange(other.pid_, -1);
    out_fd_ = std::exchange(other.out_fd_, -1);
    buffered_ = std::move(other.buffered_);
    status_ = other.status_;
  }
  return *this;
}

Process::~Process() { stop(); }

std::optional<std::string> Process::readLine(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (true) {
    if (const auto nl = buffered_.find('\n'); nl != std::string::npos) {
      auto line = buffered_.substr(0, nl);
      buffered_.erase(0, nl + 1);
      return line;
    }
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (out_fd_ < 0 || left.count() <= 0) {
      return std::nullopt;
    }
    pollfd fd{out_fd_, POLLIN, 0};
    if (poll(&fd, 1, static_cast<int>(left.count())) <= 0) {
      return std::nullopt;
    }
    char buf[4096];
    const auto n = read(out_fd_, buf, sizeof buf);
    if (n <= 0) {
      close(out_fd_);
      out_fd_ = -1;
      return std::nullopt;
    }
    buffered_.append(buf, static_cast<std::size_t>(n));
  }
}

bool Process::alive() {
  if (pid_ <= 0) {
    return false;
  }
  int status = 0;
  if (waitpid(pid_, &status, WNOHANG) == pid_) {
    status_ = decodeStatus(status);
    pid_ = -1;
    return false;
  }
  return true;
}

// NOLINTNEXTLINE(readability-make-member-function-const): it changes the process
void Process::signal(int sig) {
  if (pid_ > 0) {
    kill(pid_, sig);
  }
}

int Process::stop(std::chrono::milliseconds grace) {
  if (pid_ > 0) {
    kill(pid_, SIGTERM);
    if (!eventually([this] { return !alive(); }, grace)) {
      kill(pid_, SIGKILL);
      int status = 0;
      waitpid(pid_, &status, 0);
      status_ = decodeStatus(status);
      pid_ = -1;
    }
  }
  if (out_fd_ >= 0) {
    close(out_fd_);
    out_fd_ = -1;
  }
  return status_;
}

TempDir::TempDir() {
  std::string templ = (std::filesystem::temp_directory_path() / "gw-test-XXXXXX").string();
  if (mkdtemp(templ.data()) == nullptr) {
    throw std::runtime_error("mkdtemp failed");
  }
  path_ = templ;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string readText(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void writeText(const std::filesystem::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

bool processAlive(pid_t pid) {
  if (pid <= 0 || kill(pid, 0) != 0) {
    return false;
  }
  // A zombie is not alive: look at its state.
  const auto stat = readText("/proc/" + std::to_string(pid) + "/stat");
  const auto close_paren = stat.rfind(')');
  return close_paren == std::string::npos || close_paren + 2 >= stat.size() ||
         stat[close_paren + 2] != 'Z';
}

EchoBackend::EchoBackend(const std::string& name)
    : process_(Process::spawn({GW_ECHO_BINARY, "--name", name, "--port", "0"})) {
  const auto line = process_.readLine(10s);
  const std::string prefix = "listening 127.0.0.1:";
  if (!line || line->rfind(prefix, 0) != 0) {
    throw std::runtime_error("gw-echo did not start: " + line.value_or("(no output)"));
  }
  port_ = static_cast<std::uint16_t>(std::stoi(line->substr(prefix.size())));
}

std::string HttpResponse::header(const std::string& name) const {
  std::string key = "\n" + name + ":";
  std::transform(key.begin(), key.end(), key.begin(), ::tolower);
  const auto at = headers.find(key);
  if (at == std::string::npos) {
    return "";
  }
  auto begin = at + key.size();
  while (begin < headers.size() && headers[begin] == ' ') {
    ++begin;
  }
  const auto end = headers.find_first_of("\r\n", begin);
  return headers.substr(begin, end - begin);
}

HttpResponse httpGet(std::uint16_t port, const std::string& host, const std::string& path,
                     const std::vector<std::string>& extra) {
  TempDir dir;
  const auto header_file = (dir.path() / "headers").string();
  std::vector<std::string> argv = {"curl", "-s",        "--max-time", "20",
                                   "-D",   header_file, "-H",         "Host: " + host};
  argv.insert(argv.end(), extra.begin(), extra.end());
  argv.push_back("http://127.0.0.1:" + std::to_string(port) + path);
  const auto r = run(argv, {}, "", 30s);
  HttpResponse response;
  response.curl_exit = r.exit_code;
  response.body = r.out;
  auto raw = readText(header_file);
  // With several header blocks (100-continue), the last one is the answer.
  if (const auto last = raw.rfind("HTTP/"); last != std::string::npos) {
    raw = raw.substr(last);
  }
  if (raw.size() > 12) {
    response.status = std::atoi(raw.c_str() + raw.find(' ') + 1);
  }
  for (std::size_t i = 0; i < raw.size(); ++i) {
    // Lower-case header names only (up to each colon), keep values as sent.
    if (i == 0 || raw[i - 1] == '\n') {
      for (std::size_t j = i; j < raw.size() && raw[j] != ':' && raw[j] != '\n'; ++j) {
        raw[j] = static_cast<char>(std::tolower(static_cast<unsigned char>(raw[j])));
      }
    }
  }
  response.headers = "\n" + raw;
  return response;
}

}  // namespace gw::test
