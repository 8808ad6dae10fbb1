#pragma once
// What one thread of this process asks of the kernel, counted by strace attached to it:
// how many reads and writes a proxy worker makes to relay an answer. Linux only.

#include <sys/types.h>

#include <filesystem>
#include <map>
#include <string>

#include "tests/support/process.hpp"

namespace gw::test {

// The id of the thread of this process named `name` (pthread_setname_np), or -1.
pid_t threadNamed(const std::string& name);

// This process's resident memory, in KiB (VmRSS).
long residentKiB();

struct SyscallCounts {
  int reads = 0;   // read, readv, recvfrom, recvmsg
  int writes = 0;  // write, writev, sendto, sendmsg
  int total = 0;   // every call traced
  std::map<std::string, int> by_name;
  int of(const std::string& name) const;
};

// strace's -e argument: the reads and writes, or everything.
inline constexpr const char* kTraceReadsWrites =
    "trace=read,readv,recvfrom,recvmsg,write,writev,sendto,sendmsg";
inline constexpr const char* kTraceAll = "trace=all";

class SyscallTrace {
 public:
  // Attaches strace to thread `tid`; throws when it is not tracing within 10 s.
  explicit SyscallTrace(pid_t tid, const char* what = kTraceReadsWrites);
  SyscallTrace(const SyscallTrace&) = delete;
  ~SyscallTrace();
  // Detaches and counts what the thread did since the constructor returned.
  SyscallCounts stop();

 private:
  TempDir dir_;
  std::filesystem::path log_;
  pid_t tid_;
  Process strace_;
  bool stopped_ = false;
};

}  // namespace gw::test
