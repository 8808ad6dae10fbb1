#pragma once
// Which encoding an answer gets (RFC 9110 12.5.3): the request's Accept-Encoding with its
// q-values ("*" for what it does not name, q=0 refusing), the gateway's preference among what
// it accepts equally; and whether an answer is one to compress: a compressible type, not
// already encoded, not no-transform, not a status without content, not declared shorter than
// the minimum. A compressed answer loses its Content-Length, gains Content-Encoding and
// Vary: Accept-Encoding, and its ETag turns weak (the bytes differ from the origin's).

#include <boost/beast/http/message.hpp>
#include <optional>
#include <string_view>

#include "core/config/compress.hpp"

namespace gw::proxy::compress {

namespace http = boost::beast::http;

// The encoding of `offered` (in the gateway's order) with the highest q-value `accept` gives
// it, or nothing when none is acceptable (identity then serves).
std::optional<core::Compress::Encoding> negotiate(
    std::string_view accept, const std::vector<core::Compress::Encoding>& offered);

// `type` (a Content-Type value, parameters allowed) matches one of `patterns` ("text/*",
// "application/*+json", "application/json"; empty: the default list).
bool compressibleType(std::string_view type, const std::vector<std::string>& patterns);

// Whether an answer with `status` and `head` may be compressed by `spec` at all (whatever
// the client accepts): then it varies by Accept-Encoding.
bool eligible(unsigned status, const http::fields& head, const core::Compress& spec);

// Marks `head` as encoded with `encoding`: Content-Encoding, no Content-Length, no
// Accept-Ranges, a weak ETag.
void markEncoded(http::fields& head, core::Compress::Encoding encoding);

// Adds Accept-Encoding to the answer's Vary unless it is there (or Vary is *).
void addVary(http::fields& head);

}  // namespace gw::proxy::compress
