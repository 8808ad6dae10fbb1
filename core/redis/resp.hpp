#pragma once
// RESP2, the Redis protocol: commands out as arrays of bulk strings, replies in as simple
// strings, errors, integers, bulk strings (or nil) and arrays of them. The parser takes bytes
// as they arrive and yields whole replies; it never throws, and bounds what it accepts.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gw::redis {

struct Reply {
  enum class Type { kString, kError, kInteger, kBulk, kNil, kArray };
  Type type = Type::kNil;
  std::string text;  // kString, kError, kBulk
  std::int64_t integer = 0;
  std::vector<Reply> elements;  // kArray
};

// *N\r\n$len\r\narg\r\n... appended to `out`.
void appendCommand(std::string& out, const std::vector<std::string_view>& args);

class ReplyParser {
 public:
  static constexpr std::size_t kMaxBulk = 1 << 20;
  static constexpr std::size_t kMaxElements = 1024;
  static constexpr int kMaxDepth = 4;

  void feed(std::string_view bytes) { buffer_.append(bytes); }
  // The next whole reply, or nothing yet. After a protocol error, failed() is true for good.
  std::optional<Reply> next();
  bool failed() const { return failed_; }

 private:
  // Parses one reply at pos_; false when more bytes are needed (or on error).
  bool parse(Reply& out, int depth);
  std::optional<std::string_view> line();

  std::string buffer_;
  std::size_t pos_ = 0;
  bool failed_ = false;
};

}  // namespace gw::redis
