#pragma once
// One metered request, and its usage event: a CloudEvents 1.0 JSON line
// (type gw.usage.request) that the meter buffers per worker and appends to the home's
// usage-events file at each flush (metering/usage_meter.hpp).

#include <cstdint>
#include <string>
#include <string_view>

namespace gw::proxy::metering {

struct UsageRecord {
  std::uint32_t consumer = 0;  // ids from UsageMeter::idFor
  std::uint32_t route = 0;
  unsigned status = 0;
  bool refused = false;  // answered by access control, a rate limit or a quota
  std::uint64_t bytes_in = 0;
  std::uint64_t bytes_out = 0;
  std::uint64_t micros = 0;
  // For the event line.
  std::string_view consumer_name;
  std::string_view route_name;
  std::string_view request_id;
};

// The event lines of one worker: their sequence numbers, and the time text of the current
// second, made once per second.
class EventLines {
 public:
  // Appends the line of `record`, made at `now_us` (µs since the epoch), to `out`; its id is
  // `boot_id`-`worker`-sequence.
  void append(std::string& out, std::string_view boot_id, int worker, const UsageRecord& record,
              std::int64_t now_us);

 private:
  std::uint64_t sequence_ = 0;
  std::int64_t second_ = -1;  // the second `time_text_` holds
  std::string time_text_;
};

}  // namespace gw::proxy::metering
