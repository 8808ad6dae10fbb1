#include "proxy/filter/header_edits/header_edits.hpp"

namespace gw::proxy {

HeaderEdits HeaderEdits::build(const core::HeaderOps& ops) {
  HeaderEdits edits;
  const auto push = [&edits](Kind kind, const std::string& name, const std::string& value) {
    edits.edits_.push_back(Edit{kind, http::string_to_field(name), name, value});
  };
  for (const std::string& name : ops.remove) {
    push(Kind::kRemove, name, {});
  }
  for (const core::HeaderValue& header : ops.set) {
    push(Kind::kSet, header.name, header.value);
  }
  for (const core::HeaderValue& header : ops.add) {
    push(Kind::kAdd, header.name, header.value);
  }
  return edits;
}

void HeaderEdits::apply(http::fields& fields) const {
  for (const Edit& edit : edits_) {
    const bool known = edit.field != http::field::unknown;
    switch (edit.kind) {
      case Kind::kRemove:
        known ? static_cast<void>(fields.erase(edit.field))
              : static_cast<void>(fields.erase(edit.name));
        break;
      case Kind::kSet:
        known ? fields.set(edit.field, edit.value) : fields.set(edit.name, edit.value);
        break;
      case Kind::kAdd:
        known ? fields.insert(edit.field, edit.value) : fields.insert(edit.name, edit.value);
        break;
    }
  }
}

}  // namespace gw::proxy
