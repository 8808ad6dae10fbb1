#pragma once
// A story for metering tests: route "shop" takes API keys, consumer acme has one, and
// `gw usage` is read back as JSON once the proxy's flush shows what the test waits for.

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "tests/integration/access_story.hpp"

namespace gw::test {

// A story whose route "shop" takes API keys, with consumer acme (and its key).
struct MeteredStory {
  explicit MeteredStory(std::vector<std::string> env = {}) : story(std::move(env)) {
    story.must({"consumer", "add", "acme"});
    key = story.createKey("acme");
    story.must({"route", "update", "shop", "--auth", "api-key"});
  }
  std::vector<int> burst(int count) const {
    return burstOf(story.port(), count, {"-H", "x-api-key: " + key});
  }
  // `gw usage ARGS -o json`, polled until `accept` holds (usage is flushed twice a second).
  template <class Accept>
  nlohmann::json usageWhen(std::vector<std::string> args, Accept&& accept) const {
    args.insert(args.begin(), "usage");
    args.insert(args.end(), {"-o", "json"});
    auto awaited = eventuallyValue([&] { return nlohmann::json::parse(story.must(args)); }, accept,
                                   std::chrono::seconds(10), std::chrono::milliseconds(100));
    INFO("last gw usage: " << awaited.value.dump());
    CHECK(awaited.held);
    return awaited.value;
  }

  AccessStory story;
  std::string key;
};

inline std::int64_t sumOf(const nlohmann::json& rows, const std::string& field) {
  std::int64_t sum = 0;
  for (const auto& row : rows) {
    sum += row.value(field, std::int64_t{0});
  }
  return sum;
}

}  // namespace gw::test
