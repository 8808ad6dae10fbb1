#include <catch2/catch.hpp>
#include <optional>
#include <string>

#include "core/net/host_port.hpp"

using gw::core::net::HostPort;
using gw::core::net::parseHostPort;
using gw::core::net::parsePort;
using gw::core::net::PortZero;
using gw::core::net::splitAuthority;

namespace {

struct HostPortCase {
  std::string text;
  std::optional<HostPort> expected;
};

}  // namespace

TEST_CASE("HOST:PORT takes a DNS name, an IPv4 or a bracketed IPv6 host and a port",
          "[host_port]") {
  const auto c = GENERATE(values<HostPortCase>({
      {"example.com:80", HostPort{"example.com", 80}},
      {"Backend.Internal:8080", HostPort{"Backend.Internal", 8080}},
      {"localhost:1", HostPort{"localhost", 1}},
      {"127.0.0.1:65535", HostPort{"127.0.0.1", 65535}},
      {"[::1]:9901", HostPort{"::1", 9901}},
      {"[2001:db8::7]:443", HostPort{"2001:db8::7", 443}},
      {"[::ffff:127.0.0.1]:80", HostPort{"::ffff:127.0.0.1", 80}},
      {"host:080", HostPort{"host", 80}},
      // Missing parts.
      {"", std::nullopt},
      {":80", std::nullopt},
      {"example.com", std::nullopt},
      {"example.com:", std::nullopt},
      {"[::1]", std::nullopt},
      {"[::1]:", std::nullopt},
      {"[]:80", std::nullopt},
      // Ports out of range or not decimal.
      {"host:0", std::nullopt},
      {"host:65536", std::nullopt},
      {"host:99999999999", std::nullopt},
      {"host:-1", std::nullopt},
      {"host:+80", std::nullopt},
      {"host:8o", std::nullopt},
      {"host:80 ", std::nullopt},
      // Hosts that are neither a DNS name nor an IP literal.
      {"bad host:80", std::nullopt},
      {"under_score:80", std::nullopt},
      {"-dash.test:80", std::nullopt},
      {"a..b:80", std::nullopt},
      // IPv6 must be bracketed, and brackets hold only IPv6.
      {"::1:80", std::nullopt},
      {"2001:db8::7:443", std::nullopt},
      {"[::1:80", std::nullopt},
      {"[::1]80", std::nullopt},
      {"[::1]x:80", std::nullopt},
      {"[127.0.0.1]:80", std::nullopt},
      {"[example.com]:80", std::nullopt},
  }));
  CAPTURE(c.text);
  CHECK(parseHostPort(c.text) == c.expected);
}

TEST_CASE("port 0 is a HOST:PORT only where the caller allows it", "[host_port]") {
  CHECK_FALSE(parseHostPort("127.0.0.1:0"));
  CHECK(parseHostPort("127.0.0.1:0", PortZero::kAllow) == HostPort{"127.0.0.1", 0});
  CHECK(parseHostPort("[::1]:0", PortZero::kAllow) == HostPort{"::1", 0});
  CHECK_FALSE(parseHostPort("127.0.0.1:65536", PortZero::kAllow));
  CHECK_FALSE(parseHostPort("127.0.0.1:", PortZero::kAllow));
}

TEST_CASE("a port is decimal digits in 1..65535, or 0 when allowed", "[host_port]") {
  const auto [text, refused, allowed] =
      GENERATE(table<std::string, std::optional<std::uint16_t>, std::optional<std::uint16_t>>({
          {"0", std::nullopt, 0},
          {"1", 1, 1},
          {"65535", 65535, 65535},
          {"65536", std::nullopt, std::nullopt},
          {"00443", 443, 443},
          {"", std::nullopt, std::nullopt},
          {"http", std::nullopt, std::nullopt},
          {"-0", std::nullopt, std::nullopt},
          {"1.5", std::nullopt, std::nullopt},
      }));
  CAPTURE(text);
  CHECK(parsePort(text) == refused);
  CHECK(parsePort(text, PortZero::kAllow) == allowed);
}

TEST_CASE("an authority splits at its port colon, the port optional", "[host_port]") {
  struct Split {
    std::string text;
    std::string host;
    std::optional<std::string> port;
    bool bracketed;
  };
  const auto c = GENERATE(values<Split>({
      {"shop.test", "shop.test", std::nullopt, false},
      {"shop.test:8080", "shop.test", "8080", false},
      {"shop.test:", "shop.test", "", false},
      {"shop.test:http", "shop.test", "http", false},
      {"127.0.0.1:9000", "127.0.0.1", "9000", false},
      {"[::1]", "::1", std::nullopt, true},
      {"[::1]:80", "::1", "80", true},
      // A bare IPv6 literal cannot carry a port: all of it is host.
      {"::1", "::1", std::nullopt, false},
      {"2001:db8::7", "2001:db8::7", std::nullopt, false},
      {"", "", std::nullopt, false},
  }));
  CAPTURE(c.text);
  const auto parts = splitAuthority(c.text);
  REQUIRE(parts);
  CHECK(parts->host == c.host);
  CHECK(parts->port.has_value() == c.port.has_value());
  if (c.port && parts->port) {
    CHECK(*parts->port == *c.port);
  }
  CHECK(parts->bracketed == c.bracketed);
}

TEST_CASE("an authority with a broken bracket does not split", "[host_port]") {
  const auto text = GENERATE(as<std::string>{}, "[::1", "[::1]x", "[::1]80", "[");
  CAPTURE(text);
  CHECK_FALSE(splitAuthority(text));
}
