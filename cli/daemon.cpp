#include "cli/daemon.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <csignal>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

#include "cli/context.hpp"
#include "core/net/host_port.hpp"
#include "proxy/admin/client.hpp"

namespace gw::cli {
namespace {

using namespace std::chrono_literals;

std::string trim(std::string s) {
  const char* space = " \t\r\n";
  s.erase(0, s.find_first_not_of(space));
  s.erase(s.find_last_not_of(space) + 1);
  return s;
}

std::optional<pid_t> readPid(const core::Home& home) {
  auto text = core::readFile(home.file("proxy.pid"));
  if (!text) {
    return std::nullopt;
  }
  std::string s = trim(*text);
  int pid = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), pid);
  if (ec != std::errc() || end != s.data() + s.size() || pid <= 0) {
    return std::nullopt;
  }
  return static_cast<pid_t>(pid);
}

std::vector<std::string> commandLine(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/cmdline", std::ios::binary);
  std::vector<std::string> args;
  std::string arg;
  while (std::getline(in, arg, '\0')) {
    args.push_back(arg);
  }
  return args;
}

// Guards against pid reuse: the process must be `gw proxy --home <this home>`.
bool isHomeProxy(pid_t pid, const core::Home& home) {
  std::vector<std::string> args = commandLine(pid);
  if (args.size() < 2 ||
      std::filesystem::path(args[0]).filename().string().find("gw") == std::string::npos) {
    return false;
  }
  bool proxy = false;
  bool same_home = false;
  const std::string root = home.root().string();
  for (std::size_t i = 1; i < args.size(); ++i) {
    proxy = proxy || args[i] == "proxy";
    if ((args[i] == "--home" && i + 1 < args.size() && args[i + 1] == root) ||
        args[i] == "--home=" + root) {
      same_home = true;
    }
  }
  return proxy && same_home;
}

void closeInheritedFds() {
  if (close_range(3, ~0U, 0) == 0) {
    return;
  }
  long max_fd = sysconf(_SC_OPEN_MAX);
  for (int fd = 3; fd < (max_fd > 0 ? max_fd : 1024); ++fd) {
    close(fd);
  }
}

}  // namespace

bool processAlive(pid_t pid) {
  if (pid <= 0 || (kill(pid, 0) != 0 && errno != EPERM)) {
    return false;
  }
  // A zombie has exited already; only its parent has not collected it yet.
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  std::getline(stat, line);
  auto paren = line.rfind(')');
  return paren == std::string::npos || paren + 2 >= line.size() || line[paren + 2] != 'Z';
}

std::optional<std::string> readAdminAddress(const core::Home& home) {
  auto text = core::readFile(home.file("admin.address"));
  if (!text) {
    return std::nullopt;
  }
  std::string address = trim(*text);
  if (address.empty()) {
    return std::nullopt;
  }
  return address;
}

DaemonState probeDaemon(const core::Home& home) {
  DaemonState state;
  state.admin_address = readAdminAddress(home).value_or("");
  std::optional<pid_t> pid = readPid(home);
  if (!pid) {
    return state;
  }
  if (processAlive(*pid) && isHomeProxy(*pid, home)) {
    state.running = true;
    state.pid = *pid;
  } else {
    state.stale_pid = *pid;
  }
  return state;
}

bool isLoopbackAddress(const std::string& address) {
  const auto parts = core::net::splitAuthority(address);
  if (!parts) {
    return false;
  }
  const std::string host(parts->host);
  if (host == "localhost" || host == "::1") {
    return true;
  }
  in_addr ip{};
  return inet_pton(AF_INET, host.c_str(), &ip) == 1 && (ntohl(ip.s_addr) >> 24) == 127;
}

core::Result<std::string> pickFreeLoopbackAddress() {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    return core::makeError(core::ErrorKind::kRuntime, "cannot open a socket to pick a port");
  }
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof(addr);
  auto* generic = reinterpret_cast<sockaddr*>(&addr);
  bool ok = bind(fd, generic, sizeof(addr)) == 0 && getsockname(fd, generic, &len) == 0;
  close(fd);
  if (!ok) {
    return core::makeError(core::ErrorKind::kRuntime, "cannot find a free loopback port");
  }
  return "127.0.0.1:" + std::to_string(ntohs(addr.sin_port));
}

