#pragma once
// The one change pipeline every changing command goes through:
//   lock the home -> load -> change the model -> save (validates; nothing written on error)
//   -> reload the running proxy (restoring the previous revision if it refuses)
//   -> one confirmation line: `<subject> <verb> (revision N)`.

#include <cstdint>
#include <functional>
#include <string>

#include "cli/context.hpp"
#include "core/config/model.hpp"
#include "core/result.hpp"

namespace gw::cli {

struct ChangeOutcome {
  std::uint64_t revision = 0;
  bool changed = true;  // false when the change left the document as it was
};

// Changes the model in place; an error aborts before anything is saved.
using Change = std::function<core::Status(core::Config&)>;

// `subject` and `verb` make the confirmation: `route "shop"` + "updated".
core::Result<ChangeOutcome> applyChange(const Context& ctx, const std::string& subject,
                                        const std::string& verb, const Change& change);

// The home's document for commands that only read it (no lock: saves are atomic renames).
core::Result<core::Config> readConfig(const Context& ctx);

// `kind "name"`, as every message names an object.
std::string quoted(const std::string& kind, const std::string& name);

core::Error notFound(const std::string& kind, const std::string& name);

}  // namespace gw::cli
