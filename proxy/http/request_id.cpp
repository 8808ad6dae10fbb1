#include "proxy/http/request_id.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <random>

namespace gw::proxy {
namespace {

constexpr char kHex[] = "0123456789abcdef";

struct IdSource {
  IdSource() {
    std::random_device device;
    const std::uint64_t random = std::uint64_t{device()} << 32 | device();
    for (std::size_t i = 0; i < prefix.size(); ++i) {
      prefix[i] = kHex[(random >> (4 * i)) & 15];
    }
  }
  std::array<char, 12> prefix{};  // 48 random bits per thread: ids differ across restarts
  std::uint64_t counter = 0;
};

}  // namespace

bool RequestId::acceptable(std::string_view id) {
  if (id.empty() || id.size() > kMaxLength) {
    return false;
  }
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.' || c == ':';
  });
}

bool RequestId::assign(std::string_view incoming) {
  if (acceptable(incoming)) {
    std::memcpy(text_.data(), incoming.data(), incoming.size());
    size_ = incoming.size();
    return true;
  }
  generate();
  return false;
}

void RequestId::generate() {
  thread_local IdSource source;
  const std::uint64_t n = ++source.counter;
  std::memcpy(text_.data(), source.prefix.data(), source.prefix.size());
  std::size_t at = source.prefix.size();
  text_[at++] = '-';
  for (int shift = 60; shift >= 0; shift -= 4) {  // 16 hex digits, fixed width
    text_[at++] = kHex[(n >> shift) & 15];
  }
  size_ = at;
}

}  // namespace gw::proxy
