#pragma once
// Checks on a request head beyond what Beast's parser enforces. A proxy must refuse any
// framing that it and the upstream could read differently (request smuggling): Beast accepts
// repeated equal Content-Lengths, Transfer-Encoding beside Content-Length when the coding is
// not chunked, codings after "chunked", and folded header lines, so these are refused here.
// Policy (strict): exactly one Content-Length, or exactly one Transfer-Encoding whose whole
// value is "chunked" (HTTP/1.1 only), never both; no obs-fold; one Host. Each check answers
// the reason to refuse the request with, or Reason::kNone.

#include <boost/beast/http/message.hpp>
#include <cstddef>
#include <string_view>

#include "core/config/model.hpp"
#include "proxy/http/errors.hpp"
#include "proxy/net.hpp"

namespace gw::proxy {

// The offset just past the blank line that ends the head at the start of `bytes`, or npos
// while the head is incomplete. `from` skips what an earlier call already searched, so a head
// trickling in a byte at a time costs linear, not quadratic, time.
std::size_t headEnd(std::string_view bytes, std::size_t from = 0);

// On the raw head, before parsing: a line folded onto the previous one (obs-fold), which
// Beast would silently unfold.
Reason screenHead(std::string_view head);

// For a head still incomplete at max_header_bytes: 414 when the request-target alone is over
// max_uri_bytes (so a long URL is not reported as a header problem), else 431.
Reason oversizedHead(std::string_view bytes, const core::Limits& limits);

// On the parsed head: the URI, header count and framing rules above, and a request-target
// of a form the gateway can route.
Reason checkHead(const http::request_header<>& req, const core::Limits& limits);

// A malformed request (as opposed to the client going away or being slow).
bool isMalformed(const error_code& ec);

// Whether `req` asks for a WebSocket (Connection: upgrade, Upgrade: websocket, GET).
bool isWebSocketUpgrade(const http::request_header<>& req);

// Whether the TE header lists "trailers", the one TE value passed on to the upstream.
bool acceptsTrailers(const http::request_header<>& req);

}  // namespace gw::proxy
