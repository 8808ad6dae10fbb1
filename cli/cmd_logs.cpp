// gw logs [--access] [-f] [--since 10m] [--tail N]: the proxy's event log or its access log,
// from the home, as `kubectl logs` and `journalctl` show theirs.

#include <chrono>
#include <ctime>
#include <deque>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <thread>

#include "cli/command.hpp"
#include "cli/flags.hpp"

namespace gw::cli {
namespace {

struct LogsOptions {
  bool access = false;
  bool follow = false;
  std::string since;
  std::size_t tail = 0;  // 0: every line
};

// ISO 8601 UTC to the millisecond, as both logs write it: such strings sort as times do.
std::string isoMillis(std::chrono::system_clock::time_point t) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(t);
  std::tm parts{};
  gmtime_r(&seconds, &parts);
  char text[40];
  const std::size_t length = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &parts);
  const auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count() % 1000;
  std::snprintf(text + length, sizeof text - length, ".%03dZ", static_cast<int>(millis));
  return text;
}

// The time a line starts with (proxy.log) or its "time" field (access.log); "" if none.
std::string_view timeOf(std::string_view line) {
  constexpr std::size_t kLength = 24;  // 2026-11-30T13:14:05.123Z
  constexpr std::string_view kField = R"({"time":")";
  if (line.starts_with(kField)) {
    line.remove_prefix(kField.size());
  }
  if (line.size() >= kLength && line[4] == '-' && line[10] == 'T' && line[kLength - 1] == 'Z') {
    return line.substr(0, kLength);
  }
  return {};
}

// Prints what is left of `in` from its position; lines without a time (a refused reload's
// details) go with the line before them.
void printLines(std::istream& in, const std::string& cutoff, bool& keeping,
                std::deque<std::string>* last, std::size_t tail) {
  for (std::string line; std::getline(in, line);) {
    const std::string_view time = timeOf(line);
    if (!time.empty()) {
      keeping = cutoff.empty() || time >= cutoff;
    }
    if (!keeping) {
      continue;
    }
    if (last != nullptr) {
      last->push_back(std::move(line));
      if (tail > 0 && last->size() > tail) {
        last->pop_front();
      }
    } else {
      std::cout << line << '\n';
    }
  }
  std::cout.flush();
}

core::Status runLogs(const LogsOptions& o, Context& ctx) {
  std::string cutoff;
  if (!o.since.empty()) {
    auto since = parseDurationFlag("--since", o.since);
    if (!since) {
      return std::move(since).error();
    }
    cutoff = isoMillis(std::chrono::system_clock::now() - *since);
  }
  const core::Home home = ctx.home();
  const auto path = home.file(o.access ? "access.log" : "proxy.log");
  std::ifstream in(path);
  if (!in && !o.follow) {
    ctx.note("no " + path.string() + " yet: gw install starts the proxy that writes it");
    return core::Ok{};
  }
  bool keeping = cutoff.empty();
  std::deque<std::string> last;
  printLines(in, cutoff, keeping, &last, o.tail);
  for (const std::string& line : last) {
    std::cout << line << '\n';
  }
  std::cout.flush();
  if (!o.follow) {
    return core::Ok{};
  }
  // Follow: read what is appended, from the start again when the file is replaced or cut.
  std::streamoff offset = in ? static_cast<std::streamoff>(std::filesystem::file_size(path)) : 0;
  for (;;) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    std::error_code ec;
    const auto size = static_cast<std::streamoff>(std::filesystem::file_size(path, ec));
    if (ec || size == offset) {
      continue;
    }
    if (size < offset) {
      offset = 0;
    }
    std::ifstream more(path);
    more.seekg(offset);
    printLines(more, cutoff, keeping, nullptr, 0);
    offset = size;
  }
}

}  // namespace

void setupLogs(CLI::App& app, Context& ctx) {
  auto options = std::make_shared<LogsOptions>();
  CLI::App* l = addCommand(app, "logs", "Print the proxy's event log, or its access log",
                           "  gw logs --since 10m\n"
                           "  gw logs --access -f");
  l->add_flag("--access", options->access,
              "The access log (one JSON line per request) instead of the event log");
  l->add_flag("-f,--follow", options->follow, "Keep printing what is appended, until Ctrl-C");
  l->add_option("--since", options->since, "Only lines of the last DURATION (10m, 2h, 1d)")
      ->type_name("DURATION");
  l->add_option("--tail", options->tail, "Only the last N lines (then new ones with -f)")
      ->type_name("N");
  onRun(l, ctx, options, runLogs);
}

}  // namespace gw::cli
