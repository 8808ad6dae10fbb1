#pragma once
// JSON-lines access log. One AccessLogFile (opened O_APPEND) is shared by every worker; each
// worker appends lines to its own AccessLogWriter buffer and writes it with one write(2)
// when it fills up or when the worker's one-second flush timer fires, so a request costs no
// syscall and lines from different workers never interleave.

#include <chrono>
#include <cstdint>
#include <ctime>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace gw::proxy {

class AccessLogFile {
 public:
  static core::Result<std::unique_ptr<AccessLogFile>> open(const std::string& path);
  ~AccessLogFile();
  AccessLogFile(const AccessLogFile&) = delete;
  AccessLogFile& operator=(const AccessLogFile&) = delete;

  void write(std::string_view data) const;

 private:
  explicit AccessLogFile(int fd) : fd_(fd) {}
  int fd_ = -1;
};

struct AccessRecord {
  std::string_view request_id;
  std::string_view client;
  std::string_view method;
  std::string_view host;
  std::string_view path;
  std::string_view route;
  std::string_view service;
  std::string_view endpoint;
  std::string_view error;  // the x-gw-error reason, "" when the upstream answered
  unsigned status = 0;
  std::uint64_t bytes = 0;  // response body bytes sent to the client
  std::chrono::steady_clock::duration duration{};
  // From the request's last upstream attempt being sent to its response head; none when no
  // upstream answered.
  std::optional<std::chrono::steady_clock::duration> upstream;
  int retries = 0;             // upstream attempts after the first
  std::string_view consumer;   // the authenticated consumer, "" when anonymous
  bool shadow_denied = false;  // an authorization in shadow mode would have refused it
  std::string_view cache;      // hit, stale, revalidated, miss, bypass; "" off a caching route
};

class AccessLogWriter {
 public:
  explicit AccessLogWriter(const AccessLogFile& file) : file_(file) { buffer_.reserve(kFlushAt); }
  ~AccessLogWriter() { flush(); }
  AccessLogWriter(const AccessLogWriter&) = delete;
  AccessLogWriter& operator=(const AccessLogWriter&) = delete;

  void append(const AccessRecord& record);
  void flush();

 private:
  static constexpr std::size_t kFlushAt = 64 * 1024;
  void appendTime();

  const AccessLogFile& file_;
  std::string buffer_;
  std::time_t cached_second_ = -1;
  char cached_time_[32] = {};  // "2024-05-01T12:00:00" for cached_second_
};

}  // namespace gw::proxy
