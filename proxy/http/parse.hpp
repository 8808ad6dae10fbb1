#pragma once
// Parsing what a connection's buffer already holds, without starting an operation: most
// requests and small responses arrive whole in one read, and Beast's async read would only
// post its completion to parse them.

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>

#include "proxy/net.hpp"

namespace gw::proxy {

// Feeds `buffer` to `parser` until the parser is done (or, with `header_only`, has its
// header), the buffer is empty, or an error. Running out of input is not an error: the
// caller then reads more with Beast's async read, which picks up where this stopped.
template <bool isRequest, class Body>
void parseBuffered(http::parser<isRequest, Body>& parser, beast::flat_buffer& buffer,
                   bool header_only, error_code& ec) {
  ec = {};
  while (buffer.size() > 0 && !parser.is_done() && !(header_only && parser.is_header_done())) {
    const std::size_t used = parser.put(buffer.data(), ec);
    buffer.consume(used);
    if (ec == http::error::need_more) {
      ec = {};
      return;
    }
    if (ec || used == 0) {
      return;
    }
  }
}

}  // namespace gw::proxy
