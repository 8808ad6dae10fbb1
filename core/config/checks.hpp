#pragma once
// Syntax predicates shared by validation: names, hosts, endpoints, HTTP tokens.

#include <string>
#include <string_view>

namespace gw::core {

// Object names: [a-z0-9][a-z0-9.-]*.
bool isValidName(std::string_view s);

// A lower-case DNS name: dot-separated labels of [a-z0-9-], no label starting or ending
// with '-', labels up to 63 characters, 253 in all.
bool isDnsName(std::string_view s);

// What a route may list as a host: a DNS name, "*.suffix" or "*".
bool isHostPattern(std::string_view s);

// What a certificate may cover: a DNS name or "*.suffix".
bool isDomain(std::string_view s);

bool isIpv4(std::string_view s);
bool isIpv6(std::string_view s);

// HOST:PORT with HOST a DNS name (any case), an IPv4 literal or [IPv6], PORT 1..65535.
bool isHostPort(std::string_view s);

// An RFC 9110 token (method names, header names).
bool isToken(std::string_view s);

std::string toLower(std::string_view s);

// `"text"` for messages.
std::string quote(std::string_view s);

}  // namespace gw::core
