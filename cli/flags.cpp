#include "cli/flags.hpp"

#include <charconv>
#include <optional>

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

core::Result<core::Millis> parseDurationFlag(const std::string& flag, const std::string& text) {
  auto duration = core::parseDuration(text);
  if (!duration) {
    return usageError("invalid " + flag + " " + quote(text) +
                      ": expected a duration like 10s, 250ms, 2m or 1h");
  }
  return *duration;
}

}  // namespace gw::cli
