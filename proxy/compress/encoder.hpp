#pragma once
// Streaming compressors for answers: gzip (zlib), br (brotli) and zstd, each fed the body as
// it is relayed and flushed at the end of every piece, so a client gets what the upstream
// sent so far (a server-sent event stream keeps flowing) and nothing is held whole. Their
// state is a few hundred KiB at most, released with the encoder.

#include <memory>
#include <string>
#include <string_view>

#include "core/config/compress.hpp"

namespace gw::proxy::compress {

class Encoder {
 public:
  virtual ~Encoder() = default;
  // Compresses `in` and appends what it makes to `out` (all of `in`, when `flush`); false on
  // a compressor error.
  virtual bool write(std::string_view in, std::string& out, bool flush) = 0;
  // Ends the stream: appends its last bytes to `out`.
  virtual bool finish(std::string& out) = 0;
};

// The levels are the usual ones for compressing on the fly: gzip 5, brotli 4, zstd 3.
std::unique_ptr<Encoder> makeEncoder(core::Compress::Encoding encoding);

}  // namespace gw::proxy::compress
