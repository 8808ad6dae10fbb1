#include "core/config/limits.hpp"

#include <array>
#include <charconv>
#include <utility>

#include "core/config/model.hpp"

namespace gw::core {
namespace {

template <class E, std::size_t N>
std::optional<E> byName(const std::array<std::pair<const char*, E>, N>& names, std::string_view s) {
  for (const auto& [text, value] : names) {
    if (s == text) {
      return value;
    }
  }
  return std::nullopt;
}

template <class E, std::size_t N>
const char* nameOf(const std::array<std::pair<const char*, E>, N>& names, E value) {
  for (const auto& [text, v] : names) {
    if (v == value) {
      return text;
    }
  }
  return "?";
}

constexpr std::array<std::pair<const char*, RateLimit::Mode>, 2> kModes{
    {{"enforce", RateLimit::Mode::kEnforce}, {"shadow", RateLimit::Mode::kShadow}}};
constexpr std::array<std::pair<const char*, RateLimit::Store>, 2> kStores{
    {{"local", RateLimit::Store::kLocal}, {"redis", RateLimit::Store::kRedis}}};
constexpr std::array<std::pair<const char*, RateLimit::OnStoreError>, 3> kOnStoreErrors{
    {{"local", RateLimit::OnStoreError::kLocal},
     {"allow", RateLimit::OnStoreError::kAllow},
     {"deny", RateLimit::OnStoreError::kDeny}}};
constexpr std::array<std::pair<const char*, RateLimit::Headers>, 3> kHeaders{
    {{"draft", RateLimit::Headers::kDraft},
     {"legacy", RateLimit::Headers::kLegacy},
     {"none", RateLimit::Headers::kNone}}};
constexpr std::array<std::pair<const char*, Metering::Store>, 2> kMeteringStores{
    {{"sqlite", Metering::Store::kSqlite}, {"redis", Metering::Store::kRedis}}};
constexpr std::array<std::pair<const char*, Quota::Period>, 2> kPeriods{
    {{"day", Quota::Period::kDay}, {"month", Quota::Period::kMonth}}};

// "N/REST": the count and what follows the slash.
std::optional<std::pair<std::int64_t, std::string_view>> countSlash(std::string_view s) {
  const auto slash = s.find('/');
  if (slash == std::string_view::npos || slash == 0) {
    return std::nullopt;
  }
  std::int64_t n = 0;
  const char* end = s.data() + slash;
  auto [ptr, ec] = std::from_chars(s.data(), end, n);
  if (ec != std::errc() || ptr != end || n < 0) {
    return std::nullopt;
  }
  return std::pair{n, s.substr(slash + 1)};
}

constexpr std::int64_t kMicros = 1'000'000;

}  // namespace

std::optional<Rate> parseRate(std::string_view s) {
  const auto parts = countSlash(s);
  if (!parts) {
    return std::nullopt;
  }
  std::string_view period = parts->second;
  constexpr std::array<std::pair<const char*, const char*>, 8> kBare{{{"s", "1s"},
                                                                      {"m", "1m"},
                                                                      {"h", "1h"},
                                                                      {"d", "1d"},
                                                                      {"second", "1s"},
                                                                      {"minute", "1m"},
                                                                      {"hour", "1h"},
                                                                      {"day", "1d"}}};
  for (const auto& [bare, full] : kBare) {
    if (period == bare) {
      period = full;
    }
  }
  const auto duration = parseDuration(period);
  if (!duration) {
    return std::nullopt;
  }
  return Rate{parts->first, *duration};
}

std::string formatRate(const Rate& rate) {
  return std::to_string(rate.requests) + "/" + formatDuration(rate.period);
}

std::optional<Quota> parseQuota(std::string_view s) {
  const auto parts = countSlash(s);
  if (!parts) {
    return std::nullopt;
  }
  const auto period = byName(kPeriods, parts->second);
  if (!period) {
    return std::nullopt;
  }
  return Quota{parts->first, *period};
}

std::string formatQuota(const Quota& quota) {
  return std::to_string(quota.requests) + "/" + nameOf(kPeriods, quota.period);
}

std::optional<Micros> parseMoney(std::string_view s) {
  const bool negative = !s.empty() && s.front() == '-';
  if (negative) {
    s.remove_prefix(1);
  }
  const auto dot = s.find('.');
  const std::string_view whole = s.substr(0, dot);
  const std::string_view fraction = dot == std::string_view::npos ? "" : s.substr(dot + 1);
  if (whole.empty() || fraction.size() > 6 || (dot != std::string_view::npos && fraction.empty())) {
    return std::nullopt;
  }
  std::int64_t units = 0;
  auto [end, ec] = std::from_chars(whole.data(), whole.data() + whole.size(), units);
  if (ec != std::errc() || end != whole.data() + whole.size() || units > kMicros * 1'000'000) {
    return std::nullopt;
  }
  Micros amount = units * kMicros;
  std::int64_t scale = kMicros / 10;
  for (const char c : fraction) {
    if (c < '0' || c > '9') {
      return std::nullopt;
    }
    amount += (c - '0') * scale;
    scale /= 10;
  }
  return negative ? -amount : amount;
}

std::string formatMoney(Micros amount) {
  std::string out = amount < 0 ? "-" : "";
  const std::int64_t magnitude = amount < 0 ? -amount : amount;
  out += std::to_string(magnitude / kMicros);
  std::string fraction = std::to_string(kMicros + magnitude % kMicros).substr(1);
  while (fraction.size() > 2 && fraction.back() == '0') {
    fraction.pop_back();
  }
  return out + "." + fraction;
}

bool isLimitKey(std::string_view s) {
  if (s == "consumer" || s == "ip" || s == "route") {
    return true;
  }
  return s.rfind("header:", 0) == 0 && s.size() > 7;
}

const char* toString(RateLimit::Mode m) { return nameOf(kModes, m); }
const char* toString(RateLimit::Store s) { return nameOf(kStores, s); }
const char* toString(RateLimit::OnStoreError e) { return nameOf(kOnStoreErrors, e); }
const char* toString(RateLimit::Headers h) { return nameOf(kHeaders, h); }
const char* toString(Metering::Store s) { return nameOf(kMeteringStores, s); }
std::optional<RateLimit::Mode> parseLimitMode(std::string_view s) { return byName(kModes, s); }
std::optional<RateLimit::Store> parseLimitStore(std::string_view s) { return byName(kStores, s); }
std::optional<RateLimit::OnStoreError> parseOnStoreError(std::string_view s) {
  return byName(kOnStoreErrors, s);
}
std::optional<RateLimit::Headers> parseLimitHeaders(std::string_view s) {
  return byName(kHeaders, s);
}
std::optional<Metering::Store> parseMeteringStore(std::string_view s) {
  return byName(kMeteringStores, s);
}

}  // namespace gw::core
