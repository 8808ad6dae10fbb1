#include "proxy/exchange/limit_fields.hpp"

#include <array>
#include <charconv>
#include <cstring>
#include <string_view>

namespace gw::proxy {
namespace {

constexpr std::string_view kPolicy = "ratelimit-policy";
constexpr std::string_view kLimit = "ratelimit";
constexpr std::array<std::string_view, 3> kLegacy = {"x-ratelimit-limit", "x-ratelimit-remaining",
                                                     "x-ratelimit-reset"};

void appendNumber(std::string& out, std::int64_t n) {
  char digits[24];
  const auto [end, ec] = std::to_chars(digits, digits + sizeof digits, n);
  out.append(digits, end);
}

// "name";r=REMAINING;t=RESET
void appendLimitValue(const ExchangeFacts::LimitReport& report, std::string& out) {
  out += '"';
  out += *report.name;
  out += "\";r=";
  appendNumber(out, report.remaining);
  out += ";t=";
  appendNumber(out, report.reset_s);
}

void appendLine(std::string_view name, std::string& out) {
  out += name;
  out += ": ";
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.size(); ++i) {
    if ((a[i] | 0x20) != (b[i] | 0x20)) {  // letters and '-' only in these names
      return false;
    }
  }
  return true;
}

}  // namespace

std::string limitLines(const std::string& name, const std::string& policy, std::int64_t quota,
                       bool legacy) {
  std::string out;
  if (legacy) {
    appendLine(kLegacy[0], out);
    appendNumber(out, quota);
    out += "\r\n";
    appendLine(kLegacy[1], out);
    return out;
  }
  appendLine(kPolicy, out);
  out += policy;
  out += "\r\n";
  appendLine(kLimit, out);
  out += '"';
  out += name;
  out += "\";r=";
  return out;
}

void appendLimitFields(const ExchangeFacts::LimitReport& report, std::string& out) {
  // The numbers after the limit's own text, in one piece.
  char tail[96];
  char* at = tail;
  const auto put = [&at](std::string_view text) {
    std::memcpy(at, text.data(), text.size());
    at += text.size();
  };
  at = std::to_chars(at, tail + 24, report.remaining).ptr;
  put(report.legacy ? std::string_view("\r\nx-ratelimit-reset: ") : std::string_view(";t="));
  at = std::to_chars(at, at + 24, report.reset_s).ptr;
  put("\r\n");
  out += *report.lines;
  out.append(tail, at);
}

void writeLimitFields(const ExchangeFacts::LimitReport& report, http::response_header<>& head) {
  std::string value;
  if (report.legacy) {
    const std::int64_t values[] = {report.quota, report.remaining, report.reset_s};
    for (std::size_t i = 0; i < kLegacy.size(); ++i) {
      value.clear();
      appendNumber(value, values[i]);
      head.set(kLegacy[i], value);
    }
    return;
  }
  head.set(kPolicy, *report.policy);
  appendLimitValue(report, value);
  head.set(kLimit, value);
}

void eraseLimitFields(const ExchangeFacts::LimitReport& report, http::response_header<>& head) {
  for (auto it = head.begin(); it != head.end();) {
    const std::string_view name = it->name_string();
    bool ours = false;
    if (report.legacy) {
      ours = name.size() > 12 && iequals(name.substr(0, 12), "x-ratelimit-") &&
             (iequals(name, kLegacy[0]) || iequals(name, kLegacy[1]) || iequals(name, kLegacy[2]));
    } else {
      ours = iequals(name, kLimit) || iequals(name, kPolicy);
    }
    it = ours ? head.erase(it) : std::next(it);
  }
}

}  // namespace gw::proxy
