#include "cli/flags.hpp"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <optional>
#include <string_view>
#include <utility>

namespace gw::cli {
namespace {

std::optional<int> parseInt(std::string_view s) {
  int value = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || end != s.data() + s.size() || s.empty()) {
    return std::nullopt;
  }
  return value;
}

std::string quote(const std::string& s) { return "\"" + s + "\""; }

}  // namespace

core::Error usageError(const std::string& message) {
  return core::makeError(core::ErrorKind::kUsage, message);
}

core::Result<core::Listener> parseListenerFlag(const std::string& text) {
  auto colon = text.find(':');
  const std::string expected = "expected PROTOCOL:PORT like http:8080 or https:8443";
  if (colon == std::string::npos) {
    return usageError("invalid --port " + quote(text) + ": " + expected);
  }
  auto protocol = core::parseProtocol(text.substr(0, colon));
  auto port = parseInt(std::string_view(text).substr(colon + 1));
  if (!protocol) {
    return usageError("invalid --port " + quote(text) + ": unknown protocol " +
                      quote(text.substr(0, colon)) + " (http or https)");
  }
  if (!port || *port < 1 || *port > 65535) {
    return usageError("invalid --port " + quote(text) + ": the port must be 1..65535");
  }
  core::Listener listener;
  listener.name = core::toString(*protocol);
  listener.protocol = *protocol;
  listener.port = static_cast<std::uint16_t>(*port);
  return listener;
}

core::Result<core::Replicas> parseReplicasFlag(const std::string& text) {
  auto colon = text.find(':');
  std::optional<int> min;
  std::optional<int> max;
  if (colon != std::string::npos) {
    min = parseInt(std::string_view(text).substr(0, colon));
    max = parseInt(std::string_view(text).substr(colon + 1));
  }
  if (!min || !max) {
    return usageError("invalid --replicas " + quote(text) + ": expected MIN:MAX like 1:3");
  }
  return core::Replicas{*min, *max};
}

core::Result<std::vector<core::Destination>> parseDestinationFlags(
    const std::vector<std::string>& values) {
  std::vector<core::Destination> destinations;
  std::vector<std::size_t> unweighted;
  int weighted_sum = 0;
  for (const auto& value : values) {
    core::Destination destination;
    auto eq = value.find('=');
    destination.service = value.substr(0, eq);
    if (destination.service.empty()) {
      return usageError("invalid --to " + quote(value) + ": expected SERVICE[=WEIGHT]");
    }
    if (eq == std::string::npos) {
      unweighted.push_back(destinations.size());
    } else {
      auto weight = parseInt(std::string_view(value).substr(eq + 1));
      if (!weight) {
        return usageError("invalid --to " + quote(value) +
                          ": the weight must be an integer (SERVICE=WEIGHT, e.g. frontend=50)");
      }
      destination.weight = *weight;
      weighted_sum += *weight;
    }
    destinations.push_back(destination);
  }
  if (!unweighted.empty()) {
    const int left = weighted_sum >= 100 ? 0 : 100 - weighted_sum;
    const int count = static_cast<int>(unweighted.size());
    for (std::size_t i = 0; i < unweighted.size(); ++i) {
      const int extra = static_cast<int>(i) < left % count ? 1 : 0;
      destinations[unweighted[i]].weight = left / count + extra;
    }
  }
  return destinations;
}

core::Result<core::HeaderMatch> parseHeaderFlag(const std::string& text) {
  auto eq = text.find('=');
  if (eq == std::string::npos || eq == 0) {
    return usageError("invalid --header " + quote(text) + ": expected NAME=VALUE");
  }
  return core::HeaderMatch{text.substr(0, eq), text.substr(eq + 1)};
}

core::Result<core::Endpoint> parseEndpointFlag(const std::string& text) {
  const auto eq = text.rfind('=');
  core::Endpoint endpoint{text.substr(0, eq), 1};
  if (endpoint.address.empty()) {
    return usageError("invalid --endpoint " + quote(text) + ": expected HOST:PORT[=WEIGHT]");
  }
  if (eq != std::string::npos) {
    const auto weight = parseInt(std::string_view(text).substr(eq + 1));
    if (!weight) {
      return usageError("invalid --endpoint " + quote(text) +
                        ": the weight must be an integer (HOST:PORT=WEIGHT, e.g. "
                        "10.0.0.5:8080=3)");
    }
    endpoint.weight = *weight;
  }
  return endpoint;
}

core::Result<core::HeaderValue> parseHeaderValueFlag(const std::string& flag,
                                                     const std::string& text) {
  const auto eq = text.find('=');
  if (eq == std::string::npos || eq == 0) {
    return usageError("invalid " + flag + " " + quote(text) + ": expected NAME=VALUE");
  }
  return core::HeaderValue{text.substr(0, eq), text.substr(eq + 1)};
}

core::Result<core::Mirror> parseMirrorFlag(const std::string& text) {
  const auto eq = text.find('=');
  core::Mirror mirror{text.substr(0, eq), 100};
  if (mirror.service.empty()) {
    return usageError("invalid --mirror " + quote(text) + ": expected SERVICE[=PERCENT]");
  }
  if (eq != std::string::npos) {
    const auto percent = parseInt(std::string_view(text).substr(eq + 1));
    if (!percent) {
      return usageError("invalid --mirror " + quote(text) +
                        ": the percent must be an integer (SERVICE=PERCENT, e.g. shadow=10)");
    }
    mirror.percent = *percent;
  }
  return mirror;
}

core::Result<core::HashPolicy> parseHashOnFlag(const std::string& text) {
  auto hash = core::parseHashPolicy(text);
  if (!hash) {
    return usageError("invalid --hash-on " + quote(text) +
                      ": expected client-ip, header:NAME or cookie:NAME");
  }
  return *hash;
}

std::vector<std::string> splitList(const std::string& text) {
  std::vector<std::string> items;
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto comma = std::min(text.find(',', start), text.size());
    if (comma > start) {
      items.push_back(text.substr(start, comma - start));
    }
    start = comma + 1;
  }
  return items;
}

core::Result<std::uint64_t> parseByteSizeFlag(const std::string& flag, const std::string& text) {
  static constexpr std::pair<std::string_view, std::uint64_t> kUnits[] = {
      {"KiB", 1ULL << 10}, {"MiB", 1ULL << 20},     {"GiB", 1ULL << 30}, {"KB", 1000ULL},
      {"MB", 1000'000ULL}, {"GB", 1000'000'000ULL}, {"B", 1ULL},         {"", 1ULL}};
  const std::string_view view(text);
  const auto digits = std::min(view.find_first_not_of("0123456789"), view.size());
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(view.data(), view.data() + digits, value);
  if (digits > 0 && ec == std::errc() && end == view.data() + digits) {
    for (const auto& [suffix, scale] : kUnits) {
      if (view.substr(digits) == suffix && value <= UINT64_MAX / scale) {
        return value * scale;
      }
    }
  }
  return usageError("invalid " + flag + " " + quote(text) +
                    ": expected a size in bytes like 1048576, 64KiB or 8MiB");
}

core::Result<core::Millis> parseDurationFlag(const std::string& flag, const std::string& text) {
  auto duration = core::parseDuration(text);
  if (!duration) {
    return usageError("invalid " + flag + " " + quote(text) +
                      ": expected a duration like 10s, 250ms, 2m, 1h, 7d or 1y");
  }
  return *duration;
}

}  // namespace gw::cli
