#include "proxy/observe/access_log.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <memory>

namespace gw::proxy {
namespace {

void appendEscaped(std::string& out, std::string_view s) {
  out += '"';
  std::size_t plain = 0;  // runs of characters that need no escape are appended at once
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto u = static_cast<unsigned char>(s[i]);
    if (u >= 0x20 && s[i] != '"' && s[i] != '\\') {
      continue;
    }
    out.append(s.data() + plain, i - plain);
    plain = i + 1;
    if (u < 0x20) {
      constexpr char kHexDigits[] = "0123456789abcdef";
      const char escaped[6] = {'\\', 'u', '0', '0', kHexDigits[u >> 4], kHexDigits[u & 15]};
      out.append(escaped, sizeof escaped);
    } else {
      out += '\\';
      out += s[i];
    }
  }
  out.append(s.data() + plain, s.size() - plain);
  out += '"';
}

void appendField(std::string& out, std::string_view name, std::string_view value) {
  out += ",\"";
  out += name;
  out += "\":";
  appendEscaped(out, value);
}

void appendUnsigned(std::string& out, std::uint64_t value) {
  char digits[24];
  char* const end = std::to_chars(digits, digits + sizeof digits, value).ptr;
  out.append(digits, end);
}

void appendNumber(std::string& out, std::string_view name, std::uint64_t value) {
  out += ",\"";
  out += name;
  out += "\":";
  appendUnsigned(out, value);
}

// Milliseconds with three decimals, from a duration, without printf.
void appendMillis(std::string& out, std::string_view name,
                  std::chrono::steady_clock::duration duration) {
  const auto count = std::chrono::duration_cast<std::chrono::microseconds>(duration).count();
  const auto micros = static_cast<std::uint64_t>(std::max<std::int64_t>(0, count));
  out += ",\"";
  out += name;
  out += "\":";
  appendUnsigned(out, micros / 1000);
  const auto frac = static_cast<unsigned>(micros % 1000);
  const char decimals[4] = {'.', static_cast<char>('0' + frac / 100),
                            static_cast<char>('0' + frac / 10 % 10),
                            static_cast<char>('0' + frac % 10)};
  out.append(decimals, sizeof decimals);
}

}  // namespace

core::Result<std::unique_ptr<AccessLogFile>> AccessLogFile::open(const std::string& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
  if (fd < 0) {
    return core::makeError(core::ErrorKind::kRuntime,
                           "cannot open access log " + path + ": " + std::strerror(errno));
  }
  return std::unique_ptr<AccessLogFile>(new AccessLogFile(fd));
}

AccessLogFile::~AccessLogFile() {
  if (fd_ >= 0) {
    ::close(fd_);
  }
}

void AccessLogFile::write(std::string_view data) const {
  while (!data.empty()) {
    const ssize_t n = ::write(fd_, data.data(), data.size());
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      return;  // a full disk must not stop the proxy; the lines are lost
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
}

void AccessLogWriter::appendTime() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t second = std::chrono::system_clock::to_time_t(now);
  if (second != cached_second_) {
    std::tm utc{};
    gmtime_r(&second, &utc);
    std::strftime(cached_time_, sizeof cached_time_, "%Y-%m-%dT%H:%M:%S", &utc);
    cached_second_ = second;
  }
  const auto millis = static_cast<unsigned>(
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000);
  const char frac[6] = {'.',
                        static_cast<char>('0' + millis / 100),
                        static_cast<char>('0' + millis / 10 % 10),
                        static_cast<char>('0' + millis % 10),
                        'Z',
                        '"'};
  buffer_ += R"({"time":")";
  buffer_ += cached_time_;
  buffer_.append(frac, sizeof frac);
}

void AccessLogWriter::append(const AccessRecord& record) {
  appendTime();
  appendField(buffer_, "requestId", record.request_id);
  appendField(buffer_, "client", record.client);
  appendField(buffer_, "method", record.method);
  appendField(buffer_, "host", record.host);
  appendField(buffer_, "path", record.path);
  appendField(buffer_, "route", record.route);
  appendField(buffer_, "service", record.service);
  appendField(buffer_, "endpoint", record.endpoint);
  appendNumber(buffer_, "status", record.status);
  appendNumber(buffer_, "bytes", record.bytes);
  appendMillis(buffer_, "durationMs", record.duration);
  if (record.upstream) {
    appendMillis(buffer_, "upstreamMs", *record.upstream);
  } else {
    buffer_ += ",\"upstreamMs\":null";
  }
  appendNumber(buffer_, "retries", static_cast<std::uint64_t>(std::max(0, record.retries)));
  appendField(buffer_, "error", record.error);
  if (!record.consumer.empty()) {
    appendField(buffer_, "consumer", record.consumer);
  }
  if (record.shadow_denied) {
    buffer_ += ",\"shadowDenied\":true";
  }
  if (!record.cache.empty()) {
    appendField(buffer_, "cache", record.cache);
  }
  buffer_ += "}\n";
  if (buffer_.size() >= kFlushAt) {
    flush();
  }
}

void AccessLogWriter::flush() {
  if (!buffer_.empty()) {
    file_.write(buffer_);
    buffer_.clear();
  }
}

}  // namespace gw::proxy
