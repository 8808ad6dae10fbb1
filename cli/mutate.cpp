#include "cli/mutate.hpp"

#include <charconv>
#include <memory>
#include <optional>
#include <string>

#include "cli/daemon.hpp"
#include "cli/output.hpp"
#include "core/store/home.hpp"
#include "proxy/admin/reloader.hpp"

namespace gw::cli {

core::FindReloader homeProxy(const core::Home& home) {
  return [home]() -> std::unique_ptr<core::Reloader> {
    const DaemonState daemon = probeDaemon(home);
    if (!daemon.running) {
      return nullptr;
    }
    return std::make_unique<proxy::AdminReloader>(daemon.admin_address, home.token().value_or(""));
  };
}

namespace {

// "routes[9].mirror.service: ..." -> "route \"mirror\": mirror.service: ...": a user who typed
// a command knows the objects by name, not by their place in the document.
std::string byName(const core::Config& c, const std::string& line) {
  const auto open = line.find('[');
  const auto close = line.find(']');
  if (open == std::string::npos || close == std::string::npos || close < open) {
    return line;
  }
  const std::string section = line.substr(0, open);
  std::size_t index = 0;
  const char* first = line.data() + open + 1;
  if (std::from_chars(first, line.data() + close, index).ptr != line.data() + close) {
    return line;
  }
  std::string name;
  std::string kind;
  if (section == "routes" && index < c.routes.size()) {
    kind = "route";
    name = c.routes[index].name;
  } else if (section == "services" && index < c.services.size()) {
    kind = "service";
    name = c.services[index].name;
  } else if (section == "gateways" && index < c.gateways.size()) {
    kind = "gateway";
    name = c.gateways[index].name;
  } else if (section == "certificates" && index < c.certificates.size()) {
    kind = "certificate";
    name = c.certificates[index].name;
  }
  if (kind.empty() || name.empty()) {
    return line;
  }
  std::string rest = line.substr(close + 1);
  if (rest.starts_with('.')) {
    rest.erase(0, 1);
  } else if (rest.starts_with(": ")) {
    return quoted(kind, name) + rest;
  }
  return quoted(kind, name) + ": " + rest;
}

Json outcomeJson(const Subject& subject, const std::string& verb, const ChangeOutcome& outcome,
                 const std::optional<core::Config>& saved) {
  Json object;
  if (saved) {
    object = subject.name.empty() ? documentJson(*saved)
                                  : objectJson(*saved, subject.kind + "s", subject.name);
  }
  if (object.is_object() && object.empty()) {
    object = nullptr;  // deleted
  }
  Json out = {{"kind", subject.kind}};
  if (!subject.name.empty()) {
    out["name"] = subject.name;
  }
  out["action"] = outcome.changed ? verb : "unchanged";
  out["changed"] = outcome.changed;
  out["revision"] = outcome.revision;
  out["previousRevision"] = outcome.previous;
  out["reloaded"] = outcome.reloaded;
  out[subject.name.empty() ? "document" : "object"] = std::move(object);
  return out;
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

std::string Subject::text() const { return name.empty() ? kind : quoted(kind, name); }

core::Result<ChangeOutcome> applyChange(const Context& ctx, const Subject& subject,
                                        const std::string& verb, const Change& change) {
  const core::Home home = ctx.home();
  const core::ChangePipeline pipeline(home, homeProxy(home));
  std::optional<core::Config> changed;
  auto outcome = pipeline.apply([&](core::Config& c) {
    core::Status status = change(c);
    changed = c;
    return status;
  });
  if (!outcome) {
    core::Error error = std::move(outcome).error();
    if (error.kind == core::ErrorKind::kValidation && changed) {
      for (std::string& line : error.details) {
        line = byName(*changed, line);
      }
    }
    return error;
  }
  if (ctx.format() != Format::kTable) {
    printStructured(ctx, outcomeJson(subject, verb, *outcome, changed));
  } else {
    const std::string revision = " (revision " + std::to_string(outcome->revision) + ")";
    ctx.confirm(subject.text() + " " + (outcome->changed ? verb : "unchanged") + revision);
  }
  if (!outcome->changed) {
    return outcome;
  }
  if (!outcome->reloaded) {
    ctx.note("gw is not running; run 'gw install' to serve this configuration");
  }
  return outcome;
}

}  // namespace gw::cli
