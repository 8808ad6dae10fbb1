#pragma once
// A route's header edits (request_headers, response_headers), compiled once per snapshot and
// applied in place on the parsed message. Names are case-insensitive (as HTTP's are) and are
// resolved to Beast's known-field enum when they have one, so applying an edit compares
// integers instead of strings. Order: remove, then set, then add; a name both removed and
// added ends up with the added value only.

#include <boost/beast/http/field.hpp>
#include <boost/beast/http/fields.hpp>
#include <string>
#include <vector>

#include "core/config/model.hpp"
#include "proxy/net.hpp"

namespace gw::proxy {

class HeaderEdits {
 public:
  static HeaderEdits build(const core::HeaderOps& ops);

  bool empty() const { return edits_.empty(); }
  void apply(http::fields& fields) const;

 private:
  enum class Kind { kRemove, kSet, kAdd };
  struct Edit {
    Kind kind = Kind::kAdd;
    http::field field = http::field::unknown;  // unknown: use `name`
    std::string name;
    std::string value;
  };
  std::vector<Edit> edits_;
};

}  // namespace gw::proxy
