#include "core/config/cache.hpp"

#include <array>
#include <charconv>
#include <limits>

namespace gw::core {
namespace {

struct Unit {
  const char* name;
  std::int64_t factor;
};

// Longest names first: "KiB" before "B".
constexpr std::array<Unit, 9> kUnits{{{"KiB", 1LL << 10},
                                      {"MiB", 1LL << 20},
                                      {"GiB", 1LL << 30},
                                      {"kB", 1000},
                                      {"KB", 1000},
                                      {"MB", 1000 * 1000},
                                      {"GB", 1000 * 1000 * 1000},
                                      {"B", 1},
                                      {"", 1}}};

}  // namespace

std::optional<std::int64_t> parseByteSize(std::string_view text) {
  std::int64_t n = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc{} || end == text.data() || n < 0) {
    return std::nullopt;
  }
  const std::string_view unit = text.substr(static_cast<std::size_t>(end - text.data()));
  for (const Unit& u : kUnits) {
    if (unit == u.name) {
      if (n > std::numeric_limits<std::int64_t>::max() / u.factor) {
        return std::nullopt;
      }
      return n * u.factor;
    }
  }
  return std::nullopt;
}

std::string formatByteSize(std::int64_t bytes) {
  constexpr std::array<Unit, 3> kBinary{
      {{"GiB", 1LL << 30}, {"MiB", 1LL << 20}, {"KiB", 1LL << 10}}};
  for (const Unit& u : kBinary) {
    if (bytes != 0 && bytes % u.factor == 0) {
      return std::to_string(bytes / u.factor) + u.name;
    }
  }
  return std::to_string(bytes);
}

}  // namespace gw::core
