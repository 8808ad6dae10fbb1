#pragma once
// Compression of an answer the gateway made whole (an aggregate's merged JSON), by the same
// rules as a relayed answer's (negotiate.hpp), in one go: nothing streams.

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <optional>

#include "core/config/compress.hpp"

namespace gw::proxy::compress {

// When `spec` takes the answer (eligible, and its body at least minSize), it gets Vary:
// Accept-Encoding, and its body is encoded with `encoding` (the one the client takes; none:
// identity).
void compressWhole(boost::beast::http::response<boost::beast::http::string_body>& res,
                   const core::Compress& spec, std::optional<core::Compress::Encoding> encoding);

}  // namespace gw::proxy::compress
