// The client address behind trusted proxies: X-Forwarded-For walked right to left.

#include <catch2/catch.hpp>

#include "proxy/http/client_address.hpp"

namespace gw::test {
namespace {

namespace http = boost::beast::http;
using proxy::forwardedClient;

core::net::CidrSet trusted(std::vector<std::string> ranges) {
  return core::net::CidrSet::parse(ranges);
}

}  // namespace

TEST_CASE("X-Forwarded-For names the client only behind a trusted proxy", "[http][client-ip]") {
  http::fields fields;
  fields.insert("X-Forwarded-For", "6.6.6.6, 203.0.113.9");
  fields.insert("X-Forwarded-For", "10.0.0.2");
  const auto proxies = trusted({"10.0.0.0/8"});

  // From the trusted proxy 10.0.0.1: skip 10.0.0.2 (trusted), the client is 203.0.113.9; the
  // 6.6.6.6 before it is whatever the client claimed.
  CHECK(forwardedClient(fields, "10.0.0.1", proxies) == "203.0.113.9");
  // A peer that is not trusted is the client, whatever it sends.
  CHECK_FALSE(forwardedClient(fields, "198.51.100.7", proxies).has_value());
  // No trusted proxies at all: the peer.
  CHECK_FALSE(forwardedClient(fields, "10.0.0.1", trusted({})).has_value());
}

TEST_CASE("the walk stops at garbage and takes ports, brackets and mapped addresses",
          "[http][client-ip]") {
  const auto proxies = trusted({"10.0.0.0/8", "::1"});
  http::fields all_trusted;
  all_trusted.insert("X-Forwarded-For", "10.9.9.9, 10.0.0.5");
  CHECK(forwardedClient(all_trusted, "::1", proxies) == "10.9.9.9");

  http::fields garbage;
  garbage.insert("X-Forwarded-For", "198.51.100.1, not-an-address, 10.0.0.5");
  CHECK(forwardedClient(garbage, "10.0.0.1", proxies) == "10.0.0.5");

  http::fields ports;
  ports.insert("X-Forwarded-For", "[2001:db8::5]:4711, 203.0.113.4:9999");
  CHECK(forwardedClient(ports, "::ffff:10.0.0.1", proxies) == "203.0.113.4");

  http::fields none;
  CHECK_FALSE(forwardedClient(none, "10.0.0.1", proxies).has_value());
}

}  // namespace gw::test
