#pragma once
// How the change pipeline reaches the running proxy without knowing sockets: core declares
// this interface, the proxy's admin module implements it over the admin API, and the CLI
// (later the dashboard) wires one in.

#include <cstdint>

#include "core/result.hpp"

namespace gw::core {

class Reloader {
 public:
  virtual ~Reloader() = default;

  // Asks the proxy to load the saved document, just saved as `revision`, and serve it.
  // Returns the revision the proxy serves afterwards (a proxy started on another file may
  // serve something else: the pipeline checks). An error means the proxy does not serve
  // `revision`; its message says why in one line ("the proxy refused revision 4: ..."),
  // its details carry the proxy's own lines (e.g. every validation error).
  virtual Result<std::uint64_t> reload(std::uint64_t revision) = 0;
};

}  // namespace gw::core
