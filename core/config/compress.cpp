#include "core/config/compress.hpp"

namespace gw::core {

std::optional<Compress::Encoding> parseEncoding(std::string_view text) {
  if (text == "zstd") {
    return Compress::Encoding::kZstd;
  }
  if (text == "br") {
    return Compress::Encoding::kBrotli;
  }
  if (text == "gzip") {
    return Compress::Encoding::kGzip;
  }
  return std::nullopt;
}

const char* toString(Compress::Encoding encoding) {
  switch (encoding) {
    case Compress::Encoding::kZstd:
      return "zstd";
    case Compress::Encoding::kBrotli:
      return "br";
    case Compress::Encoding::kGzip:
      return "gzip";
  }
  return "gzip";
}

const std::vector<std::string>& defaultCompressTypes() {
  static const std::vector<std::string> kTypes{
      "text/*",
      "application/json",
      "application/*+json",
      "application/javascript",
      "application/x-javascript",
      "application/xml",
      "application/*+xml",
      "application/x-ndjson",
      "application/graphql-response+json",
      "application/wasm",
      "image/svg+xml",
      "image/x-icon",
      "font/ttf",
      "font/otf",
  };
  return kTypes;
}

}  // namespace gw::core
