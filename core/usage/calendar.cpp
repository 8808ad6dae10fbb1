#include "core/usage/calendar.hpp"

#include <chrono>
#include <cstdio>

namespace gw::usage {
namespace {

namespace chr = std::chrono;
constexpr std::int64_t kDay = 86400;

chr::year_month_day civil(std::int64_t day) {
  return chr::year_month_day{chr::sys_days{chr::days{day}}};
}

std::int64_t dayOf(const chr::year_month_day& ymd) {
  return chr::sys_days{ymd}.time_since_epoch().count();
}

// Digits at [pos, pos+n) of `text`, or -1.
int digits(std::string_view text, std::size_t pos, std::size_t n) {
  int value = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (i >= text.size() || text[i] < '0' || text[i] > '9') {
      return -1;
    }
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

}  // namespace

std::int64_t dayNumber(std::int64_t unix_s) {
  return unix_s >= 0 ? unix_s / kDay : -((-unix_s + kDay - 1) / kDay);
}

std::string dayText(std::int64_t day) {
  const chr::year_month_day ymd = civil(day);
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return text;
}

std::optional<std::int64_t> parseDay(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') {
    return std::nullopt;
  }
  const int y = digits(text, 0, 4);
  const int m = digits(text, 5, 2);
  const int d = digits(text, 8, 2);
  if (y < 0 || m < 0 || d < 0) {
    return std::nullopt;
  }
  const chr::year_month_day ymd{chr::year{y}, chr::month{static_cast<unsigned>(m)},
                                chr::day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) {
    return std::nullopt;
  }
  return dayOf(ymd);
}

std::string monthText(std::int64_t day) { return dayText(day).substr(0, 7); }

std::int64_t monthNumber(std::int64_t day) {
  const chr::year_month_day ymd = civil(day);
  return (static_cast<std::int64_t>(static_cast<int>(ymd.year())) - 1970) * 12 +
         static_cast<unsigned>(ymd.month()) - 1;
}

std::optional<std::int64_t> parseMonth(std::string_view text) {
  if (text.size() != 7) {
    return std::nullopt;
  }
  return parseDay(std::string(text) + "-01");
}

std::int64_t nextMonthStart(std::int64_t day) {
  const chr::year_month_day ymd = civil(day);
  const chr::year_month first = chr::year_month{ymd.year(), ymd.month()} + chr::months{1};
  return dayOf(first / chr::day{1});
}

std::int64_t dayEnd(std::int64_t unix_s) { return (dayNumber(unix_s) + 1) * kDay; }

std::int64_t monthEnd(std::int64_t unix_s) { return nextMonthStart(dayNumber(unix_s)) * kDay; }

}  // namespace gw::usage
