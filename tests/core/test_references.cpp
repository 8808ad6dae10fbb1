#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "core/config/references.hpp"
#include "tests/core/sample_config.hpp"

namespace gw::core {
namespace {

std::vector<std::string> lines(const std::vector<Diagnostic>& diagnostics) {
  std::vector<std::string> out;
  out.reserve(diagnostics.size());
  for (const Diagnostic& d : diagnostics) {
    out.push_back(d.str());
  }
  return out;
}

}  // namespace

TEST_CASE("dangling names are found in one place, in document order", "[validate][references]") {
  Config config = testing::sample();
  CHECK(checkReferences(config).empty());
  config.routes[0].gateway = "nope";
  config.routes[1].destinations[0].service = "gone";
  config.routes[1].mirror = Mirror{"shadow", 10};
  config.certificates[0].gateway = "elsewhere";
  CHECK(lines(checkReferences(config)) ==
        std::vector<std::string>{R"(routes[0].gateway: no gateway named "nope")",
                                 R"(routes[1].destinations[0].service: no service named "gone")",
                                 R"(routes[1].mirror.service: no service named "shadow")",
                                 R"(certificates[0].gateway: no gateway named "elsewhere")"});
}

TEST_CASE("an empty name is not a dangling reference", "[validate][references]") {
  const Config config = testing::sample();
  CHECK_FALSE(missingGateway(config, "").has_value());
  CHECK_FALSE(missingService(config, "").has_value());
  CHECK(missingService(config, "x") == std::optional<std::string>(R"(no service named "x")"));
}

}  // namespace gw::core
