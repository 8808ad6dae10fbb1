#pragma once
// How a command is declared: each cmd_*.cpp has an options struct, a setup function that
// declares its flags on CLI::App, and a run function that calls the library. The parsed
// command's run function becomes the Context's action; main runs it.

#include <CLI/CLI.hpp>
#include <memory>
#include <set>
#include <string>

#include "cli/context.hpp"

namespace gw::cli {

void setupInstall(CLI::App& app, Context& ctx);  // install, status, uninstall
void setupGateway(CLI::App& app, Context& ctx);
void setupService(CLI::App& app, Context& ctx);
void setupRoute(CLI::App& app, Context& ctx);
void setupConsumer(CLI::App& app, Context& ctx);
void setupConsumerCredentials(CLI::App& consumer, Context& ctx);  // key ..., basic ...
void setupJwtProvider(CLI::App& app, Context& ctx);
void setupPlan(CLI::App& app, Context& ctx);
void setupUsage(CLI::App& app, Context& ctx);  // usage, usage invoice
void setupRouteExplain(CLI::App& route, Context& ctx);
void setupCert(CLI::App& app, Context& ctx);
void setupCertIssue(CLI::App& cert, Context& ctx);  // cert issue, in its own file
void setupCertRenew(CLI::App& cert, Context& ctx);  // cert renew and revoke
void setupConfig(CLI::App& app, Context& ctx);
void setupConfigHistory(CLI::App& config, Context& ctx);  // config history and rollback
void setupProxy(CLI::App& app, Context& ctx);
void setupLogs(CLI::App& app, Context& ctx);
void setupCache(CLI::App& app, Context& ctx);       // cache stats, cache purge
void setupCompletion(CLI::App& app, Context& ctx);  // completion, and its hidden commands
void setupDashboard(CLI::App& app, Context& ctx);
void setupVersion(CLI::App& app, Context& ctx);

// A subcommand with its description and an example in the --help footer.
inline CLI::App* addCommand(CLI::App& parent, const std::string& name,
                            const std::string& description, const std::string& example) {
  CLI::App* sub = parent.add_subcommand(name, description);
  sub->footer("Example:\n" + example);
  return sub;
}

// A group (gateway, route, ...) that needs one of its subcommands.
inline CLI::App* addGroup(CLI::App& parent, const std::string& name, const std::string& description,
                          const std::string& example) {
  CLI::App* group = addCommand(parent, name, description, example);
  group->require_subcommand(1);
  return group;
}

// Runs `run(options, ctx)` when `sub` is the command the user chose.
// The long names (without dashes) of the options given on the command line, so that an
// update changes exactly what the user named.
inline std::set<std::string> givenFlags(const CLI::App& app) {
  std::set<std::string> given;
  for (const CLI::Option* option : app.get_options()) {
    if (option->count() > 0 && !option->get_lnames().empty()) {
      given.insert(option->get_lnames().front());
    }
  }
  return given;
}

// Runs `run(options, ctx)` when `sub` is the command the user chose. Options with a
// `given` member learn which flags were on the command line.
template <class Options, class Run>
void onRun(CLI::App* sub, Context& ctx, std::shared_ptr<Options> options, Run run) {
  sub->callback([sub, &ctx, options, run] {
    if constexpr (requires(Options & o) { o.given; }) {
      options->given = givenFlags(*sub);
    } else {
      static_cast<void>(sub);  // captured for the options that have `given`
    }
    ctx.setAction([&ctx, options, run] { return run(*options, ctx); });
  });
}

}  // namespace gw::cli
