#include "cli/mutate.hpp"

#include <nlohmann/json.hpp>

#include "cli/daemon.hpp"
#include "core/config/document.hpp"
#include "core/store/home.hpp"
#include "proxy/admin/client.hpp"

namespace gw::cli {
namespace {

// The proxy's answer to a refused reload: {"error":"...","details":[...]} (or plain text).
core::Error refusal(const proxy::AdminResponse& response) {
  core::Error error{core::ErrorKind::kRuntime, "", {}};
  auto body = nlohmann::json::parse(response.body, nullptr, false);
  if (body.is_object() && body.contains("error")) {
    error.message =
        body["error"].is_string() ? body["error"].get<std::string>() : body["error"].dump();
    if (body.contains("details") && body["details"].is_array()) {
      for (const auto& detail : body["details"]) {
        error.details.push_back(detail.is_string() ? detail.get<std::string>() : detail.dump());
      }
    }
  } else {
    error.message = "HTTP " + std::to_string(response.status);
    if (!response.body.empty()) {
      error.message += ": " + response.body.substr(0, response.body.find('\n'));
    }
  }
  return error;
}

// Tells the running proxy to serve `revision`. The error says, in one line, why it does not.
core::Status reload(const core::Home& home, const DaemonState& daemon, std::uint64_t revision) {
  const std::string rev = "revision " + std::to_string(revision);
  proxy::AdminClient admin(daemon.admin_address, home.token().value_or(""));
  auto response = admin.post("/v1/reload", proxy::AdminClient::kReloadTimeout);
  if (!response) {
    return std::move(response).error().context("the proxy did not answer the reload of " + rev);
  }
  if (response->status != 200) {
    return refusal(*response).context("the proxy refused " + rev);
  }
  auto body = nlohmann::json::parse(response->body, nullptr, false);
  if (!body.is_object() || !body.contains("revision") || !body["revision"].is_number()) {
    return core::makeError(core::ErrorKind::kRuntime,
                           "unexpected answer to the reload of " + rev + ": " + response->body);
  }
  auto served = body["revision"].get<std::uint64_t>();
  if (served != revision) {
    // E.g. a proxy started with --config serves its own file, not this home's document.
    return core::makeError(
        core::ErrorKind::kRuntime,
        "the proxy serves revision " + std::to_string(served) + " after the reload of " + rev);
  }
  return core::Ok{};
}

}  // namespace

core::Result<core::Config> readConfig(const Context& ctx) {
  core::Home home = ctx.home();
  auto loaded = home.load();
  if (!loaded) {
    return std::move(loaded).error();
  }
  return loaded;
}

std::string quoted(const std::string& kind, const std::string& name) {
  return kind + " \"" + name + "\"";
}

core::Error notFound(const std::string& kind, const std::string& name) {
  return core::makeError(core::ErrorKind::kNotFound, "no " + quoted(kind, name));
}

core::Result<ChangeOutcome> applyChange(const Context& ctx, const std::string& subject,
                                        const std::string& verb, const Change& change) {
  core::Home home = ctx.home();
  if (auto ensured = home.ensure(); !ensured) {
    return std::move(ensured).error();
  }
  auto lock = core::Lock::acquire(home);
  if (!lock) {
    return std::move(lock).error();
  }
  auto loaded = home.load();
  if (!loaded) {
    return std::move(loaded).error();
  }
  const core::Config before = *loaded;
  core::Config config = *loaded;
  if (auto changed = change(config); !changed) {
    return std::move(changed).error();
  }
  config.revision = before.revision;
  if (core::diff(before, config, "before", "after").empty() && before.revision > 0) {
    ctx.confirm(subject + " unchanged (revision " + std::to_string(before.revision) + ")");
    return ChangeOutcome{before.revision, false};
  }
  auto saved = home.save(config);
  if (!saved) {
    return std::move(saved).error();
  }
  const std::uint64_t revision = *saved;

  DaemonState daemon = probeDaemon(home);
  if (!daemon.running) {
    ctx.confirm(subject + " " + verb + " (revision " + std::to_string(revision) + ")");
    ctx.note("gw is not running; run 'gw install' to serve this configuration");
    return ChangeOutcome{revision, true};
  }
  if (auto reloaded = reload(home, daemon, revision); !reloaded) {
    core::Error error = std::move(reloaded).error();
    std::string restored;
    if (auto back = home.restore(before.revision); back) {
      restored = "; restored revision " + std::to_string(before.revision);
    } else {
      restored = "; restoring revision " + std::to_string(before.revision) +
                 " failed: " + back.error().message;
    }
    error.message += restored;
    error.kind = core::ErrorKind::kRuntime;
    return error;
  }
  ctx.confirm(subject + " " + verb + " (revision " + std::to_string(revision) + ")");
  return ChangeOutcome{revision, true};
}

}  // namespace gw::cli
