#pragma once
// The CLI's side of the change pipeline (core/change/pipeline.hpp): it wires in the home's
// running proxy and turns the outcome into one confirmation line, `<subject> <verb>
// (revision N)`, or `<subject> unchanged (revision N)`.

#include <cstdint>
#include <string>

#include "cli/context.hpp"
#include "core/change/pipeline.hpp"
#include "core/config/model.hpp"
#include "core/result.hpp"

namespace gw::cli {

using core::Change;
using core::ChangeOutcome;

// What a change is about: kind "route" and name "shop"; a name-less kind ("configuration")
// for the whole document.
struct Subject {
  std::string kind;
  std::string name;
  std::string text() const;  // `route "shop"`, or `configuration`
};

// `subject` and `verb` make the confirmation: `route "shop"` + "updated". With -o json|yaml
// the outcome is printed as data instead: kind, name, action, changed, revision, reloaded
// and the object as saved (null once deleted).
core::Result<ChangeOutcome> applyChange(const Context& ctx, const Subject& subject,
                                        const std::string& verb, const Change& change);

// The outcome as a command's result: its confirmation is already printed.
core::Status asStatus(core::Result<ChangeOutcome> outcome);

// Asks the home's running proxy (if any) to serve the saved document again, e.g. after a
// certificate's files changed; Ok when none runs.
core::Status reloadRunningProxy(const Context& ctx, std::uint64_t revision);

// The home's proxy when its pid file names a live `gw proxy` for this home, for the pipeline.
core::FindReloader homeProxy(const core::Home& home);

// The home's document for commands that only read it (no lock: saves are atomic renames).
core::Result<core::Config> readConfig(const Context& ctx);

// `kind "name"`, as every message names an object.
std::string quoted(const std::string& kind, const std::string& name);

core::Error notFound(const std::string& kind, const std::string& name);

}  // namespace gw::cli
