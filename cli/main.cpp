// gw: one binary, one command tree. main declares the global flags, lets each command group
// declare itself, parses, runs the chosen command, and maps every failure to an exit code
// in one place: 0 ok, 1 runtime, 2 usage or validation, 3 not found.

#include <CLI/CLI.hpp>
#include <exception>
#include <iostream>

#include "cli/command.hpp"
#include "cli/output.hpp"
#include "cli/parse_errors.hpp"

namespace {

constexpr const char* kOverview =
    "gw: an API gateway driven from one command.\n"
    "Its subcommands manage listeners (gateway), upstreams (service), routing rules (route) and\n"
    "the whole declarative document (config); install starts the proxy in the background and\n"
    "every change hot-reloads it.";

constexpr const char* kRootExample =
    "Example:\n"
    "  gw install\n"
    "  gw service add frontend --endpoint 127.0.0.1:9001\n"
    "  gw gateway create shop-ingress --port http:8080\n"
    "  gw route add shop --gateway shop-ingress --host shop.test --to frontend\n"
    "  curl -H 'Host: shop.test' http://127.0.0.1:8080/\n"
    "\n"
    "Global flags (--home, -o, -q, --no-color) work after any command too.\n"
    "Exit status: 0 ok, 1 runtime error, 2 usage or validation error, 3 not found.";

void declareGlobals(CLI::App& app, gw::cli::Context& ctx) {
  auto& o = ctx.options();
  app.add_option("--home", o.home,
                 "State folder (default $XDG_STATE_HOME/gw, else ~/.local/state/gw)")
      ->envname("GW_HOME")
      ->type_name("DIR");
  app.add_option("-o,--output", o.output, "Output format (csv: lists only)")
      ->check(CLI::IsMember({"table", "json", "yaml", "csv"}));
  app.add_flag("-q,--quiet", o.quiet, "Print nothing but errors and requested data");
  app.add_flag("--no-color", o.no_color, "No colours (also when NO_COLOR is set)");
}

}  // namespace

// What can escape the one try below (declaring the CLI, printing an error) is a programming
// error or std::bad_alloc, where terminate is the right end.
int main(int argc, char** argv) {  // NOLINT(bugprone-exception-escape)
  gw::cli::Context ctx;
  CLI::App app{kOverview, "gw"};
  app.footer(kRootExample);
  app.require_subcommand(1);
  app.fallthrough();
  app.set_version_flag("--version", "gw " GW_VERSION, "Print the version");
  declareGlobals(app, ctx);

  gw::cli::setupInstall(app, ctx);
  gw::cli::setupGateway(app, ctx);
  gw::cli::setupService(app, ctx);
  gw::cli::setupRoute(app, ctx);
  gw::cli::setupConsumer(app, ctx);
  gw::cli::setupJwtProvider(app, ctx);
  gw::cli::setupPlan(app, ctx);
  gw::cli::setupUsage(app, ctx);
  gw::cli::setupCert(app, ctx);
  gw::cli::setupConfig(app, ctx);
  gw::cli::setupProxy(app, ctx);
  gw::cli::setupLogs(app, ctx);
  gw::cli::setupCache(app, ctx);
  gw::cli::setupDashboard(app, ctx);
  gw::cli::setupCompletion(app, ctx);
  gw::cli::setupVersion(app, ctx);

  try {
    app.parse(argc, argv);
    if (!ctx.action()) {
      return 0;
    }
    gw::core::Status status = ctx.action()();
    if (!status) {
      gw::cli::printError(std::cerr, status.error(), ctx.colorStderr());
      return gw::core::exitCode(status.error().kind);
    }
    return ctx.exitCode();
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == static_cast<int>(CLI::ExitCodes::Success)) {
      return app.exit(e);  // --help, --version
    }
    return gw::cli::reportParseError(app, e, argc, argv, ctx);
  } catch (const std::exception& e) {
    gw::cli::printError(std::cerr, gw::core::makeError(gw::core::ErrorKind::kRuntime, e.what()),
                        ctx.colorStderr());
    return 1;
  }
}
