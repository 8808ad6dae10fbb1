#include "core/usage/redis_store.hpp"

#include <algorithm>
#include <charconv>
#include <map>
#include <tuple>

#include "core/usage/calendar.hpp"

namespace gw::usage {
namespace {

constexpr const char* kPrefix = "gw:usage:";
constexpr int kMarkerSeconds = 86400;
constexpr int kArgsPerDelta = 11;

// ARGV: marker lifetime, then per delta: day, day number, consumer, route, class, requests,
// refused, bytesIn, bytesOut, latencyUs, latencyMaxUs. Returns 1 when applied, 0 when this
// part was applied before.
constexpr const char* kApply = R"lua(
if not redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[1]) then return 0 end
for i = 2, #ARGV, 11 do
  local day = ARGV[i]
  local h = 'gw:usage:day:' .. day
  local f = ARGV[i + 2] .. '|' .. ARGV[i + 3] .. '|' .. ARGV[i + 4] .. '|'
  redis.call('ZADD', 'gw:usage:days', ARGV[i + 1], day)
  redis.call('HINCRBY', h, f .. 'requests', ARGV[i + 5])
  redis.call('HINCRBY', h, f .. 'refused', ARGV[i + 6])
  redis.call('HINCRBY', h, f .. 'bytesIn', ARGV[i + 7])
  redis.call('HINCRBY', h, f .. 'bytesOut', ARGV[i + 8])
  redis.call('HINCRBY', h, f .. 'latencyUs', ARGV[i + 9])
  local max = tonumber(redis.call('HGET', h, f .. 'latencyMaxUs') or '0')
  if tonumber(ARGV[i + 10]) > max then redis.call('HSET', h, f .. 'latencyMaxUs', ARGV[i + 10]) end
  local admitted = tonumber(ARGV[i + 5]) - tonumber(ARGV[i + 6])
  if admitted ~= 0 then redis.call('HINCRBY', 'gw:usage:admitted:' .. ARGV[i + 2], day, admitted) end
end
return 1
)lua";

std::int64_t numberOf(std::string_view text) {
  std::int64_t n = 0;
  std::from_chars(text.data(), text.data() + text.size(), n);
  return n;
}

core::Error unexpected(const std::string& where, const redis::Reply& reply) {
  return core::makeError(core::ErrorKind::kRuntime,
                         "redis " + where + ": " +
                             (reply.type == redis::Reply::Type::kError
                                  ? reply.text
                                  : std::string("an answer of an unexpected type")));
}

// Adds one hash field ("consumer|route|class|metric" = value) to the summaries.
void addField(std::map<std::tuple<std::string, std::string, std::string>, Summary>& out,
              const std::string& period, std::string_view field, std::int64_t value) {
  std::string_view parts[4];
  for (int i = 0; i < 3; ++i) {
    const auto bar = field.find('|');
    if (bar == std::string_view::npos) {
      return;  // not ours
    }
    parts[i] = field.substr(0, bar);
    field.remove_prefix(bar + 1);
  }
  parts[3] = field;
  Summary& s = out[{period, std::string(parts[0]), std::string(parts[1])}];
  s.period = period;
  s.consumer = parts[0];
  s.route = parts[1];
  const auto status_class = static_cast<std::size_t>(std::clamp<std::int64_t>(
      numberOf(parts[2]), 0, static_cast<std::int64_t>(s.by_class.size()) - 1));
  const std::string_view metric = parts[3];
  if (metric == "requests") {
    s.counts.requests += value;
    s.by_class[status_class] += value;
  } else if (metric == "refused") {
    s.counts.refused += value;
  } else if (metric == "bytesIn") {
    s.counts.bytes_in += value;
  } else if (metric == "bytesOut") {
    s.counts.bytes_out += value;
  } else if (metric == "latencyUs") {
    s.counts.latency_us += value;
  } else if (metric == "latencyMaxUs") {
    s.counts.latency_max_us = std::max(s.counts.latency_max_us, value);
  }
}

}  // namespace

RedisStore::RedisStore(const core::RedisStore& settings)
    : connection_(settings, std::max(settings.timeout, kMinTimeout)) {}

std::string RedisStore::where() const { return "redis " + connection_.settings().address; }

core::Status RedisStore::add(const Batch& batch) {
  const std::string lifetime = std::to_string(kMarkerSeconds);
  for (std::size_t first = 0, part = 0; first < batch.deltas.size(); first += kPart, ++part) {
    const std::size_t last = std::min(batch.deltas.size(), first + kPart);
    std::vector<std::string> values;
    values.reserve((last - first) * kArgsPerDelta + 2);
    values.push_back(kPrefix + std::string("flush:") + batch.id + "/" + std::to_string(part));
    values.push_back(lifetime);
    for (std::size_t i = first; i < last; ++i) {
      const Delta& d = batch.deltas[i];
      values.push_back(d.day);
      values.push_back(std::to_string(parseDay(d.day).value_or(0)));
      values.push_back(d.consumer);
      values.push_back(d.route);
      values.push_back(std::to_string(d.status_class));
      for (const std::int64_t n :
           {d.counts.requests, d.counts.refused, d.counts.bytes_in, d.counts.bytes_out,
            d.counts.latency_us, d.counts.latency_max_us}) {
        values.push_back(std::to_string(n));
      }
    }
    std::vector<std::string_view> args{"EVAL", kApply, "1"};
    args.insert(args.end(), values.begin(), values.end());
    auto reply = connection_.call(args);
    if (!reply) {
      return std::move(reply).error();
    }
    if (reply->type != redis::Reply::Type::kInteger) {
      return unexpected("adding usage", *reply);
    }
  }
  return core::Ok{};
}

