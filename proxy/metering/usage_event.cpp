#include "proxy/metering/usage_event.hpp"

#include <charconv>
#include <cstdio>
#include <ctime>

namespace gw::proxy::metering {
namespace {

void appendNumber(std::string& out, std::uint64_t n) {
  char digits[24];
  const auto [end, ec] = std::to_chars(digits, digits + sizeof digits, n);
  out.append(digits, end);
}

void appendJsonString(std::string& out, std::string_view text) {
  out += '"';
  for (const char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\u00";
      out += kHex[(c >> 4) & 0xf];
      out += kHex[c & 0xf];
    } else {
      out += c;
    }
  }
  out += '"';
}

}  // namespace

// {"specversion":"1.0","id":...,"source":"gw","type":"gw.usage.request","time":...,
//  "subject":CONSUMER,"datacontenttype":"application/json","data":{...}}
void EventLines::append(std::string& out, std::string_view boot_id, int worker,
                        const UsageRecord& record, std::int64_t now_us) {
  const std::int64_t second = now_us / 1'000'000;
  if (second != second_) {
    const auto t = static_cast<std::time_t>(second);
    std::tm utc{};
    gmtime_r(&t, &utc);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &utc);
    time_text_ = text;
    second_ = second;
  }
  out += R"({"specversion":"1.0","id":")";
  out += boot_id;
  out += '-';
  appendNumber(out, static_cast<std::uint64_t>(worker));
  out += '-';
  appendNumber(out, ++sequence_);
  out += R"(","source":"gw","type":"gw.usage.request","time":")";
  out += time_text_;
  char millis[8];
  std::snprintf(millis, sizeof millis, ".%03dZ", static_cast<int>(now_us / 1000 % 1000));
  out += millis;
  out += R"(","subject":)";
  appendJsonString(out, record.consumer_name);
  out += R"(,"datacontenttype":"application/json","data":{"consumer":)";
  appendJsonString(out, record.consumer_name);
  out += R"(,"route":)";
  appendJsonString(out, record.route_name);
  out += R"(,"requestId":)";
  appendJsonString(out, record.request_id);
  out += R"(,"status":)";
  appendNumber(out, record.status);
  out += R"(,"refused":)";
  out += record.refused ? "true" : "false";
  out += R"(,"bytesIn":)";
  appendNumber(out, record.bytes_in);
  out += R"(,"bytesOut":)";
  appendNumber(out, record.bytes_out);
  out += R"(,"latencyUs":)";
  appendNumber(out, record.micros);
  out += "}}\n";
}

}  // namespace gw::proxy::metering
