#include "cli/context.hpp"

#include <unistd.h>

#include <cstdlib>
#include <iostream>

namespace gw::cli {

core::Home Context::home() const {
  std::error_code ec;
  std::filesystem::path root = core::defaultHome(options_.home);
  std::filesystem::path absolute = std::filesystem::absolute(root, ec).lexically_normal();
  if (ec) {
    return core::Home(root);
  }
  // One spelling per home ("/x/" is "/x"): the daemon is recognised by its --home argument.
  if (!absolute.has_filename() && absolute != absolute.root_path()) {
    absolute = absolute.parent_path();
  }
  return core::Home(absolute);
}

Format Context::format() const {
  if (options_.output == "json") {
    return Format::kJson;
  }
  if (options_.output == "yaml") {
    return Format::kYaml;
  }
  if (options_.output == "csv") {
    return Format::kCsv;
  }
  return Format::kTable;
}

bool Context::colorAllowed() const {
  const char* no_color = std::getenv("NO_COLOR");
  return !options_.no_color && (no_color == nullptr || *no_color == '\0');
}

bool Context::colorStdout() const { return colorAllowed() && isatty(STDOUT_FILENO) == 1; }

bool Context::colorStderr() const { return colorAllowed() && isatty(STDERR_FILENO) == 1; }

void Context::confirm(const std::string& line) const {
  if (!options_.quiet) {
    std::cout << line << '\n';
  }
}

void Context::note(const std::string& line) const {
  if (!options_.quiet) {
    std::cerr << "note: " << line << '\n';
  }
}

std::filesystem::path selfExecutable() {
  std::error_code ec;
  std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::filesystem::path("/proc/self/exe") : self;
}

}  // namespace gw::cli
