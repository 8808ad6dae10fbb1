#include "cli/mutate.hpp"

#include <memory>

#include "cli/daemon.hpp"
#include "core/store/home.hpp"
#include "proxy/admin/reloader.hpp"

namespace gw::cli {
namespace {

// The home's proxy when its pid file names a live `gw proxy` for this home.
core::FindReloader homeProxy(const core::Home& home) {
  return [home]() -> std::unique_ptr<core::Reloader> {
    const DaemonState daemon = probeDaemon(home);
    if (!daemon.running) {
      return nullptr;
    }
    return std::make_unique<proxy::AdminReloader>(daemon.admin_address, home.token().value_or(""));
  };
}

}  // namespace

core::Status reloadRunningProxy(const Context& ctx, std::uint64_t revision) {
  auto reloader = homeProxy(ctx.home())();
  if (!reloader) {
    return core::Ok{};
  }
  auto served = reloader->reload(revision);
  if (!served) {
    return std::move(served).error();
  }
  return core::Ok{};
}

core::Result<core::Config> readConfig(const Context& ctx) {
  core::Home home = ctx.home();
  auto loaded = home.load();
  if (!loaded) {
    return std::move(loaded).error();
  }
  return loaded;
}

core::Status asStatus(core::Result<ChangeOutcome> outcome) {
  return outcome ? core::Status(core::Ok{}) : core::Status(std::move(outcome).error());
}

std::string quoted(const std::string& kind, const std::string& name) {
  return kind + " \"" + name + "\"";
}

core::Error notFound(const std::string& kind, const std::string& name) {
  return core::makeError(core::ErrorKind::kNotFound, "no " + quoted(kind, name));
}

core::Result<ChangeOutcome> applyChange(const Context& ctx, const std::string& subject,
                                        const std::string& verb, const Change& change) {
  const core::Home home = ctx.home();
  const core::ChangePipeline pipeline(home, homeProxy(home));
  auto outcome = pipeline.apply(change);
  if (!outcome) {
    return outcome;
  }
  const std::string revision = " (revision " + std::to_string(outcome->revision) + ")";
  if (!outcome->changed) {
    ctx.confirm(subject + " unchanged" + revision);
    return outcome;
  }
  ctx.confirm(subject + " " + verb + revision);
  if (!outcome->reloaded) {
    ctx.note("gw is not running; run 'gw install' to serve this configuration");
  }
  return outcome;
}

}  // namespace gw::cli
