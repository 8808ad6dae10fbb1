// gw completion bash|zsh|fish, and two hidden commands: `gw __complete KIND` (names for the
// completion scripts) and `gw __commands` (every command and flag, for the tests that keep
// the man page and the scripts in step with the code).

#include <iostream>

#include "cli/command.hpp"
#include "cli/completion_scripts.hpp"
#include "cli/mutate.hpp"

namespace gw::cli {
namespace {

struct CompletionOptions {
  std::string shell;
};

struct NamesOptions {
  std::string kind;
};

CommandSpec specOf(const CLI::App& app, const std::string& parent_path) {
  CommandSpec spec;
  spec.name = app.get_name();
  spec.path = parent_path.empty() ? "gw" : parent_path + " " + spec.name;
  spec.description = app.get_description();
  for (const CLI::Option* option : app.get_options()) {
    if (option->get_positional()) {
      spec.argument_values = valuesForTypeName(option->get_type_name());
      continue;
    }
    FlagSpec flag;
    for (const auto& name : option->get_snames()) {
      flag.names.push_back("-" + name);
    }
    for (const auto& name : option->get_lnames()) {
      flag.names.push_back("--" + name);
    }
    flag.description = option->get_description();
    flag.takes_value = option->get_expected_max() != 0;
    if (flag.takes_value) {
      flag.values = valuesForTypeName(option->get_type_name());
    }
    spec.flags.push_back(flag);
  }
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
    if (!sub->get_group().empty()) {  // hidden commands have no group
      spec.subcommands.push_back(specOf(*sub, spec.path));
    }
  }
  return spec;
}

core::Status runCompletion(const CompletionOptions& o, const CLI::App& root) {
  CommandSpec spec = specOf(root, "");
  if (o.shell == "bash") {
    std::cout << bashScript(spec);
  } else if (o.shell == "zsh") {
    std::cout << zshScript(spec);
  } else {
    std::cout << fishScript(spec);
  }
  return core::Ok{};
}

core::Status runNames(const NamesOptions& o, Context& ctx) {
  auto config = readConfig(ctx);
  if (!config) {
    return core::Ok{};  // completion must stay quiet
  }
  if (o.kind == "gateways") {
    for (const auto& gateway : config->gateways) {
      std::cout << gateway.name << '\n';
    }
  } else if (o.kind == "services") {
    for (const auto& service : config->services) {
      std::cout << service.name << '\n';
    }
  } else if (o.kind == "routes") {
    for (const auto& route : config->routes) {
      std::cout << route.name << '\n';
    }
  }
  return core::Ok{};
}

}  // namespace

void setupCompletion(CLI::App& app, Context& ctx) {
  auto options = std::make_shared<CompletionOptions>();
  CLI::App* c = addCommand(app, "completion", "Print the shell completion script",
                           "  gw completion bash > ~/.local/share/bash-completion/completions/gw\n"
                           "  source <(gw completion bash)\n"
                           "  gw completion zsh > \"${fpath[1]}/_gw\"\n"
                           "  gw completion fish > ~/.config/fish/completions/gw.fish");
  c->add_option("shell", options->shell, "The shell")
      ->required()
      ->check(CLI::IsMember({"bash", "zsh", "fish"}));
  onRun(c, ctx, options,
        [&app](const CompletionOptions& o, Context&) { return runCompletion(o, app); });

  auto names = std::make_shared<NamesOptions>();
  CLI::App* n =
      addCommand(app, "__complete", "Names for shell completion", "  gw __complete routes");
  n->group("");
  n->add_option("kind", names->kind, "gateways, services or routes")->required();
  onRun(n, ctx, names, runNames);

  auto dump = std::make_shared<NamesOptions>();
  CLI::App* d = addCommand(app, "__commands", "Every command and its flags", "  gw __commands");
  d->group("");
  onRun(d, ctx, dump, [&app](const NamesOptions&, Context&) {
    std::cout << commandDump(specOf(app, ""));
    return core::Status(core::Ok{});
  });
}

}  // namespace gw::cli
