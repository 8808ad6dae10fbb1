// A route's `aggregate` (aggregate.hpp): its deadline, its size bound and its backends.

#include "core/config/decode_parts.hpp"

namespace gw::core::yaml {
namespace {

using Path = std::string;

void decodeBackend(Reader& r, const Node& node, const Path& path, AggregateBackend& out) {
  Fields f(r, node, path, {"name", "service", "path", "group", "fields", "required"});
  f.optional("name", [&](const Node& v, const Path& p) { r.string(v, p, out.name); });
  f.required("service", [&](const Node& v, const Path& p) { r.string(v, p, out.service); });
  f.required("path", [&](const Node& v, const Path& p) { r.string(v, p, out.path); });
  f.optional("group", [&](const Node& v, const Path& p) { r.string(v, p, out.group); });
  f.optional("fields", [&](const Node& v, const Path& p) { r.stringList(v, p, out.fields); });
  f.optional("required", [&](const Node& v, const Path& p) { r.boolean(v, p, out.required); });
}

}  // namespace

void decodeAggregate(Reader& r, const Node& node, const Path& path, std::optional<Aggregate>& out) {
  Aggregate aggregate;
  Fields f(r, node, path, {"timeout", "maxBodySize", "backends"});
  f.optional("timeout", [&](const Node& v, const Path& p) { r.duration(v, p, aggregate.timeout); });
  f.optional("maxBodySize", [&](const Node& v, const Path& p) {
    decodeByteSize(r, v, p, aggregate.max_body_size);
  });
  f.required("backends", [&](const Node& v, const Path& p) {
    decodeItems(r, v, p, aggregate.backends, decodeBackend);
  });
  out = std::move(aggregate);
}

}  // namespace gw::core::yaml
