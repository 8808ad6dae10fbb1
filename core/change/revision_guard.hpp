#pragma once
// A whole document applied over the saved one (`gw config apply`, the dashboard's editor)
// says which revision it started from: `config export` writes the top-level `revision`.
// One that started from an older revision than the saved one would silently undo every
// change saved since (a service added meanwhile would disappear), so it is refused unless
// the caller forces it. A document without a revision (0) is taken as it is.

#include <string>
#include <vector>

#include "core/config/model.hpp"
#include "core/result.hpp"

namespace gw::core {

// Whether two documents are the same apart from their revision numbers.
bool sameDocument(const Config& a, const Config& b);

// What replacing `saved` with `incoming` does to named objects, in document order
// (gateways, services, routes, certificates), each as `kind "name"`.
struct ObjectChanges {
  std::vector<std::string> removed;  // in `saved` only
  std::vector<std::string> changed;  // in both, different
  std::vector<std::string> added;    // in `incoming` only
  bool proxy_settings = false;       // the `proxy` section differs
};
ObjectChanges objectChanges(const Config& saved, const Config& incoming);

// Ok unless `incoming` names a revision older than `saved`'s and differs from it. Then
// kValidation: `<name> is revision 3 but the saved document is revision 4; applying it would
// remove service "s3" and change route "shop"`, `name` being how the caller's user knows the
// document (e.g. "-f old.yaml").
Status checkRevision(const Config& saved, const Config& incoming, const std::string& name);

}  // namespace gw::core
