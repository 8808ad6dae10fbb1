#pragma once
// A Beast body that copies nothing: the parser hands each piece of body it finds in the
// input buffer to the reader, which only notes where it is. The relay then writes those
// pieces to the client straight from the upstream connection's buffer, and reads into that
// buffer again only once the write is done, so the pieces stay valid and the memory per
// connection stays one buffer, however long the answer. A chunked answer's pieces are its
// chunks' data, without their framing, so many small chunks go out in one write.

#include <array>
#include <boost/asio/buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/optional.hpp>
#include <cstddef>
#include <cstdint>

#include "proxy/net.hpp"

namespace gw::proxy {

struct SpanBody {
  // Enough for a buffer of small chunks; a parser that finds more stops with need_buffer
  // and goes on after the write.
  static constexpr std::size_t kMaxPieces = 16;

  // The names and members are the ones Beast's Body concept asks for.
  struct value_type {  // NOLINT(readability-identifier-naming)
    std::array<asio::const_buffer, kMaxPieces> pieces{};
    std::size_t count = 0;
    std::size_t bytes = 0;

    void clear() {
      count = 0;
      bytes = 0;
    }
  };

  class reader {  // NOLINT(readability-identifier-naming)
   public:
    template <bool isRequest, class Fields>
    reader(http::header<isRequest, Fields>& /*head*/, value_type& body) : body_(body) {}

    static void init(const boost::optional<std::uint64_t>& /*length*/, error_code& ec) { ec = {}; }

    // Beast's parser passes one contiguous piece of its input (a flat buffer's data).
    std::size_t put(const asio::const_buffer& piece, error_code& ec) {
      if (body_.count == kMaxPieces) {
        ec = http::error::need_buffer;
        return 0;
      }
      ec = {};
      if (piece.size() > 0) {
        body_.pieces[body_.count++] = piece;
        body_.bytes += piece.size();
      }
      return piece.size();
    }

    static void finish(error_code& ec) { ec = {}; }

   private:
    value_type& body_;
  };
};

}  // namespace gw::proxy
