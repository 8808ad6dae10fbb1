#pragma once
// Header rewriting between the client and the upstream, in place on the parsed messages.

#include <boost/beast/http/fields.hpp>
#include <boost/beast/http/message.hpp>
#include <string>
#include <string_view>

#include "proxy/net.hpp"

namespace gw::proxy {

// Removes Connection, the headers it names, and the other hop-by-hop headers (Keep-Alive,
// TE, Trailer, Upgrade, Proxy-Connection). Transfer-Encoding stays: Beast re-frames the body
// from the parsed message.
void stripHopByHop(http::fields& fields);

// Appends the client to X-Forwarded-For (joining earlier values into one header) and sets
// X-Forwarded-Proto and X-Forwarded-Host (the Host the client sent, kept as is).
void addForwarded(http::fields& fields, std::string_view client_ip, bool https);

// The path of an origin-form or absolute-form target ("http://h/p?q" -> "/p"), no query.
std::string_view targetPath(std::string_view target);

// A field written after a message's own without being stored in it (no allocation); the
// caller erases any field of that name from the message first. An empty name writes nothing.
struct ExtraField {
  std::string_view name;
  std::string_view value;
};

// The request line or status line, the fields, `extra`, `more` (whole "Name: value\r\n"
// lines) and the blank line, appended to `out`: what Beast's serializer would write, without
// its buffer-sequence machinery per write.
void appendHead(const http::request_header<>& head, std::string& out, const ExtraField& extra = {});
void appendHead(const http::response_header<>& head, std::string& out, const ExtraField& extra = {},
                std::string_view more = {});

}  // namespace gw::proxy