core::Result<pid_t> startDaemon(const core::Home& home, const std::string& admin_address) {
  const std::string log_path = home.file("proxy.log").string();
  int log_fd = open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  int null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (log_fd < 0 || null_fd < 0) {
    if (log_fd >= 0) {
      close(log_fd);
    }
    if (null_fd >= 0) {
      close(null_fd);
    }
    return core::makeError(core::ErrorKind::kRuntime, "cannot open " + log_path);
  }
  // Built before fork: the child only calls async-signal-safe functions.
  std::vector<std::string> args = {selfExecutable().string(), "proxy",           "--home",
                                   home.root().string(),      "--admin-address", admin_address};
  std::vector<char*> argv;
  argv.reserve(args.size() + 1);
  for (auto& arg : args) {
    argv.push_back(arg.data());
  }
  argv.push_back(nullptr);

  pid_t pid = fork();
  if (pid < 0) {
    close(log_fd);
    close(null_fd);
    return core::makeError(core::ErrorKind::kRuntime, "fork failed");
  }
  if (pid == 0) {
    setsid();
    dup2(null_fd, STDIN_FILENO);
    dup2(log_fd, STDOUT_FILENO);
    dup2(log_fd, STDERR_FILENO);
    // The home lock and any other descriptor must not outlive this command in the daemon.
    closeInheritedFds();
    if (chdir("/") != 0) {
      _exit(126);
    }
    execv("/proc/self/exe", argv.data());
    _exit(127);
  }
  close(log_fd);
  close(null_fd);
  auto written = core::writeFileAtomic(home.file("proxy.pid"), std::to_string(pid) + "\n", 0644);
  if (!written) {
    kill(pid, SIGTERM);
    return std::move(written).error();
  }
  return pid;
}

core::Status waitUntilReady(const core::Home& home, pid_t pid, const std::string& admin_address,
                            std::chrono::milliseconds timeout) {
  proxy::AdminClient admin(admin_address, "");
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == pid) {
      std::string code = WIFEXITED(status) ? "exit code " + std::to_string(WEXITSTATUS(status))
                                           : "signal " + std::to_string(WTERMSIG(status));
      std::vector<std::string> details;
      std::istringstream log(tailLines(home.file("proxy.log").string(), 10));
      for (std::string line; std::getline(log, line);) {
        details.push_back(line);
      }
      return core::makeError(core::ErrorKind::kRuntime,
                             "the proxy exited during start-up (" + code + "); from " +
                                 home.file("proxy.log").string() + ":",
                             std::move(details));
    }
    if (admin.ready()) {
      return core::Ok{};
    }
    std::this_thread::sleep_for(100ms);
  }
  return core::makeError(core::ErrorKind::kRuntime,
                         "the proxy (pid " + std::to_string(pid) + ") did not answer /ready on " +
                             admin_address + " within " + std::to_string(timeout.count() / 1000) +
                             " s; see " + home.file("proxy.log").string());
}

core::Status stopDaemon(pid_t pid, std::chrono::milliseconds grace) {
  if (kill(pid, SIGTERM) != 0 && errno == ESRCH) {
    return core::Ok{};
  }
  auto wait_for_exit = [pid](std::chrono::milliseconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
      waitpid(pid, nullptr, WNOHANG);  // reaps it when it happens to be our child
      if (!processAlive(pid)) {
        return true;
      }
      std::this_thread::sleep_for(50ms);
    }
    return false;
  };
  if (wait_for_exit(grace)) {
    return core::Ok{};
  }
  kill(pid, SIGKILL);
  if (wait_for_exit(2000ms)) {
    return core::Ok{};
  }
  return core::makeError(core::ErrorKind::kRuntime,
                         "the proxy (pid " + std::to_string(pid) + ") does not exit");
}

std::string tailLines(const std::string& path, int lines) {
  auto text = core::readFile(path);
  if (!text) {
    return "";
  }
  const std::string& s = *text;
  std::size_t end = s.size();
  if (end > 0 && s[end - 1] == '\n') {
    --end;
  }
  std::size_t start = 0;
  std::size_t pos = end;  // lines before `pos` are still to be counted
  for (int n = 0; n < lines && pos > 0; ++n) {
    auto nl = s.rfind('\n', pos - 1);
    if (nl == std::string::npos) {
      start = 0;
      break;
    }
    start = nl + 1;
    pos = nl;
  }
  return s.substr(start, end - start) + "\n";
}

}  // namespace gw::cli
