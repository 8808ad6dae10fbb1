#pragma once
// Chunked framing the proxy writes itself (a streamed request body, a re-chunked response
// body), and trailer fields kept apart from the head so they can follow the last chunk.
// Beast's parser would add trailers to the message's fields, where they could not be told
// from the head's (a trailer with a head field's name is even placed next to it).

#include <array>
#include <boost/beast/http/fields.hpp>
#include <boost/beast/http/parser.hpp>
#include <string>
#include <string_view>

#include "proxy/net.hpp"

namespace gw::proxy {

// Whether a trailer field may be passed on: RFC 9110 section 6.5.1 forbids in trailers the
// fields that frame, route, authenticate or describe the message, and hop-by-hop ones never
// go past this hop. (Content-Length and Transfer-Encoding there are refused by the parser.)
bool forwardableTrailer(http::field name);

using ChunkLine = std::array<char, 24>;

// What follows a chunk's data.
inline constexpr std::string_view kChunkEnd = "\r\n";

// "<size in hex>\r\n" into `line`; returns its length.
std::size_t formatChunkLine(ChunkLine& line, std::size_t size);

// "0\r\n", the trailer fields and the blank line: the end of a chunked body, appended to
// `out`.
void appendLastChunk(const http::fields& trailers, std::string& out);

template <bool isRequest, class Body>
class TrailerParser final : public http::parser<isRequest, Body> {
 public:
  const http::fields& trailers() const { return trailers_; }

 private:
  void on_field_impl(http::field name, beast::string_view name_string, beast::string_view value,
                     error_code& ec) override {
    ec = {};
    if (!this->is_header_done()) {
      this->get().insert(name, name_string, value);  // what Beast's parser does
    } else if (forwardableTrailer(name)) {
      trailers_.insert(name, name_string, value);
    }
  }

  http::fields trailers_;  // allocates only when a message has trailers
};

template <class Body>
using RequestParser = TrailerParser<true, Body>;
template <class Body>
using ResponseParser = TrailerParser<false, Body>;

}  // namespace gw::proxy
