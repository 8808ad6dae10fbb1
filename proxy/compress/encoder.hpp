#pragma once
// Streaming compressors for answers: gzip (zlib), br (brotli) and zstd, each fed the body as
// it is relayed. The relay flushes one whenever the upstream has nothing more for the moment,
// so a client gets what the upstream sent so far (a server-sent event stream keeps flowing)
// and nothing is held whole, but an answer that arrives at once is compressed in one go, as
// one stream without flushes. Their state is a few hundred KiB at most, kept per worker for
// the next answer once the stream has ended (or released with the encoder).

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
  bool write(std::string_view in, std::string& out, bool flush) {
    held_ = !flush && (held_ || !in.empty());
    return compress(in, out, flush);
  }
  // Ends the stream: appends its last bytes to `out`.
  bool finish(std::string& out) {
    held_ = false;
    return end(out);
  }
  // Input taken since the last flush: some of it may not be in `out` yet.
  bool held() const { return held_; }

 protected:
  virtual bool compress(std::string_view in, std::string& out, bool flush) = 0;
  virtual bool end(std::string& out) = 0;

 private:
  bool held_ = false;
};

// The levels are the usual ones for compressing on the fly: gzip 5, brotli 4, zstd 3.
std::unique_ptr<Encoder> makeEncoder(core::Compress::Encoding encoding);

}  // namespace gw::proxy::compress
