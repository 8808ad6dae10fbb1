// The canonical shape of a route's aggregate (aggregate.hpp).

#include "core/config/document_tree.hpp"

namespace gw::core {

using Tree = nlohmann::ordered_json;

Tree aggregateTree(const Aggregate& aggregate) {
  const Aggregate defaults;
  Tree out = Tree::object();
  if (aggregate.timeout != defaults.timeout) {
    out["timeout"] = formatDuration(aggregate.timeout);
  }
  if (aggregate.max_body_size != defaults.max_body_size) {
    out["maxBodySize"] = formatByteSize(aggregate.max_body_size);
  }
  Tree backends = Tree::array();
  for (const AggregateBackend& b : aggregate.backends) {
    Tree backend = Tree::object();
    if (!b.name.empty()) {
      backend["name"] = b.name;
    }
    backend["service"] = b.service;
    backend["path"] = b.path;
    if (!b.group.empty()) {
      backend["group"] = b.group;
    }
    if (!b.fields.empty()) {
      backend["fields"] = b.fields;
    }
    if (b.required) {
      backend["required"] = true;
    }
    backends.push_back(std::move(backend));
  }
  out["backends"] = std::move(backends);
  return out;
}

}  // namespace gw::core
