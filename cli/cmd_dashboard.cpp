// gw dashboard: the web UI and its JSON API (cli/dashboard/, docs/dashboard-api.md), in the
// foreground until Ctrl-C. The first line of standard output is the URL to open, with a
// one-time login token. Loopback only unless --allow-remote says otherwise.

#include <csignal>
#include <cstdlib>
#include <iostream>

#include "cli/command.hpp"
#include "cli/daemon.hpp"
#include "cli/dashboard/dashboard.hpp"
#include "cli/mutate.hpp"
#include "proxy/web/server.hpp"

namespace gw::cli {
namespace {

struct DashboardOptions {
  std::string address = "127.0.0.1";
  int port = 9900;
  bool open = false;
  bool allow_remote = false;
};

// The running proxy's admin API, looked up again on every call: the proxy may start or stop
// while the dashboard runs.
std::function<std::optional<proxy::AdminClient>()> adminOf(const core::Home& home) {
  return [home]() -> std::optional<proxy::AdminClient> {
    const DaemonState daemon = probeDaemon(home);
    if (!daemon.running || daemon.admin_address.empty()) {
      return std::nullopt;
    }
    return proxy::AdminClient(daemon.admin_address, home.token().value_or(""));
  };
}

// Starts the desktop's browser on `url` when there is a desktop; says so when not.
void openBrowser(const Context& ctx, const std::string& url) {
  const bool desktop =
      std::getenv("DISPLAY") != nullptr || std::getenv("WAYLAND_DISPLAY") != nullptr;
  if (!desktop || std::system("command -v xdg-open >/dev/null 2>&1") != 0) {
    ctx.note("--open: no desktop browser here; open the URL above yourself");
    return;
  }
  // The URL is ours (an address, a port and hex): nothing in it needs quoting but itself.
  const std::string command = "xdg-open '" + url + "' >/dev/null 2>&1 &";
  if (std::system(command.c_str()) != 0) {
    ctx.note("--open: xdg-open failed; open the URL above yourself");
  }
}

core::Status runDashboard(const DashboardOptions& o, Context& ctx) {
  const std::string authority =
      o.address.find(':') != std::string::npos ? "[" + o.address + "]:0" : o.address + ":0";
  const bool loopback = isLoopbackAddress(authority);
  if (!loopback && !o.allow_remote) {
    return core::makeError(core::ErrorKind::kUsage,
                           "--address " + o.address +
                               " is not loopback: the dashboard changes the gateway, so serving "
                               "it beyond this machine needs --allow-remote");
  }
  if (o.port < 0 || o.port > 65535) {
    return core::makeError(core::ErrorKind::kUsage,
                           "--port " + std::to_string(o.port) + ": must be 0..65535");
  }
  const core::Home home = ctx.home();
  if (auto ensured = home.ensure(); !ensured) {
    return ensured;
  }
  if (auto token = home.ensureToken(); !token) {
    return std::move(token).error();
  }
  // Blocked before any thread starts, so that only the sigwait below takes them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  dashboard::Environment env;
  env.home = home;
  env.find_reloader = homeProxy(home);
  env.admin = adminOf(home);
  env.gw_binary = selfExecutable();
  env.version = GW_VERSION;
  dashboard::Dashboard app(env);
  auto server = proxy::web::Server::start(
      o.address, static_cast<std::uint16_t>(o.port),
      [&app](const proxy::web::Request& request) { return app.handle(request); });
  if (!server) {
    return std::move(server).error();
  }
  const std::string url = app.loginUrl(o.address, (*server)->port());
  std::cout << url << std::endl;  // the first line, flushed: scripts read it
  if (!loopback) {
    std::cerr << "warning: the dashboard serves on " << o.address
              << ", beyond this machine, over plain HTTP: anyone who can reach it and gets a "
                 "token can change the gateway\n";
  }
  ctx.note("serving the home " + home.root().string() +
           (adminOf(home)() ? ""
                            : "; no proxy runs: changes are saved and served once "
                              "`gw install` starts it") +
           "; Ctrl-C stops");
  app.monitor().start();
  if (o.open) {
    openBrowser(ctx, url);
  }
  int received = 0;
  sigwait(&signals, &received);
  app.monitor().stop();
  (*server)->stop();
  ctx.note("dashboard stopped");
  return core::Ok{};
}

}  // namespace

void setupDashboard(CLI::App& app, Context& ctx) {
  auto options = std::make_shared<DashboardOptions>();
  CLI::App* d =
      addCommand(app, "dashboard", "Serve the web dashboard (and its JSON API) until Ctrl-C",
                 "  gw dashboard --open\n  gw dashboard --port 0   # any free port");
  d->add_option("--address", options->address, "Listen on this address (default 127.0.0.1)")
      ->type_name("IP");
  d->add_option("--port", options->port, "Listen on this port; 0 picks a free one (default 9900)")
      ->type_name("PORT");
  d->add_flag("--open", options->open, "Open the URL in the desktop's browser");
  d->add_flag("--allow-remote", options->allow_remote,
              "Allow a non-loopback --address (plain HTTP: put TLS in front)");
  onRun(d, ctx, options, runDashboard);
}

}  // namespace gw::cli
