// gw version

#include <iostream>

#include "cli/command.hpp"
#include "cli/output.hpp"

namespace gw::cli {
namespace {

struct VersionOptions {};

core::Status runVersion(const VersionOptions& /*options*/, Context& ctx) {
  if (ctx.format() == Format::kTable) {
    std::cout << "gw " << GW_VERSION << '\n';
  } else {
    printStructured(ctx, {{"version", GW_VERSION}});
  }
  return core::Ok{};
}

}  // namespace

void setupVersion(CLI::App& app, Context& ctx) {
  auto options = std::make_shared<VersionOptions>();
  CLI::App* v = addCommand(app, "version", "Print the gw version", "  gw version -o json");
  onRun(v, ctx, options, runVersion);
}

}  // namespace gw::cli
