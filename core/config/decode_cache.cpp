// The cache parts of the document (cache.hpp): a route's `cache` and the proxy's store bounds;
// and compression (compress.hpp), a route's or a gateway's.

#include "core/config/decode_parts.hpp"

namespace gw::core::yaml {
using Path = std::string;

void decodeByteSize(Reader& r, const Node& node, const Path& path, std::int64_t& out) {
  const auto value = node.isScalar() ? parseByteSize(node.scalar()) : std::nullopt;
  if (!value) {
    r.expected(path, "a size such as 256MiB, 512KiB or 1000000 (bytes)", node);
    return;
  }
  out = *value;
}

void decodeRouteCache(Reader& r, const Node& node, const Path& path,
                      std::optional<RouteCache>& out) {
  RouteCache cache;
  if (node.isScalar()) {  // "cache: true" turns it on with the defaults
    bool on = false;
    if (r.boolean(node, path, on) && on) {
      out = cache;
    }
    return;
  }
  Fields f(r, node, path, {"maxAge", "staleWhileRevalidate", "staleIfError"});
  f.optional("maxAge", [&](const Node& v, const Path& p) { r.duration(v, p, cache.max_age); });
  f.optional("staleWhileRevalidate",
             [&](const Node& v, const Path& p) { r.duration(v, p, cache.stale_while_revalidate); });
  f.optional("staleIfError",
             [&](const Node& v, const Path& p) { r.duration(v, p, cache.stale_if_error); });
  out = cache;
}

void decodeCompress(Reader& r, const Node& node, const Path& path, std::optional<Compress>& out) {
  Compress compress;
  if (node.isScalar()) {  // "compress: true" turns it on with the defaults
    bool on = false;
    if (r.boolean(node, path, on) && on) {
      out = compress;
    }
    return;
  }
  Fields f(r, node, path, {"encodings", "minSize", "types"});
  f.optional("encodings", [&](const Node& v, const Path& p) {
    compress.encodings.clear();
    r.list(v, p, [&](const Node& item, const Path& item_path) {
      Compress::Encoding encoding{};
      if (r.enumeration(item, item_path, parseEncoding, "zstd, br, gzip", encoding)) {
        compress.encodings.push_back(encoding);
      }
    });
  });
  f.optional("minSize",
             [&](const Node& v, const Path& p) { decodeByteSize(r, v, p, compress.min_size); });
  f.optional("types", [&](const Node& v, const Path& p) { r.stringList(v, p, compress.types); });
  out = std::move(compress);
}

void decodeCacheSettings(Reader& r, const Node& node, const Path& path, CacheSettings& out) {
  Fields f(r, node, path, {"maxSize", "maxObject"});
  f.optional("maxSize",
             [&](const Node& v, const Path& p) { decodeByteSize(r, v, p, out.max_size); });
  f.optional("maxObject",
             [&](const Node& v, const Path& p) { decodeByteSize(r, v, p, out.max_object); });
}

}  // namespace gw::core::yaml
