#include "core/change/pipeline.hpp"

#include <string>
#include <utility>

#include "core/change/revision_guard.hpp"

namespace gw::core {
namespace {

std::string revisionName(std::uint64_t revision) { return "revision " + std::to_string(revision); }

}  // namespace

ChangePipeline::ChangePipeline(Home home, FindReloader find_reloader)
    : home_(std::move(home)), find_reloader_(std::move(find_reloader)) {}

Result<ChangeOutcome> ChangePipeline::apply(const Change& change) const {
  if (auto ensured = home_.ensure(); !ensured) {
    return std::move(ensured).error();
  }
  // Held until the proxy serves the result (or the restore is done): a concurrent change
  // must neither interleave with this one nor be undone by its restore.
  auto lock = Lock::acquire(home_);
  if (!lock) {
    return std::move(lock).error();
  }
  auto loaded = home_.load();
  if (!loaded) {
    return std::move(loaded).error();
  }
  const Config before = std::move(loaded).value();
  Config config = before;
  if (auto changed = change(config); !changed) {
    return std::move(changed).error();
  }
  // The revision belongs to the store, whatever the change put there.
  config.revision = before.revision;
  if (before.revision > 0 && sameDocument(before, config)) {
    return ChangeOutcome{before.revision, before.revision, false, false};
  }
  auto saved = home_.save(config);
  if (!saved) {
    return std::move(saved).error();
  }
  const std::uint64_t revision = *saved;

  std::unique_ptr<Reloader> reloader = find_reloader_ ? find_reloader_() : nullptr;
  if (!reloader) {
    return ChangeOutcome{revision, before.revision, true, false};
  }
  if (auto reloaded = reloadOrRestore(*reloader, revision, before.revision); !reloaded) {
    return std::move(reloaded).error();
  }
  return ChangeOutcome{revision, before.revision, true, true};
}

Status ChangePipeline::reloadOrRestore(Reloader& reloader, std::uint64_t revision,
                                       std::uint64_t previous) const {
  auto served = reloader.reload(revision);
  Error error;
  if (!served) {
    error = std::move(served).error();
  } else if (*served != revision) {
    // E.g. a proxy started with --config serves its own file, not this home's document.
    error = makeError(ErrorKind::kRuntime, "the proxy serves " + revisionName(*served) +
                                               " after the reload of " + revisionName(revision));
  } else {
    return Ok{};
  }
  // The saved document must be what the proxy serves, or the next change would build on a
  // revision nobody runs.
  if (auto back = home_.restore(previous, /*refused=*/true); back) {
    error.message += "; restored " + revisionName(previous);
  } else {
    error.message += "; restoring " + revisionName(previous) + " failed: " + back.error().message;
  }
  error.kind = ErrorKind::kRuntime;
  return error;
}

}  // namespace gw::core
