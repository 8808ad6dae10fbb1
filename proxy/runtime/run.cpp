// `gw proxy`: the Server in the foreground, stopped by SIGINT or SIGTERM, reloaded by SIGHUP.

#include <pthread.h>

#include <csignal>
#include <cstdio>
#include <string>

#include "proxy/observe/event_log.hpp"
#include "proxy/proxy.hpp"

namespace gw::proxy {
namespace {

void printError(const core::Error& error) {
  logEvent(error.message);
  for (const std::string& detail : error.details) {
    logEvent("  " + detail);
  }
}

std::string describeListeners(const Server& server) {
  std::string out;
  for (const ListenerInfo& info : server.listeners()) {
    out += out.empty() ? "" : ", ";
    out += info.gateway + "/" + info.listener + " " + core::toString(info.protocol) + "://" +
           info.address + ":" + std::to_string(info.port);
  }
  return out.empty() ? "none" : out;
}

}  // namespace

int run(const Options& options) {
  // Blocked before any thread starts, so every thread inherits the mask and only sigwait()
  // below sees these signals.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGHUP);
  sigset_t previous;
  pthread_sigmask(SIG_BLOCK, &signals, &previous);
  std::signal(SIGPIPE, SIG_IGN);

  auto started = Server::start(options);
  if (!started) {
    printError(started.error());
    pthread_sigmask(SIG_SETMASK, &previous, nullptr);
    return core::exitCode(started.error().kind);
  }
  Server& server = *started.value();
  logEvent("serving revision " + std::to_string(server.revision()) + " on " +
           std::to_string(server.threads()) + " threads; admin " + server.adminAddress() +
           "; listeners " + describeListeners(server));

  for (;;) {
    int received = 0;
    if (sigwait(&signals, &received) != 0) {
      continue;
    }
    if (received != SIGHUP) {
      break;
    }
    static_cast<void>(server.reload());  // the server logs what came of it
  }
  server.stop();
  logEvent("stopped");
  pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  return 0;
}

}  // namespace gw::proxy
