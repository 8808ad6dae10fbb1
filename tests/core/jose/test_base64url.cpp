// base64url without padding (RFC 4648 section 5 as RFC 7515 section 2 uses it): the test
// vectors of RFC 4648 section 10 in the URL-safe alphabet, and the refusals.

#include <catch2/catch.hpp>
#include <string>

#include "core/jose/base64url.hpp"

using gw::jose::base64url;
using gw::jose::base64urlDecode;

TEST_CASE("base64url encodes the RFC 4648 vectors without padding", "[jose][base64url]") {
  const auto [bytes, text] = GENERATE(table<std::string, std::string>({
      {"", ""},
      {"f", "Zg"},
      {"fo", "Zm8"},
      {"foo", "Zm9v"},
      {"foob", "Zm9vYg"},
      {"fooba", "Zm9vYmE"},
      {"foobar", "Zm9vYmFy"},
  }));
  CHECK(base64url(bytes) == text);
  const auto decoded = base64urlDecode(text);
  REQUIRE(decoded);
  CHECK(*decoded == bytes);
}

TEST_CASE("base64url uses - and _ where base64 has + and /", "[jose][base64url]") {
  const std::string bytes{'\xfb', '\xff', '\xbf'};
  CHECK(base64url(bytes) == "-_-_");
  const auto decoded = base64urlDecode("-_-_");
  REQUIRE(decoded);
  CHECK(*decoded == bytes);
}

TEST_CASE("base64url: every byte value survives a round trip", "[jose][base64url]") {
  std::string bytes;
  for (int i = 0; i < 256; ++i) {
    bytes += static_cast<char>(i);
  }
  for (std::size_t size = 0; size <= bytes.size(); size += 37) {
    const std::string part = bytes.substr(0, size);
    const auto decoded = base64urlDecode(base64url(part));
    REQUIRE(decoded);
    CHECK(*decoded == part);
  }
}

TEST_CASE("base64url decoding refuses padding, whitespace and the base64 alphabet",
          "[jose][base64url]") {
  const std::string text = GENERATE(as<std::string>{}, "Zg==", "Zm9v YmFy", "Zm9v\nYmFy", "+/8",
                                    "ab/c", "Z", "Zm9vY", "Zm9v.YmFy", std::string("Zm\0v", 4));
  CAPTURE(text);
  CHECK_FALSE(base64urlDecode(text));
}

TEST_CASE("base64url: a decoding error says what is wrong", "[jose][base64url]") {
  const auto length = base64urlDecode("Zm9vY");
  REQUIRE_FALSE(length);
  CHECK(length.error().message == "not base64url: wrong length");
  const auto character = base64urlDecode("Zm9=");
  REQUIRE_FALSE(character);
  CHECK(character.error().message == "not base64url: unexpected character '='");
}
