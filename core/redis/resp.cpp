#include "core/redis/resp.hpp"

#include <charconv>

namespace gw::redis {

void appendCommand(std::string& out, const std::vector<std::string_view>& args) {
  out += '*';
  out += std::to_string(args.size());
  out += "\r\n";
  for (const std::string_view arg : args) {
    out += '$';
    out += std::to_string(arg.size());
    out += "\r\n";
    out += arg;
    out += "\r\n";
  }
}

std::optional<std::string_view> ReplyParser::line() {
  const auto end = buffer_.find("\r\n", pos_);
  if (end == std::string::npos) {
    if (buffer_.size() - pos_ > kMaxBulk) {
      failed_ = true;
    }
    return std::nullopt;
  }
  std::string_view text(buffer_.data() + pos_, end - pos_);
  pos_ = end + 2;
  return text;
}

namespace {

bool number(std::string_view text, std::int64_t& out) {
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size();
}

}  // namespace

bool ReplyParser::parse(Reply& out, int depth) {
  if (pos_ >= buffer_.size()) {
    return false;
  }
  const char kind = buffer_[pos_];
  ++pos_;
  const auto text = line();
  if (!text) {
    return false;
  }
  std::int64_t n = 0;
  switch (kind) {
    case '+':
      out.type = Reply::Type::kString;
      out.text = *text;
      return true;
    case '-':
      out.type = Reply::Type::kError;
      out.text = *text;
      return true;
    case ':':
      out.type = Reply::Type::kInteger;
      if (!number(*text, out.integer)) {
        failed_ = true;
        return false;
      }
      return true;
    case '$':
      if (!number(*text, n) || n < -1 || n > static_cast<std::int64_t>(kMaxBulk)) {
        failed_ = true;
        return false;
      }
      if (n == -1) {
        out.type = Reply::Type::kNil;
        return true;
      }
      if (buffer_.size() - pos_ < static_cast<std::size_t>(n) + 2) {
        return false;
      }
      out.type = Reply::Type::kBulk;
      out.text.assign(buffer_, pos_, static_cast<std::size_t>(n));
      pos_ += static_cast<std::size_t>(n) + 2;
      return true;
    case '*':
      if (!number(*text, n) || n < -1 || n > static_cast<std::int64_t>(kMaxElements) ||
          depth >= kMaxDepth) {
        failed_ = true;
        return false;
      }
      if (n == -1) {
        out.type = Reply::Type::kNil;
        return true;
      }
      out.type = Reply::Type::kArray;
      out.elements.resize(static_cast<std::size_t>(n));
      for (Reply& element : out.elements) {
        if (!parse(element, depth + 1)) {
          return false;
        }
      }
      return true;
    default:
      failed_ = true;
      return false;
  }
}

std::optional<Reply> ReplyParser::next() {
  if (failed_) {
    return std::nullopt;
  }
  const std::size_t start = pos_;
  Reply reply;
  if (!parse(reply, 0)) {
    pos_ = start;  // not all here yet: parse again from the start when more comes
    return std::nullopt;
  }
  if (pos_ > 64 * 1024 || pos_ == buffer_.size()) {
    buffer_.erase(0, pos_);
    pos_ = 0;
  }
  return reply;
}

}  // namespace gw::redis
