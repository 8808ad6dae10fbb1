#include "proxy/cache/cache_control.hpp"

#include <array>
#include <charconv>
#include <cstdio>
#include <ctime>

#include "proxy/http/lists.hpp"

namespace gw::proxy::cache {
namespace {

constexpr Seconds kMaxDelta = Seconds{1} << 31;  // RFC 9111 1.2.2: cap, do not overflow

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto x = static_cast<unsigned char>(a[i]);
    const auto y = static_cast<unsigned char>(b[i]);
    if ((x >= 'A' && x <= 'Z' ? x + 32 : x) != (y >= 'A' && y <= 'Z' ? y + 32 : y)) {
      return false;
    }
  }
  return true;
}

// delta-seconds (digits only; a quoted form is tolerated), capped at 2^31.
std::optional<Seconds> deltaSeconds(std::string_view text) {
  if (text.size() >= 2 && text.front() == '"' && text.back() == '"') {
    text = text.substr(1, text.size() - 2);
  }
  if (text.empty()) {
    return std::nullopt;
  }
  Seconds value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') {
      return std::nullopt;
    }
    value = std::min(kMaxDelta, value * 10 + (c - '0'));
  }
  return value;
}

// The next comma-separated element at `pos`, outside quoted strings.
std::string_view nextElement(std::string_view value, std::size_t& pos) {
  const std::size_t start = pos;
  bool quoted = false;
  for (; pos < value.size(); ++pos) {
    const char c = value[pos];
    if (c == '"') {
      quoted = !quoted;
    } else if (c == '\\' && quoted && pos + 1 < value.size()) {
      ++pos;
    } else if (c == ',' && !quoted) {
      break;
    }
  }
  const std::string_view element = value.substr(start, pos - start);
  if (pos < value.size()) {
    ++pos;  // past the comma
  }
  return trimOws(element);
}

int monthIndex(std::string_view name) {
  static constexpr std::array<std::string_view, 12> kMonths = {
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  for (int i = 0; i < 12; ++i) {
    if (name == kMonths[static_cast<std::size_t>(i)]) {
      return i;
    }
  }
  return -1;
}

std::optional<Seconds> toUnix(int year, int month, int day, int hour, int minute, int second) {
  if (month < 0 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60 || year < 1970) {
    return std::nullopt;
  }
  std::tm t{};
  t.tm_year = year - 1900;
  t.tm_mon = month;
  t.tm_mday = day;
  t.tm_hour = hour;
  t.tm_min = minute;
  t.tm_sec = second;
  return static_cast<Seconds>(timegm(&t));
}

}  // namespace

void parseCacheControl(std::string_view value, CacheControl& into) {
  struct Flag {
    std::string_view name;
    bool CacheControl::*member;
  };
  static constexpr std::array<Flag, 10> kFlags = {{
      {"no-store", &CacheControl::no_store},
      {"no-cache", &CacheControl::no_cache},
      {"private", &CacheControl::is_private},
      {"public", &CacheControl::is_public},
      {"must-revalidate", &CacheControl::must_revalidate},
      {"proxy-revalidate", &CacheControl::proxy_revalidate},
      {"no-transform", &CacheControl::no_transform},
      {"only-if-cached", &CacheControl::only_if_cached},
      {"must-understand", &CacheControl::must_understand},
      {"immutable", &CacheControl::immutable},
  }};
  struct Delta {
    std::string_view name;
    std::optional<Seconds> CacheControl::*member;
    bool malformed_is_zero;  // max-age and s-maxage: stale, the safe reading
  };
  static constexpr std::array<Delta, 5> kDeltas = {{
      {"max-age", &CacheControl::max_age, true},
      {"s-maxage", &CacheControl::s_maxage, true},
      {"stale-while-revalidate", &CacheControl::stale_while_revalidate, false},
      {"stale-if-error", &CacheControl::stale_if_error, false},
      {"min-fresh", &CacheControl::min_fresh, false},
  }};
  std::size_t pos = 0;
  while (pos < value.size()) {
    const std::string_view element = nextElement(value, pos);
    const std::size_t eq = element.find('=');
    const std::string_view name = trimOws(element.substr(0, eq));
    const bool has_arg = eq != std::string_view::npos;
    const std::string_view arg = has_arg ? trimOws(element.substr(eq + 1)) : std::string_view();
    for (const Flag& flag : kFlags) {
      if (iequals(name, flag.name)) {
        into.*flag.member = true;
      }
    }
    for (const Delta& delta : kDeltas) {
      if (iequals(name, delta.name)) {
        const auto seconds = deltaSeconds(arg);
        into.*delta.member = seconds || !delta.malformed_is_zero ? seconds : Seconds{0};
      }
    }
    if (iequals(name, "max-stale")) {
      if (has_arg) {
        into.max_stale = deltaSeconds(arg);
      } else {
        into.max_stale_any = true;
      }
    }
  }
}

