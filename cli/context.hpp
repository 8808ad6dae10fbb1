#pragma once
// What every command shares: the global flags, the home they point at, how to print, and the
// one action the parsed command line chose (run by main inside its single error boundary).

#include <filesystem>
#include <functional>
#include <string>

#include "core/result.hpp"
#include "core/store/home.hpp"

namespace gw::cli {

enum class Format { kTable, kJson, kYaml, kCsv };

struct GlobalOptions {
  std::string home;  // --home (GW_HOME); "" = the default home
  std::string output = "table";
  bool quiet = false;
  bool no_color = false;
};

using Action = std::function<core::Status()>;

class Context {
 public:
  GlobalOptions& options() { return options_; }

  // The home as an absolute path, so a daemon started from it does not depend on the cwd.
  core::Home home() const;
  Format format() const;
  bool quiet() const { return options_.quiet; }
  // Colours only on a terminal, and never with --no-color or NO_COLOR.
  bool colorStdout() const;
  bool colorStderr() const;

  // A one-line confirmation on stdout; nothing with -q.
  void confirm(const std::string& line) const;
  // "note: ..." on stderr; nothing with -q.
  void note(const std::string& line) const;

  void setAction(Action action) { action_ = std::move(action); }
  const Action& action() const { return action_; }

  // A command that computes its own process exit code (gw proxy) sets it here.
  void setExitCode(int code) { exit_code_ = code; }
  int exitCode() const { return exit_code_; }

 private:
  bool colorAllowed() const;

  GlobalOptions options_;
  Action action_;
  int exit_code_ = 0;
};

// The path of the running gw binary, for starting the background proxy.
std::filesystem::path selfExecutable();

}  // namespace gw::cli
