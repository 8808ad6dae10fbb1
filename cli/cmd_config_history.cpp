// gw config history | rollback: the kept revisions of the document, and putting one back as a
// new revision through the change pipeline.

#include <chrono>
#include <iostream>

#include "cli/cert_state.hpp"
#include "cli/command.hpp"
#include "cli/mutate.hpp"
#include "cli/output.hpp"
#include "core/change/revision_guard.hpp"
#include "core/config/document.hpp"
#include "core/config/validate.hpp"

namespace gw::cli {
namespace {

struct HistoryOptions {
  std::uint64_t revision = 0;
  bool dry_run = false;
};

long long unixSeconds(std::filesystem::file_time_type t) {
  const auto system = std::chrono::file_clock::to_sys(t);
  return std::chrono::duration_cast<std::chrono::seconds>(system.time_since_epoch()).count();
}

struct Entry {
  std::uint64_t number = 0;
  std::string state;  // "current", "refused" or ""
  long long saved = 0;
  std::optional<core::Config> config;  // nullopt when the file no longer decodes
};

// Kept revisions and the current document, oldest first, each number once.
std::vector<Entry> historyOf(const core::Home& home, const core::Config& current) {
  std::vector<Entry> entries;
  for (const core::KeptRevision& kept : home.revisions()) {
    if (!kept.refused && kept.number == current.revision) {
      continue;  // put back by a restore: listed once, as current
    }
    Entry entry{kept.number, kept.refused ? "refused" : "", unixSeconds(kept.saved), {}};
    if (auto text = core::readFile(kept.path)) {
      if (auto config = core::loadDocument(*text, kept.path.string())) {
        entry.config = std::move(*config);
      }
    }
    entries.push_back(std::move(entry));
  }
  std::error_code ec;
  const auto saved = std::filesystem::last_write_time(home.configPath(), ec);
  if (!ec) {
    entries.push_back({current.revision, "current", unixSeconds(saved), current});
  }
  std::stable_sort(entries.begin(), entries.end(),
                   [](const Entry& a, const Entry& b) { return a.number < b.number; });
  return entries;
}

// What each revision changed from the served one before it, as `+route "a"`, `~service "b"`.
std::vector<std::string> changesFrom(const Entry* before, const Entry& entry) {
  static const core::Config kEmpty;
  const core::Config* from = before != nullptr && before->config ? &*before->config : nullptr;
  if (before == nullptr && entry.number == 1) {
    from = &kEmpty;  // the first revision: everything in it was added
  }
  if (from == nullptr || !entry.config) {
    return {};
  }
  const core::ObjectChanges changes = core::objectChanges(*from, *entry.config);
  std::vector<std::string> out;
  for (const auto& s : changes.added) {
    out.push_back("+" + s);
  }
  for (const auto& s : changes.changed) {
    out.push_back("~" + s);
  }
  for (const auto& s : changes.removed) {
    out.push_back("-" + s);
  }
  if (changes.proxy_settings) {
    out.emplace_back("~proxy");
  }
  return out;
}

core::Status runHistory(const HistoryOptions& /*options*/, Context& ctx) {
  const core::Home home = ctx.home();
  auto current = readConfig(ctx);
  if (!current) {
    return std::move(current).error();
  }
  const std::vector<Entry> entries = historyOf(home, *current);
  Json list = Json::array();
  Table table{{"REVISION", "SAVED", "STATE", "CHANGES"}, {}};
  const Entry* served = nullptr;
  for (const Entry& entry : entries) {
    const auto changes = changesFrom(served, entry);
    list.push_back({{"revision", entry.number},
                    {"savedAt", isoTime(entry.saved)},
                    {"state", entry.state.empty() ? Json() : Json(entry.state)},
                    {"changes", changes}});
    table.rows.push_back(
        {std::to_string(entry.number), isoTime(entry.saved), entry.state, join(changes, " ")});
    if (entry.state != "refused") {
      served = &entry;
    }
  }
  if (ctx.format() != Format::kTable) {
    printStructured(ctx, list);
  } else if (entries.empty()) {
    ctx.note("no configuration saved yet in " + home.root().string());
  } else {
    printTable(std::cout, table, ctx.colorStdout());
  }
  return core::Ok{};
}

core::Status runRollback(const HistoryOptions& o, Context& ctx) {
  const core::Home home = ctx.home();
  const std::string name = "revision " + std::to_string(o.revision);
  for (const core::KeptRevision& kept : home.revisions()) {
    if (kept.refused && kept.number == o.revision) {
      return core::makeError(core::ErrorKind::kValidation,
                             name + " was refused by the proxy; it was never served");
    }
  }
  auto old = home.loadRevision(o.revision);
  if (!old) {
    return std::move(old).error();
  }
  if (o.dry_run) {
    auto current = readConfig(ctx);
    if (!current) {
      return std::move(current).error();
    }
    const std::string text = core::diff(
        *current, *old, "config.yaml (revision " + std::to_string(current->revision) + ")", name);
    std::cout << (text.empty() ? "no changes\n" : text);
    ctx.note("dry run: nothing was saved");
    return core::Ok{};
  }
  return asStatus(
      applyChange(ctx, {"configuration", ""}, "rolled back to " + name, [&](core::Config& c) {
        c = *old;
        return core::Status(core::Ok{});
      }));
}

}  // namespace

void setupConfigHistory(CLI::App& config, Context& ctx) {
  auto history = std::make_shared<HistoryOptions>();
  CLI::App* h =
      addCommand(config, "history", "List the kept revisions of the document and what each changed",
                 "  gw config history\n"
                 "  gw config history -o json");
  onRun(h, ctx, history, runHistory);

  auto rollback = std::make_shared<HistoryOptions>();
  CLI::App* r =
      addCommand(config, "rollback", "Serve a kept revision again, saved as a new revision",
                 "  gw config rollback 7 --dry-run\n"
                 "  gw config rollback 7");
  r->add_option("REVISION", rollback->revision, "A revision that gw config history lists")
      ->required();
  r->add_flag("--dry-run", rollback->dry_run, "Print the diff and save nothing");
  onRun(r, ctx, rollback, runRollback);
}

}  // namespace gw::cli
