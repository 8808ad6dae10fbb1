#pragma once
// The one change pipeline every change goes through, from the CLI and the dashboard alike:
//   lock the home -> load -> change the model -> validate and save (core::Home::save: atomic,
//   the previous revision kept; nothing written when invalid) -> reload the running proxy
//   -> restore the previous revision when the proxy does not serve the new one.
// Nothing here prints: callers turn the outcome into their own confirmation.

#include <cstdint>
#include <functional>
#include <memory>

#include "core/change/reloader.hpp"
#include "core/config/model.hpp"
#include "core/result.hpp"
#include "core/store/home.hpp"

namespace gw::core {

// Changes the model in place; an error aborts before anything is saved.
using Change = std::function<Status(Config&)>;

struct ChangeOutcome {
  std::uint64_t revision = 0;  // the saved revision (the current one when nothing changed)
  std::uint64_t previous = 0;  // the revision the change started from
  bool changed = false;        // false: the document stayed as it was and nothing was saved
  bool reloaded = false;       // a running proxy now serves `revision`; false when none runs
};

// The proxy serving the home, or nullptr when none runs. Asked after the save and under the
// home's lock, so a proxy that `gw install` (which holds the lock) starts meanwhile is seen.
using FindReloader = std::function<std::unique_ptr<Reloader>()>;

class ChangePipeline {
 public:
  ChangePipeline(Home home, FindReloader find_reloader);

  // Error kinds: those of `change`, kValidation for an invalid result, kRuntime for I/O and
  // for a proxy that did not serve the new revision. In that last case the previous revision
  // is back in place and the message ends with "; restored revision N" (or says why it is
  // not). A document that the change leaves equal to the saved one is not saved again.
  Result<ChangeOutcome> apply(const Change& change) const;

 private:
  // Reloads `revision`; on failure puts `previous` back and says so in the error.
  Status reloadOrRestore(Reloader& reloader, std::uint64_t revision, std::uint64_t previous) const;

  Home home_;
  FindReloader find_reloader_;
};

}  // namespace gw::core
