#pragma once
// The client's address behind trusted proxies. When the connection comes from one of the
// gateway's trusted proxies, X-Forwarded-For (every field of it, in order) is read right to
// left, skipping addresses of trusted proxies; the first other address is the client. If
// every address is trusted the leftmost is the client; an entry that is not an address stops
// the walk at the last good one. A peer that is not trusted is the client, whatever it sent:
// an untrusted client cannot choose its own address.

#include <boost/beast/http/fields.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "core/net/cidr.hpp"
#include "proxy/net.hpp"

namespace gw::proxy {

// The address X-Forwarded-For gives (normalised: IPv4-mapped as IPv4), or nothing when the
// peer's own address is the client's.
std::optional<std::string> forwardedClient(const http::fields& fields, std::string_view peer,
                                           const core::net::CidrSet& trusted);

}  // namespace gw::proxy