core::Result<std::int64_t> RedisStore::admitted(const std::string& consumer,
                                                const std::string& from, const std::string& to) {
  auto sums = admittedMany({Range{consumer, from, to}});
  if (!sums) {
    return std::move(sums).error();
  }
  return sums->front();
}

namespace {

// HMGET admitted:<consumer> <each day of the range>.
core::Result<std::vector<std::string>> hmgetOf(const Store::Range& r) {
  const auto from = parseDay(r.from);
  const auto to = parseDay(r.to);
  if (!from || !to || *to < *from || *to - *from > 366) {
    return core::makeError(
        core::ErrorKind::kRuntime,
        "usage of " + r.consumer + ": not a range of days: " + r.from + ".." + r.to);
  }
  std::vector<std::string> args{"HMGET", kPrefix + std::string("admitted:") + r.consumer};
  for (std::int64_t day = *from; day <= *to; ++day) {
    args.push_back(dayText(day));
  }
  return args;
}

// The sum of an HMGET's values (nil counts 0).
core::Result<std::int64_t> sumOf(const redis::Reply& reply) {
  if (reply.type != redis::Reply::Type::kArray) {
    return unexpected("reading usage", reply);
  }
  std::int64_t sum = 0;
  for (const redis::Reply& e : reply.elements) {
    sum += e.type == redis::Reply::Type::kBulk ? numberOf(e.text) : 0;
  }
  return sum;
}

}  // namespace

// One HMGET of the days of each range, pipelined kPart at a time.
core::Result<std::vector<std::int64_t>> RedisStore::admittedMany(const std::vector<Range>& ranges) {
  std::vector<std::int64_t> sums;
  sums.reserve(ranges.size());
  for (std::size_t first = 0; first < ranges.size(); first += kPart) {
    const std::size_t last = std::min(ranges.size(), first + kPart);
    std::vector<std::vector<std::string>> texts;
    std::vector<std::vector<std::string_view>> calls;
    texts.reserve(last - first);
    calls.reserve(last - first);
    for (std::size_t i = first; i < last; ++i) {
      auto args = hmgetOf(ranges[i]);
      if (!args) {
        return std::move(args).error();
      }
      const auto& kept = texts.emplace_back(std::move(args).value());
      calls.emplace_back(kept.begin(), kept.end());
    }
    auto replies = connection_.callAll(calls);
    if (!replies) {
      return std::move(replies).error();
    }
    for (const redis::Reply& reply : *replies) {
      auto sum = sumOf(reply);
      if (!sum) {
        return std::move(sum).error();
      }
      sums.push_back(*sum);
    }
  }
  return sums;
}

core::Result<std::vector<Summary>> RedisStore::summarize(const Query& query) {
  const std::string min =
      query.from.empty() ? "-inf" : std::to_string(parseDay(query.from).value_or(0));
  const std::string max =
      query.to.empty() ? "+inf" : std::to_string(parseDay(query.to).value_or(0));
  auto days = connection_.call({"ZRANGEBYSCORE", std::string(kPrefix) + "days", min, max});
  if (!days) {
    return std::move(days).error();
  }
  if (days->type != redis::Reply::Type::kArray) {
    return unexpected("reading usage", *days);
  }
  // Fields are "consumer|route|class|metric"; the route is checked again below.
  const std::string consumer = query.consumer.empty() ? "*" : query.consumer;
  const std::string match =
      query.route.empty() ? consumer + "|*" : consumer + "|" + query.route + "|*";
  std::map<std::tuple<std::string, std::string, std::string>, Summary> out;
  for (const redis::Reply& day : days->elements) {
    const std::string period = query.by_month ? day.text.substr(0, 7) : day.text;
    const std::string key = kPrefix + std::string("day:") + day.text;
    std::string cursor = "0";
    do {
      auto page = connection_.call({"HSCAN", key, cursor, "MATCH", match, "COUNT", "200"});
      if (!page) {
        return std::move(page).error();
      }
      if (page->type != redis::Reply::Type::kArray || page->elements.size() != 2 ||
          page->elements[1].type != redis::Reply::Type::kArray) {
        return unexpected("reading usage", *page);
      }
      cursor = page->elements[0].text;
      const auto& fields = page->elements[1].elements;
      for (std::size_t i = 0; i + 1 < fields.size(); i += 2) {
        addField(out, period, fields[i].text, numberOf(fields[i + 1].text));
      }
    } while (cursor != "0");
  }
  std::vector<Summary> rows;
  rows.reserve(out.size());
  for (auto& [key, summary] : out) {
    if (query.route.empty() || summary.route == query.route) {
      rows.push_back(std::move(summary));
    }
  }
  return rows;
}

}  // namespace gw::usage
