// Addresses and CIDR ranges for IP lists and trusted proxies.

#include <catch2/catch.hpp>

#include "core/net/cidr.hpp"

namespace gw::test {

using core::net::cidrProblem;
using core::net::parseCidr;
using core::net::parseIp;

TEST_CASE("IPv4 and IPv6 ranges match their addresses, mapped IPv4 as IPv4", "[net][cidr]") {
  const auto ten = parseCidr("10.0.0.0/8");
  REQUIRE(ten);
  CHECK(ten->contains(*parseIp("10.255.0.1")));
  CHECK(ten->contains(*parseIp("::ffff:10.1.2.3")));
  CHECK_FALSE(ten->contains(*parseIp("11.0.0.1")));
  const auto odd = parseCidr("192.168.4.0/22");
  REQUIRE(odd);
  CHECK(odd->contains(*parseIp("192.168.7.255")));
  CHECK_FALSE(odd->contains(*parseIp("192.168.8.0")));
  const auto v6 = parseCidr("2001:db8::/32");
  REQUIRE(v6);
  CHECK(v6->contains(*parseIp("2001:db8:ffff::1")));
  CHECK_FALSE(v6->contains(*parseIp("2001:db9::1")));
  const auto one = parseCidr("127.0.0.1");
  REQUIRE(one);
  CHECK(one->contains(*parseIp("127.0.0.1")));
  CHECK_FALSE(one->contains(*parseIp("127.0.0.2")));
  const auto all = parseCidr("0.0.0.0/0");
  REQUIRE(all);
  CHECK(all->contains(*parseIp("8.8.8.8")));
  CHECK_FALSE(all->contains(*parseIp("::1")));  // every IPv4 address, not every address
  CHECK(core::net::formatIp(*parseIp("::ffff:10.1.2.3")) == "10.1.2.3");
}

TEST_CASE("a bad range is refused with the reason", "[net][cidr]") {
  CHECK_FALSE(parseCidr("10.0.0.0/33"));
  CHECK(cidrProblem("10.0.0.0/33") == "the prefix length must be 0..32");
  CHECK_FALSE(parseCidr("10.0.0.1/8"));
  CHECK(cidrProblem("10.0.0.1/8") ==
        "has host bits set below the /8 prefix (did you mean "
        "10.0.0.0/8?)");
  CHECK_FALSE(parseCidr("10.0.0/8"));
  CHECK_FALSE(parseCidr("shop.test"));
  CHECK_FALSE(parseCidr("10.0.0.0/"));
  CHECK_FALSE(parseCidr("::/129"));
  CHECK(parseCidr("::/0"));
}

}  // namespace gw::test
