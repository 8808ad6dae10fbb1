#include <catch2/catch.hpp>

#include "core/config/diagnostic.hpp"
#include "core/config/model.hpp"

using namespace gw::core;

TEST_CASE("durations parse with ms, s, m, h, d and y and print back", "[model]") {
  CHECK(parseDuration("250ms") == Millis(250));
  CHECK(parseDuration("10s") == Millis(10'000));
  CHECK(parseDuration("2m") == Millis(120'000));
  CHECK(parseDuration("1h") == Millis(3'600'000));
  CHECK_FALSE(parseDuration("10"));
  CHECK_FALSE(parseDuration("-1s"));
  CHECK_FALSE(parseDuration("s"));
  CHECK_FALSE(parseDuration("10 s"));
  CHECK_FALSE(parseDuration("99999999999999999h"));
  CHECK(formatDuration(Millis(10'000)) == "10s");
  CHECK(formatDuration(Millis(1500)) == "1500ms");
  CHECK(formatDuration(Millis(120'000)) == "2m");
  CHECK(parseDuration("7d") == Millis(7 * 86'400'000LL));
  CHECK(parseDuration("1y") == Millis(365 * 86'400'000LL));
  CHECK_FALSE(parseDuration("35y"));  // past the ~34 years durations may span
  CHECK(formatDuration(Millis(0)) == "0s");
  CHECK(formatDuration(Millis(86'400'000)) == "1d");
  CHECK(formatDuration(Millis(366 * 86'400'000LL)) == "366d");
  CHECK(formatDuration(Millis(730 * 86'400'000LL)) == "2y");
  CHECK(formatDuration(Millis(25 * 3'600'000LL)) == "25h");
  for (const char* text : {"1y", "2y", "180d", "366d", "36h", "90m", "61s", "1500ms", "0s"}) {
    INFO(text);
    CHECK(formatDuration(*parseDuration(text)) == text);
  }
}

TEST_CASE("enum names round-trip", "[model]") {
  CHECK(parseLbPolicy("least-request") == LbPolicy::kLeastRequest);
  CHECK(std::string(toString(LbPolicy::kRoundRobin)) == "round-robin");
  CHECK(parseMatchType("exact") == MatchType::kExact);
  CHECK_FALSE(parseMatchType("Exact"));
  CHECK(parseIssuer("letsencrypt-staging") == Issuer::kLetsEncryptStaging);
}

TEST_CASE("a diagnostic names file, line, column and field path", "[model]") {
  SourceMap map{"config.yaml", {{"routes[1]", {12, 5}}, {"routes[1].weight", {14, 15}}}};
  Diagnostic d{"routes[1].destinations[0].weight", "must be 0..100 (got -2)", map.file,
               map.find("routes[1].destinations[0].weight")};
  CHECK(d.str() == "config.yaml:12:5: routes[1].destinations[0].weight: must be 0..100 (got -2)");
  CHECK(Diagnostic{"services", "x", "", {}}.str() == "services: x");
}
