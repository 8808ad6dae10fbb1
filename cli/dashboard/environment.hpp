#pragma once
// What the dashboard is given by the command that starts it (cli/cmd_dashboard.cpp wires
// the modules together): the home, how to reach its running proxy, and the gw binary whose
// commands the actions run.

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "core/change/pipeline.hpp"
#include "core/store/home.hpp"
#include "proxy/admin/client.hpp"

namespace gw::dashboard {

struct Environment {
  core::Home home{""};
  core::FindReloader find_reloader;  // the change pipeline's way to the running proxy
  // The running proxy's admin API, or nullopt when none runs.
  std::function<std::optional<proxy::AdminClient>()> admin;
  std::filesystem::path gw_binary;  // runs `gw --home H ...` for the actions
  std::string version;
};

}  // namespace gw::dashboard