std::optional<Seconds> parseHttpDate(std::string_view text) {
  text = trimOws(text);
  char weekday[16] = {};
  char month[4] = {};
  char zone[4] = {};
  int day = 0;
  int year = 0;
  int hour = 0;
  int minute = 0;
  int second = 0;
  const std::string s(text);
  int used = 0;
  // IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT
  if (std::sscanf(s.c_str(), "%3s, %2d %3s %4d %2d:%2d:%2d %3s%n", weekday, &day, month, &year,
                  &hour, &minute, &second, zone, &used) == 8 &&
      static_cast<std::size_t>(used) == s.size() && std::string_view(zone) == "GMT") {
    return toUnix(year, monthIndex(month), day, hour, minute, second);
  }
  // RFC 850: Sunday, 06-Nov-94 08:49:37 GMT (two-digit years: 70-99 are 19xx)
  if (std::sscanf(s.c_str(), "%15[A-Za-z], %2d-%3s-%2d %2d:%2d:%2d %3s%n", weekday, &day, month,
                  &year, &hour, &minute, &second, zone, &used) == 8 &&
      static_cast<std::size_t>(used) == s.size() && std::string_view(zone) == "GMT") {
    return toUnix(year < 70 ? 2000 + year : 1900 + year, monthIndex(month), day, hour, minute,
                  second);
  }
  // asctime: Sun Nov  6 08:49:37 1994
  if (std::sscanf(s.c_str(), "%3s %3s %d %2d:%2d:%2d %4d%n", weekday, month, &day, &hour, &minute,
                  &second, &year, &used) == 7 &&
      static_cast<std::size_t>(used) == s.size()) {
    return toUnix(year, monthIndex(month), day, hour, minute, second);
  }
  return std::nullopt;
}

void formatHttpDate(Seconds unix_s, char (&out)[30]) {
  const auto t = static_cast<std::time_t>(unix_s);
  std::tm utc{};
  gmtime_r(&t, &utc);
  static constexpr std::array<const char*, 7> kDays = {"Sun", "Mon", "Tue", "Wed",
                                                       "Thu", "Fri", "Sat"};
  static constexpr std::array<const char*, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  char* at = out;
  const auto put = [&at](std::string_view text) {
    for (const char c : text) {
      *at++ = c;
    }
  };
  const auto two = [&at](int n) {
    *at++ = static_cast<char>('0' + n / 10 % 10);
    *at++ = static_cast<char>('0' + n % 10);
  };
  put(kDays[static_cast<std::size_t>(utc.tm_wday)]);
  put(", ");
  two(utc.tm_mday);
  put(" ");
  put(kMonths[static_cast<std::size_t>(utc.tm_mon)]);
  put(" ");
  two((utc.tm_year + 1900) / 100);
  two(utc.tm_year + 1900);
  put(" ");
  two(utc.tm_hour);
  put(":");
  two(utc.tm_min);
  put(":");
  two(utc.tm_sec);
  put(" GMT");
  *at = '\0';
}

}  // namespace gw::proxy::cache
