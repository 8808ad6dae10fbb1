#pragma once
// The proxy's own log (standard error; proxy.log under gw install): one line per event, each
// starting with its UTC time to the millisecond, so `gw logs --since` can cut it and a reader
// can line it up with the access log. Events: start and stop, every reload (served or
// refused, and why), every listener opened or closed, health changes, certificate problems.

#include <string_view>

namespace gw::proxy {

// "2026-11-30T13:14:05.123Z gw proxy: <message>" written in one write(2), so lines from
// several threads never interleave.
void logEvent(std::string_view message);

}  // namespace gw::proxy
