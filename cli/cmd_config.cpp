// gw config show|validate|diff|apply|export: the whole declarative document at once.

#include <iostream>
#include <iterator>

#include "cli/command.hpp"
#include "cli/mutate.hpp"
#include "cli/output.hpp"
#include "core/change/revision_guard.hpp"
#include "core/config/document.hpp"
#include "core/config/validate.hpp"

namespace gw::cli {
namespace {

struct ConfigOptions {
  std::string file;  // -f; "-" = stdin
  bool dry_run = false;
  bool force = false;      // apply: even a document older than the saved one
  bool exit_code = false;  // diff: exit 1 when there are changes
};

// The text of -f FILE, named as the user named it.
core::Result<std::string> readInput(const std::string& file) {
  if (file == "-") {
    return std::string(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  }
  auto text = core::readFile(file);
  if (!text) {
    // The file the user named is an argument of the command: a missing one is a usage
    // error (2), not a missing object (3).
    return core::makeError(core::ErrorKind::kUsage, text.error().message);
  }
  return text;
}

// Decoded and validated, with errors pointing at file:line:col.
core::Result<core::Config> loadInput(const std::string& file) {
  auto text = readInput(file);
  if (!text) {
    return std::move(text).error();
  }
  return core::loadDocument(*text, file == "-" ? "-" : file);
}

std::string currentName(const core::Config& current) {
  return "config.yaml (revision " + std::to_string(current.revision) + ")";
}

core::Status runShow(const ConfigOptions& /*options*/, Context& ctx) {
  core::Home home = ctx.home();
  auto text = core::readFile(home.configPath());
  if (!text) {
    if (std::filesystem::exists(home.configPath())) {
      return std::move(text).error();
    }
    ctx.note("no configuration saved yet in " + home.root().string());
    text = core::encodeYaml(core::Config{});
  }
  if (ctx.format() == Format::kJson) {
    // The saved text as JSON: what it says, in the export's canonical form.
    auto config = core::loadDocument(*text, home.configPath().string());
    if (!config) {
      return std::move(config).error();
    }
    printJson(std::cout, documentJson(*config));
    return core::Ok{};
  }
  std::cout << *text;
  return core::Ok{};
}

core::Status runExport(const ConfigOptions& /*options*/, Context& ctx) {
  auto config = readConfig(ctx);
  if (!config) {
    return std::move(config).error();
  }
  if (ctx.format() == Format::kJson) {
    printJson(std::cout, documentJson(*config));
  } else {
    std::cout << core::encodeYaml(*config);
  }
  return core::Ok{};
}

// -o json|yaml of validate: {file, valid, errors}; the errors also go to stderr as usual.
void printVerdict(const Context& ctx, const std::string& file, const core::Error* error) {
  if (ctx.format() == Format::kTable) {
    if (error == nullptr) {
      std::cout << file << ": valid\n";
    }
    return;
  }
  Json errors = Json::array();
  if (error != nullptr) {
    for (const std::string& line :
         error->details.empty() ? std::vector<std::string>{error->message} : error->details) {
      errors.push_back(line);
    }
  }
  printStructured(ctx, Json{{"file", file}, {"valid", error == nullptr}, {"errors", errors}});
}

core::Status runValidate(const ConfigOptions& o, Context& ctx) {
  std::string file = o.file;
  if (file.empty()) {
    core::Home home = ctx.home();
    file = home.configPath().string();
    if (!std::filesystem::exists(file)) {
      ctx.note("no configuration saved yet in " + home.root().string());
      printVerdict(ctx, file, nullptr);
      return core::Ok{};
    }
  }
  auto config = loadInput(file);
  if (!config) {
    if (config.error().kind == core::ErrorKind::kValidation) {
      printVerdict(ctx, file, &config.error());
    }
    return std::move(config).error();
  }
  printVerdict(ctx, file, nullptr);
  return core::Ok{};
}

// core::objectChanges as data: {kind, name, action} per object (its `kind "name"` split).
Json changeList(const core::Config& current, const core::Config& next) {
  const core::ObjectChanges changes = core::objectChanges(current, next);
  Json list = Json::array();
  auto add = [&](const std::vector<std::string>& subjects, const char* action) {
    for (const std::string& subject : subjects) {
      const auto space = subject.find(' ');
      std::string name = subject.substr(space + 1);
      if (name.size() >= 2 && name.front() == '"' && name.back() == '"') {
        name = name.substr(1, name.size() - 2);
      }
      list.push_back({{"kind", subject.substr(0, space)}, {"name", name}, {"action", action}});
    }
  };
  add(changes.removed, "removed");
  add(changes.changed, "changed");
  add(changes.added, "added");
  if (changes.proxy_settings) {
    list.push_back({{"kind", "proxy"}, {"name", ""}, {"action", "changed"}});
  }
  return list;
}

core::Status runDiff(const ConfigOptions& o, Context& ctx) {
  auto next = loadInput(o.file);
  if (!next) {
    return std::move(next).error();
  }
  auto current = readConfig(ctx);
  if (!current) {
    return std::move(current).error();
  }
  std::string text = core::diff(*current, *next, currentName(*current), o.file);
  if (ctx.format() != Format::kTable) {
    printStructured(ctx, Json{{"changed", !text.empty()},
                              {"revision", current->revision},
                              {"changes", changeList(*current, *next)},
                              {"diff", text}});
  } else if (text.empty()) {
    ctx.confirm("no changes");
  } else {
    std::cout << text;
  }
  if (!text.empty() && o.exit_code) {
    ctx.setExitCode(1);  // as git diff --exit-code and kubectl diff
  }
  return core::Ok{};
}

// The revision guard of `config apply`: a document exported before the saved revision would
// silently drop what was saved since, so it needs --force.
core::Status guardRevision(const ConfigOptions& o, const core::Config& saved,
                           const core::Config& next) {
  if (o.force) {
    return core::Ok{};
  }
  const std::string name = o.file == "-" ? "the document on stdin" : "-f " + o.file;
  auto fresh = core::checkRevision(saved, next, name);
  if (!fresh) {
    core::Error error = std::move(fresh).error().context("config apply");
    error.message += " (use --force to apply anyway)";
    return error;
  }
  return fresh;
}

core::Status runApply(const ConfigOptions& o, Context& ctx) {
  auto next = loadInput(o.file);
  if (!next) {
    return std::move(next).error();
  }
  if (o.dry_run) {
    auto current = readConfig(ctx);
    if (!current) {
      return std::move(current).error();
    }
    if (auto fresh = guardRevision(o, *current, *next); !fresh) {
      return fresh;
    }
    std::string text = core::diff(*current, *next, currentName(*current), o.file);
    std::cout << (text.empty() ? "no changes\n" : text);
    ctx.note("dry run: nothing was saved");
    return core::Ok{};
  }
  // The guard runs inside the pipeline, on the document loaded under the home's lock.
  auto outcome = applyChange(ctx, {"configuration", ""}, "applied", [&](core::Config& c) {
    if (auto fresh = guardRevision(o, c, *next); !fresh) {
      return fresh;
    }
    c = *next;
    return core::Status(core::Ok{});
  });
  return outcome ? core::Status(core::Ok{}) : core::Status(std::move(outcome).error());
}

}  // namespace

void setupConfig(CLI::App& app, Context& ctx) {
  CLI::App* group = addGroup(app, "config", "Show, check and apply the whole declarative document",
                             "  gw config export > gw.yaml\n"
                             "  gw config apply -f gw.yaml --dry-run");

  auto show = std::make_shared<ConfigOptions>();
  CLI::App* s = addCommand(*group, "show", "Print the document as saved", "  gw config show");
  onRun(s, ctx, show, runShow);

  auto validate = std::make_shared<ConfigOptions>();
  CLI::App* v =
      addCommand(*group, "validate", "Check a document (default: the home's) and list every error",
                 "  gw config validate -f new.yaml\n"
                 "  cat new.yaml | gw config validate -f -");
  v->add_option("-f,--file", validate->file, "Document to check (- reads stdin)")
      ->type_name("FILE");
  onRun(v, ctx, validate, runValidate);

  auto diff = std::make_shared<ConfigOptions>();
  CLI::App* d = addCommand(*group, "diff", "Show what applying a document would change",
                           "  gw config diff -f new.yaml");
  d->add_option("-f,--file", diff->file, "The new document (- reads stdin)")
      ->required()
      ->type_name("FILE");
  d->add_flag("--exit-code", diff->exit_code,
              "Exit 1 when there are changes, 0 when there are none (as git diff)");
  onRun(d, ctx, diff, runDiff);

  auto apply = std::make_shared<ConfigOptions>();
  CLI::App* a =
      addCommand(*group, "apply", "Replace the configuration with a document and reload the proxy",
                 "  gw config apply -f new.yaml --dry-run\n"
                 "  gw config apply -f new.yaml");
  a->add_option("-f,--file", apply->file, "The new document (- reads stdin)")
      ->required()
      ->type_name("FILE");
  a->add_flag("--dry-run", apply->dry_run, "Print the diff and save nothing");
  a->add_flag("--force", apply->force,
              "Apply a document older than the saved revision (what was saved since is lost)");
  onRun(a, ctx, apply, runApply);

  auto exported = std::make_shared<ConfigOptions>();
  CLI::App* e = addCommand(*group, "export", "Print the configuration as canonical YAML (or JSON)",
                           "  gw config export > backup.yaml\n"
                           "  gw config export -o json");
  onRun(e, ctx, exported, runExport);

  setupConfigHistory(*group, ctx);
}

}  // namespace gw::cli
