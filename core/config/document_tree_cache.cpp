// The canonical shape of the cache parts of the document (cache.hpp).

#include "core/config/document_tree.hpp"

namespace gw::core {

using Tree = nlohmann::ordered_json;

Tree routeCacheTree(const RouteCache& cache) {
  Tree out = Tree::object();
  if (cache.max_age.count() != 0) {
    out["maxAge"] = formatDuration(cache.max_age);
  }
  if (cache.stale_while_revalidate.count() != 0) {
    out["staleWhileRevalidate"] = formatDuration(cache.stale_while_revalidate);
  }
  if (cache.stale_if_error.count() != 0) {
    out["staleIfError"] = formatDuration(cache.stale_if_error);
  }
  return out;
}

Tree compressTree(const Compress& compress) {
  const Compress defaults;
  Tree out = Tree::object();
  if (compress.encodings != defaults.encodings) {
    Tree list = Tree::array();
    for (const Compress::Encoding encoding : compress.encodings) {
      list.push_back(toString(encoding));
    }
    out["encodings"] = std::move(list);
  }
  if (compress.min_size != defaults.min_size) {
    out["minSize"] = formatByteSize(compress.min_size);
  }
  if (!compress.types.empty()) {
    out["types"] = compress.types;
  }
  return out;
}

void appendCacheSettings(Tree& proxy, const CacheSettings& cache) {
  const CacheSettings defaults;
  Tree out = Tree::object();
  if (cache.max_size != defaults.max_size) {
    out["maxSize"] = formatByteSize(cache.max_size);
  }
  if (cache.max_object != defaults.max_object) {
    out["maxObject"] = formatByteSize(cache.max_object);
  }
  if (!out.empty()) {
    proxy["cache"] = std::move(out);
  }
}

}  // namespace gw::core
