#pragma once
// UTC calendar days and months for usage and quotas: a day is "YYYY-MM-DD", a month
// "YYYY-MM", both as text so stored rows sort and group as dates do.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace gw::usage {

// Days since 1970-01-01 (UTC) of a Unix time in seconds.
std::int64_t dayNumber(std::int64_t unix_s);
// "YYYY-MM-DD" of a day number, and back (nothing when not a real date).
std::string dayText(std::int64_t day);
std::optional<std::int64_t> parseDay(std::string_view text);
// "YYYY-MM" of a day number; months since 1970-01 of a day number.
std::string monthText(std::int64_t day);
std::int64_t monthNumber(std::int64_t day);
// The first day of month "YYYY-MM", and the first day of the month after it.
std::optional<std::int64_t> parseMonth(std::string_view text);
std::int64_t nextMonthStart(std::int64_t day);
// Unix seconds at which the UTC day (or month) holding `unix_s` ends.
std::int64_t dayEnd(std::int64_t unix_s);
std::int64_t monthEnd(std::int64_t unix_s);

}  // namespace gw::usage
