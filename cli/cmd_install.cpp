// gw install | status | uninstall: the lifecycle of this home's background proxy.

#include <filesystem>
#include <iostream>

#include "cli/command.hpp"
#include "cli/daemon.hpp"
#include "cli/mutate.hpp"
#include "cli/output.hpp"
#include "cli/status_view.hpp"
#include "core/net/host_port.hpp"
#include "proxy/admin/client.hpp"

namespace gw::cli {
namespace {

using namespace std::chrono_literals;

struct InstallOptions {
  std::string admin_address;
};

struct StatusOptions {};

struct UninstallOptions {
  bool purge = false;
};

constexpr auto kStartTimeout = 10s;
constexpr auto kStopGrace = 10s;

core::Status checkAdminAddress(const std::string& address) {
  if (!core::net::parseHostPort(address)) {
    return core::makeError(core::ErrorKind::kUsage,
                           "invalid --admin-address \"" + address + "\": expected HOST:PORT");
  }
  if (!isLoopbackAddress(address)) {
    return core::makeError(
        core::ErrorKind::kUsage,
        "the admin API serves on loopback only (127.0.0.1 or ::1), not " + address);
  }
  return core::Ok{};
}

// The admin address kept in the home: the flag, else the one picked before, else a free port.
core::Result<std::string> settleAdminAddress(const core::Home& home, const std::string& flag) {
  std::optional<std::string> kept = readAdminAddress(home);
  std::string address = !flag.empty() ? flag : kept.value_or("");
  if (address.empty()) {
    auto picked = pickFreeLoopbackAddress();
    if (!picked) {
      return std::move(picked).error();
    }
    address = *picked;
  }
  if (address != kept) {
    if (auto written = core::writeFileAtomic(home.file("admin.address"), address + "\n", 0644);
        !written) {
      return std::move(written).error();
    }
  }
  return address;
}

void printServing(const Context& ctx, const core::Home& home, pid_t pid,
                  const std::string& address) {
  if (ctx.quiet()) {
    return;
  }
  const bool color = ctx.colorStdout();
  std::cout << green("gw is running", color) << " (pid " << pid << ")\n"
            << "  admin API  http://" << address << " (token in "
            << home.file("admin.token").string() << ")\n";
  if (auto config = home.load(); config) {
    for (const auto& gateway : config->gateways) {
      for (const auto& listener : gateway.listeners) {
        std::cout << "  listener   " << core::toString(listener.protocol) << "://"
                  << gateway.address << ':' << listener.port << " (" << gateway.name << '/'
                  << listener.name << ")\n";
      }
    }
    if (config->gateways.empty()) {
      std::cout << "  listeners  none yet: gw gateway create NAME --port http:8080 "
                   "[--address 0.0.0.0 to serve beyond this host]\n";
    }
  }
  std::cout << "  home       " << home.root().string() << '\n';
}

core::Status runInstall(const InstallOptions& o, Context& ctx) {
  if (!o.admin_address.empty()) {
    if (auto checked = checkAdminAddress(o.admin_address); !checked) {
      return checked;
    }
  }
  core::Home home = ctx.home();
  if (auto ensured = home.ensure(); !ensured) {
    return std::move(ensured).error();
  }
  auto lock = core::Lock::acquire(home);
  if (!lock) {
    return std::move(lock).error();
  }
  if (auto token = home.ensureToken(); !token) {
    return std::move(token).error();
  }
  DaemonState daemon = probeDaemon(home);
  if (daemon.running) {
    if (!o.admin_address.empty() && o.admin_address != daemon.admin_address) {
      return core::makeError(core::ErrorKind::kUsage,
                             "gw is already running with its admin API on " + daemon.admin_address +
                                 "; run 'gw uninstall' first to move it");
    }
    if (proxy::AdminClient(daemon.admin_address, "").ready()) {
      ctx.confirm("gw is already running (pid " + std::to_string(daemon.pid) + ")");
      return core::Ok{};
    }
    return waitUntilReady(home, daemon.pid, daemon.admin_address, kStartTimeout);
  }
  if (daemon.stale_pid != 0) {
    std::filesystem::remove(home.file("proxy.pid"));
  }
  // A document the proxy would refuse is reported here, before anything starts.
  if (auto config = home.load(); !config) {
    return std::move(config).error();
  }
  auto address = settleAdminAddress(home, o.admin_address);
  if (!address) {
    return std::move(address).error();
  }
  auto pid = startDaemon(home, *address);
  if (!pid) {
    return std::move(pid).error();
  }
  if (auto ready = waitUntilReady(home, *pid, *address, kStartTimeout); !ready) {
    (void)stopDaemon(*pid, 2s);
    std::filesystem::remove(home.file("proxy.pid"));
    return ready;
  }
  printServing(ctx, home, *pid, *address);
  return core::Ok{};
}

core::Status runStatus(const StatusOptions& /*options*/, Context& ctx) {
  core::Home home = ctx.home();
  StatusReport report = collectStatus(home);
  printStatus(ctx, report);
  return core::Ok{};
}

core::Status runUninstall(const UninstallOptions& o, Context& ctx) {
  core::Home home = ctx.home();
  if (!std::filesystem::exists(home.root())) {
    ctx.note("gw is not installed in " + home.root().string());
    return core::Ok{};
  }
  auto lock = core::Lock::acquire(home);
  if (!lock) {
    return std::move(lock).error();
  }
  DaemonState daemon = probeDaemon(home);
  if (daemon.running) {
    if (auto stopped = stopDaemon(daemon.pid, kStopGrace); !stopped) {
      return stopped;
    }
    ctx.confirm("gw stopped (pid " + std::to_string(daemon.pid) + ")");
  } else {
    ctx.note("gw is not running");
  }
  std::error_code ec;
  std::filesystem::remove(home.file("proxy.pid"), ec);
  if (o.purge) {
    // Kept otherwise: the next install serves its admin API where scrapers and scripts
    // already look.
    std::filesystem::remove(home.file("admin.address"), ec);
    std::filesystem::remove(home.file("admin.token"), ec);
    for (const char* folder : {"certs", "acme", "ca"}) {
      std::filesystem::remove_all(home.file(folder), ec);
    }
    ctx.confirm("removed the admin token and address and every key and certificate; kept " +
                home.configPath().string() + " and its revisions");
  }
  return core::Ok{};
}

// The saved document, served again: after a hand edit of config.yaml, or to be sure.
core::Status runReload(const StatusOptions& /*options*/, Context& ctx) {
  core::Home home = ctx.home();
  auto config = readConfig(ctx);  // a broken hand edit is refused here, with its positions
  if (!config) {
    return std::move(config).error();
  }
  if (!probeDaemon(home).running) {
    return core::makeError(
        core::ErrorKind::kRuntime,
        "gw is not running; run 'gw install' to serve " + home.configPath().string());
  }
  if (auto served = reloadRunningProxy(ctx, config->revision); !served) {
    return served;
  }
  if (ctx.format() != Format::kTable) {
    printStructured(ctx, Json{{"reloaded", true}, {"revision", config->revision}});
  } else {
    ctx.confirm("reloaded revision " + std::to_string(config->revision));
  }
  return core::Ok{};
}

}  // namespace

void setupInstall(CLI::App& app, Context& ctx) {
  auto install = std::make_shared<InstallOptions>();
  CLI::App* i = addCommand(app, "install", "Start the local gateway in the background (idempotent)",
                           "  gw install\n"
                           "  gw install --admin-address 127.0.0.1:9901");
  i->add_option("--admin-address", install->admin_address,
                "Loopback HOST:PORT for the admin API (default: a free port, kept in the home)")
      ->type_name("HOST:PORT");
  onRun(i, ctx, install, runInstall);

  auto status = std::make_shared<StatusOptions>();
  CLI::App* s =
      addCommand(app, "status", "Show whether gw runs, what it serves and the document revision",
                 "  gw status\n"
                 "  gw status -o json");
  onRun(s, ctx, status, runStatus);

  auto reload = std::make_shared<StatusOptions>();
  CLI::App* r = addCommand(app, "reload",
                           "Serve the saved document again (after editing config.yaml by hand)",
                           "  gw reload");
  onRun(r, ctx, reload, runReload);

  auto uninstall = std::make_shared<UninstallOptions>();
  CLI::App* u = addCommand(app, "uninstall",
                           "Stop the local gateway; the configuration and its revisions stay",
                           "  gw uninstall\n"
                           "  gw uninstall --purge");
  u->add_flag("--purge", uninstall->purge,
              "Also delete the admin token and address, keys and certificates (certs/, acme/, "
              "ca/)");
  onRun(u, ctx, uninstall, runUninstall);
}

}  // namespace gw::cli
