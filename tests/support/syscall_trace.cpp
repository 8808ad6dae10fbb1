#include "tests/support/syscall_trace.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <stdexcept>
#include <string_view>
#include <thread>

#include "tests/support/eventually.hpp"

namespace gw::test {
namespace {

constexpr std::string_view kReads[] = {"read(", "readv(", "recvfrom(", "recvmsg("};
constexpr std::string_view kWrites[] = {"write(", "writev(", "sendto(", "sendmsg("};

bool startsWithAny(const std::string& line, const auto& names) {
  return std::ranges::any_of(names,
                             [&](const std::string_view name) { return line.rfind(name, 0) == 0; });
}

// "TracerPid:\t0" until a tracer is attached.
bool traced(pid_t tid) {
  std::ifstream status("/proc/self/task/" + std::to_string(tid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("TracerPid:", 0) == 0) {
      return line.find_first_of("123456789") != std::string::npos;
    }
  }
  return false;
}

}  // namespace

pid_t threadNamed(const std::string& name) {
  for (const auto& task : std::filesystem::directory_iterator("/proc/self/task")) {
    std::ifstream comm(task.path() / "comm");
    std::string found;
    if (std::getline(comm, found) && found == name) {
      return static_cast<pid_t>(std::stol(task.path().filename().string()));
    }
  }
  return -1;
}

long residentKiB() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) {
      return std::stol(line.substr(6));
    }
  }
  return -1;
}

int SyscallCounts::of(const std::string& name) const {
  const auto found = by_name.find(name);
  return found == by_name.end() ? 0 : found->second;
}

SyscallTrace::SyscallTrace(pid_t tid, const char* what)
    : log_(dir_.path() / "strace.log"),
      tid_(tid),
      strace_(Process::spawn(
          {"strace", "-qq", "-p", std::to_string(tid), "-o", log_.string(), "-e", what})) {
  if (!eventually([&] { return traced(tid_); }, 10s)) {
    throw std::runtime_error("strace did not attach to thread " + std::to_string(tid_));
  }
}

SyscallTrace::~SyscallTrace() {
  if (!stopped_) {
    strace_.stop();
  }
}

SyscallCounts SyscallTrace::stop() {
  stopped_ = true;
  strace_.stop();  // strace detaches on SIGTERM and writes out its log
  SyscallCounts counts;
  std::ifstream log(log_);
  std::string line;
  while (std::getline(log, line)) {
    const auto paren = line.find('(');
    if (paren == std::string::npos || paren == 0 || line.front() == '<') {
      continue;  // "+++ exited", "--- SIGxxx", a resumed call's second half
    }
    ++counts.total;
    ++counts.by_name[line.substr(0, paren)];
    if (startsWithAny(line, kReads)) {
      ++counts.reads;
    } else if (startsWithAny(line, kWrites)) {
      ++counts.writes;
    }
  }
  return counts;
}

}  // namespace gw::test
