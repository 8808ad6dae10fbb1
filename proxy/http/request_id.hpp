#pragma once
// The x-request-id of one request, held in place (no allocation). A client's id is kept when
// it is short and made of safe characters (so it can go into logs and headers as it is);
// otherwise the gateway makes one from a random prefix per thread and a counter, which is
// unique without a random draw per request.

#include <array>
#include <cstddef>
#include <string_view>

namespace gw::proxy {

inline constexpr std::string_view kRequestIdHeader = "x-request-id";

class RequestId {
 public:
  static constexpr std::size_t kMaxLength = 64;

  // Keeps `incoming` when it is a sane id, else generates one. Returns whether it was kept.
  bool assign(std::string_view incoming);
  void generate();
  void clear() { size_ = 0; }
  bool empty() const { return size_ == 0; }
  std::string_view view() const { return {text_.data(), size_}; }

  // 1 to kMaxLength characters of [A-Za-z0-9._:-].
  static bool acceptable(std::string_view id);

 private:
  std::array<char, kMaxLength> text_{};
  std::size_t size_ = 0;
};

}  // namespace gw::proxy
