#pragma once
// Compression of answers in the document: a route's or a gateway's `compress` (the route's
// replaces its gateway's), as Caddy's encode and Envoy's compressor do it: negotiated from the
// request's Accept-Encoding, for compressible types above a size. Part of the model
// (model.hpp includes it).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gw::core {

struct Compress {
  enum class Encoding { kZstd, kBrotli, kGzip };
  // The gateway's preference among what the client accepts equally.
  std::vector<Encoding> encodings{Encoding::kZstd, Encoding::kBrotli, Encoding::kGzip};
  std::int64_t min_size = 1024;  // answers that say they are shorter stay as they are
  // Content types compressed ("text/*" and "application/*+json" patterns); empty: the
  // default list (defaultCompressTypes).
  std::vector<std::string> types;
  bool operator==(const Compress&) const = default;
};

// "zstd", "br", "gzip".
std::optional<Compress::Encoding> parseEncoding(std::string_view text);
const char* toString(Compress::Encoding encoding);

// text/*, JSON, JavaScript, XML, SVG, WebAssembly and the like.
const std::vector<std::string>& defaultCompressTypes();

}  // namespace gw::core
