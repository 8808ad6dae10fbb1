#include "cli/parse_errors.hpp"

#include <cctype>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cli/output.hpp"
#include "core/config/suggest.hpp"

namespace gw::cli {
namespace {

// The named subcommands of `app` that --help lists.
std::vector<const CLI::App*> listedCommands(const CLI::App& app) {
  return app.get_subcommands([](const CLI::App* s) { return !s->get_group().empty(); });
}

const CLI::App* childNamed(const CLI::App& app, const std::string& name) {
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
    if (sub->check_name(name)) {
      return sub;
    }
  }
  return nullptr;
}

// The flags `app` and the commands above it take (gw's parse falls through to them).
std::vector<std::string> flagsOf(const CLI::App* app) {
  std::vector<std::string> flags;
  for (; app != nullptr; app = app->get_parent()) {
    for (const CLI::Option* option : app->get_options()) {
      for (const std::string& name : option->get_lnames()) {
        flags.push_back("--" + name);
      }
    }
  }
  return flags;
}

bool knownFlag(const CLI::App* app, const std::string& flag) {
  for (; app != nullptr; app = app->get_parent()) {
    if (app->get_option_no_throw(flag) != nullptr) {
      return true;
    }
  }
  return false;
}

std::string didYouMean(const std::string& word, const std::vector<std::string>& names) {
  const std::vector<std::string_view> candidates(names.begin(), names.end());
  const auto suggestion = core::closest(word, candidates);
  return suggestion ? " (did you mean " + *suggestion + "?)" : "";
}

struct Unknown {
  std::string message;
  std::string command;  // the command whose --help lists what is known
};

// The first flag of argv that no command on the way takes, following the command words as
// CLI11 does. Values of flags are skipped by not being flags; a value that happens to be a
// command's name only moves down when no positional word came before it.
std::optional<Unknown> unknownFlag(const CLI::App& root, int argc, const char* const* argv) {
  const CLI::App* current = &root;
  std::string command = "gw";
  for (int i = 1; i < argc; ++i) {
    const std::string word = argv[i];
    if (word == "--") {
      break;
    }
    // "-5" is a negative value, not a flag.
    const bool negative = word.size() > 1 && std::isdigit(static_cast<unsigned char>(word[1])) != 0;
    if (word.size() > 1 && word.front() == '-' && !negative) {
      std::string flag = word.substr(0, word.find('='));
      if (flag.rfind("--", 0) != 0 && flag.size() > 2) {
        flag.resize(2);  // -ojson, -qv: the first letter names the flag
      }
      if (!knownFlag(current, flag)) {
        return Unknown{"unknown flag " + flag + didYouMean(flag, flagsOf(current)), command};
      }
      continue;
    }
    if (const CLI::App* child = childNamed(*current, word)) {
      current = child;
      command += " " + child->get_name();
    }
  }
  return std::nullopt;
}

// The deepest command CLI11 got to, with its spelling for "see 'gw route add --help'".
std::pair<const CLI::App*, std::string> deepestCommand(const CLI::App& app) {
  std::string command = "gw";
  const CLI::App* deepest = &app;
  for (auto chosen = app.get_subcommands(); !chosen.empty();
       chosen = chosen.front()->get_subcommands()) {
    deepest = chosen.front();
    command += " " + deepest->get_name();
  }
  return {deepest, command};
}

}  // namespace

int reportParseError(const CLI::App& app, const CLI::ParseError& e, int argc,
                     const char* const* argv, const Context& ctx) {
  auto [deepest, command] = deepestCommand(app);
  std::string message = e.what();
  if (auto unknown = unknownFlag(app, argc, argv)) {
    message = unknown->message;
    command = unknown->command;
  } else if (e.get_name() == "RequiredError" && message.find("subcommand") != std::string::npos) {
    std::vector<std::string> names;
    for (const CLI::App* sub : listedCommands(*deepest)) {
      names.push_back(sub->get_name());
    }
    const std::vector<std::string> extra = app.remaining(true);
    message = extra.empty()
                  ? "missing command"
                  : "unknown command \"" + extra.front() + "\"" + didYouMean(extra.front(), names);
    message += " (one of: " + join(names, ", ") + ")";
  }
  printError(std::cerr,
             core::makeError(core::ErrorKind::kUsage, message, {"see '" + command + " --help'"}),
             ctx.colorStderr());
  return 2;
}

}  // namespace gw::cli
