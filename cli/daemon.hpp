#pragma once
// The background proxy of a home: `gw install` starts it, `gw status` looks at it and
// `gw uninstall` stops it. The home's proxy.pid says which process it is; a pid is only
// believed when /proc says that process is `gw proxy` for this very home.

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>

#include "core/result.hpp"
#include "core/store/home.hpp"

namespace gw::cli {

struct DaemonState {
  bool running = false;
  pid_t pid = 0;              // the live proxy's pid when running
  pid_t stale_pid = 0;        // a proxy.pid whose process is gone (or is not this home's proxy)
  std::string admin_address;  // from admin.address; "" when none was picked yet
};

DaemonState probeDaemon(const core::Home& home);

// admin.address, when present.
std::optional<std::string> readAdminAddress(const core::Home& home);

// Whether HOST:PORT is on the loopback interface (127.0.0.0/8, ::1, localhost).
bool isLoopbackAddress(const std::string& address);

// A loopback HOST:PORT that was free a moment ago.
core::Result<std::string> pickFreeLoopbackAddress();

// Starts `gw proxy --home H --admin-address A` in its own session, stdin from /dev/null and
// stdout+stderr appended to proxy.log, and records its pid in proxy.pid.
core::Result<pid_t> startDaemon(const core::Home& home, const std::string& admin_address);

// Polls GET /ready until it answers 200. Fails early, with the end of proxy.log, when the
// child exits first.
core::Status waitUntilReady(const core::Home& home, pid_t pid, const std::string& admin_address,
                            std::chrono::milliseconds timeout);

// SIGTERM, up to `grace` for it to exit, then SIGKILL.
core::Status stopDaemon(pid_t pid, std::chrono::milliseconds grace);

bool processAlive(pid_t pid);

// The last `lines` lines of a file ("" when unreadable).
std::string tailLines(const std::string& path, int lines);

}  // namespace gw::cli
