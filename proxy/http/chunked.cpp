#include "proxy/http/chunked.hpp"

#include <cstdio>

namespace gw::proxy {

bool forwardableTrailer(http::field name) {
  switch (name) {
    // framing and hop-by-hop
    case http::field::content_length:
    case http::field::transfer_encoding:
    case http::field::trailer:
    case http::field::connection:
    case http::field::keep_alive:
    case http::field::proxy_connection:
    case http::field::te:
    case http::field::upgrade:
    // routing and request modifiers
    case http::field::host:
    case http::field::expect:
    case http::field::max_forwards:
    case http::field::range:
    case http::field::if_match:
    case http::field::if_none_match:
    case http::field::if_modified_since:
    case http::field::if_unmodified_since:
    case http::field::if_range:
    case http::field::cache_control:
    case http::field::pragma:
    // authentication and state
    case http::field::authorization:
    case http::field::proxy_authorization:
    case http::field::www_authenticate:
    case http::field::proxy_authenticate:
    case http::field::cookie:
    case http::field::set_cookie:
    // what the head says about the content and the answer
    case http::field::content_type:
    case http::field::content_encoding:
    case http::field::content_range:
    case http::field::location:
    case http::field::retry_after:
    case http::field::vary:
    case http::field::age:
    case http::field::expires:
    case http::field::date:
      return false;
    default:
      return true;
  }
}

std::size_t formatChunkLine(ChunkLine& line, std::size_t size) {
  const int written = std::snprintf(line.data(), line.size(), "%zx\r\n", size);
  return written > 0 ? static_cast<std::size_t>(written) : 0;
}

void appendLastChunk(const http::fields& trailers, std::string& out) {
  out += "0\r\n";
  for (const auto& field : trailers) {
    out += field.name_string();
    out += ": ";
    out += field.value();
    out += "\r\n";
  }
  out += "\r\n";
}

}  // namespace gw::proxy
