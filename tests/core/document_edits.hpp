#pragma once
// A test document edited in one place, and what loading a document reports: the helpers of
// the tests that check a section's refusals by file, line and field.

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "core/config/validate.hpp"

namespace gw::test {

// The "config.yaml:LINE:COLUMN: path: message" lines of a document that does not load.
inline std::vector<std::string> problemsIn(const std::string& text) {
  auto loaded = core::loadDocument(text, "config.yaml");
  if (loaded.ok()) {
    return {};
  }
  return loaded.error().details;
}

// `text` with `from` replaced by `to` (once; `from` must be there).
inline std::string edited(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  text.replace(at, from.size(), to);
  return text;
}

}  // namespace gw::test
