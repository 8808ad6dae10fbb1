// gw proxy: the data plane in the foreground. `gw install` runs this same command in the
// background; here the home, the token and the document loader are wired into the proxy.

#include <pthread.h>
#include <unistd.h>

#include <atomic>
#include <charconv>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <memory>

#include "cli/command.hpp"
#include "cli/daemon.hpp"
#include "core/acme/renewer.hpp"
#include "core/config/validate.hpp"
#include "proxy/observe/event_log.hpp"
#include "proxy/proxy.hpp"

namespace gw::cli {
namespace {

struct ProxyOptions {
  std::string config_file;  // --config: serve this file instead of the home's document
  int threads = 0;
  std::string admin_address;
  bool renew_once = false;  // one renewal pass, then exit (what the running proxy starts)
};

proxy::ConfigLoader homeLoader(const core::Home& home) {
  return [home]() -> core::Result<std::shared_ptr<const core::Config>> {
    auto config = home.load();
    if (!config) {
      return std::move(config).error();
    }
    return std::make_shared<const core::Config>(std::move(config).value());
  };
}

proxy::ConfigLoader fileLoader(const std::string& file) {
  return [file]() -> core::Result<std::shared_ptr<const core::Config>> {
    auto text = core::readFile(file);
    if (!text) {
      return std::move(text).error();
    }
    auto config = core::loadDocument(*text, file);
    if (!config) {
      return std::move(config).error();
    }
    return std::make_shared<const core::Config>(std::move(config).value());
  };
}

// The gateway keeps its certificates itself: issued when the document names one with no
// files yet, renewed when due, by `gw proxy --renew-once` (the same document) run as a
// process of its own; new files reload the proxy as SIGHUP does.
acme::RenewerSettings renewerSettings(const core::Home& home, const proxy::ConfigLoader& load,
                                      const ProxyOptions& o) {
  acme::RenewerSettings settings;
  settings.pass_command = {"/proc/self/exe", "--home", home.root().string(), "proxy",
                           "--renew-once"};
  if (!o.config_file.empty()) {
    std::error_code ec;
    settings.pass_command.insert(
        settings.pass_command.end(),
        {"--config", std::filesystem::absolute(o.config_file, ec).string()});
  }
  settings.home = {home.file("acme"), home.file("ca")};
  settings.certs_dir = home.file("certs");
  settings.load = [load]() -> core::Result<core::Config> {
    auto config = load();
    if (!config) {
      return std::move(config).error();
    }
    return **config;
  };
  settings.on_renewed = [] { ::kill(::getpid(), SIGHUP); };
  settings.log = [](const std::string& line) { proxy::logEvent(line); };
  return settings;
}

// --renew-once: what is due, issued or renewed here, each renewal or failure logged as the
// running proxy logs; exit 1 when any failed.
core::Status renewOnce(const ProxyOptions& o, const core::Home& home) {
  auto settings = renewerSettings(
      home, o.config_file.empty() ? homeLoader(home) : fileLoader(o.config_file), o);
  const std::atomic<bool> stopping = false;
  const acme::PassOutcome outcome = acme::renewPass(settings, stopping);
  if (outcome.failed > 0) {
    return core::makeError(core::ErrorKind::kRuntime,
                           std::to_string(outcome.failed) + " certificate(s) not renewed");
  }
  return core::Ok{};
}

core::Status runProxy(const ProxyOptions& o, Context& ctx) {
  if (o.threads < 0) {
    return core::makeError(core::ErrorKind::kUsage, "--threads must be 0 or more");
  }
  core::Home home = ctx.home();
  if (o.renew_once) {
    return renewOnce(o, home);
  }
  if (auto ensured = home.ensure(); !ensured) {
    return std::move(ensured).error();
  }
  auto token = home.ensureToken();
  if (!token) {
    return std::move(token).error();
  }
  proxy::Options options;
  options.admin_address =
      !o.admin_address.empty() ? o.admin_address : readAdminAddress(home).value_or("127.0.0.1:0");
  if (!isLoopbackAddress(options.admin_address)) {
    return core::makeError(core::ErrorKind::kUsage,
                           "the admin API serves on loopback only, not " + options.admin_address);
  }
  options.admin_token = *token;
  options.threads = o.threads;
  options.access_log = home.file("access.log").string();
  options.certs_dir = home.file("certs").string();
  options.acme_dir = home.file("acme").string();
  options.usage_db = home.file("usage.db").string();
  if (const char* offset = std::getenv("GW_CLOCK_OFFSET"); offset != nullptr && *offset != '\0') {
    // Seconds added to the metering and quota calendar, for tests of a period's end.
    const std::string_view text(offset);
    const auto [end, ec] =
        std::from_chars(text.data(), text.data() + text.size(), options.clock_offset_s);
    if (ec != std::errc() || end != text.data() + text.size()) {
      return core::makeError(
          core::ErrorKind::kUsage,
          "GW_CLOCK_OFFSET: expected a number of seconds (got \"" + std::string(text) + "\")");
    }
  }
  options.load = o.config_file.empty() ? homeLoader(home) : fileLoader(o.config_file);
  options.document = o.config_file.empty() ? home.configPath().string() : o.config_file;
  // The renewer's SIGHUP must only ever reach proxy::run's sigwait: blocked here, before
  // its thread starts, and kept blocked until it has stopped.
  sigset_t signals;
  sigemptyset(&signals);
  for (const int s : {SIGINT, SIGTERM, SIGHUP}) {
    sigaddset(&signals, s);
  }
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  acme::Renewer renewer(renewerSettings(home, options.load, o));
  options.on_reloaded = [&renewer] { renewer.wake(); };  // a new certificate may be named
  renewer.start();
  ctx.setExitCode(proxy::run(options));
  renewer.stop();
  return core::Ok{};
}

}  // namespace

void setupProxy(CLI::App& app, Context& ctx) {
  auto options = std::make_shared<ProxyOptions>();
  CLI::App* p = addCommand(app, "proxy",
                           "Run the data plane in the foreground (gw install runs it in the "
                           "background)",
                           "  gw proxy\n"
                           "  gw proxy --config gw.yaml --threads 4 --admin-address "
                           "127.0.0.1:9901");
  p->add_option("--config", options->config_file,
                "Serve this document (checked again on every reload) instead of the home's")
      ->type_name("FILE");
  p->add_option("--threads", options->threads,
                "Worker threads (default: the document's, else "
                "one per core)")
      ->type_name("N");
  p->add_option("--admin-address", options->admin_address,
                "Loopback HOST:PORT of the admin API (default: the home's admin.address)")
      ->type_name("HOST:PORT");
  p->add_flag("--renew-once", options->renew_once,
              "Issue and renew the certificates that are due, then exit (the running proxy "
              "starts this itself when one is due)");
  onRun(p, ctx, options, runProxy);
}

}  // namespace gw::cli
