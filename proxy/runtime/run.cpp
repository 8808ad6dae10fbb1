// `gw proxy`: the Server in the foreground, stopped by SIGINT or SIGTERM, reloaded by SIGHUP.

#include <pthread.h>

#include <csignal>
#include <cstdio>
#include <string>

#include "proxy/proxy.hpp"

namespace gw::proxy {
namespace {

void printError(const core::Error& error) {
  std::fprintf(stderr, "gw proxy: %s\n", error.message.c_str());
  for (const std::string& detail : error.details) {
    std::fprintf(stderr, "  %s\n", detail.c_str());
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
  std::fprintf(stderr, "gw proxy: serving revision %llu on %d threads; admin %s; listeners %s\n",
               static_cast<unsigned long long>(server.revision()), server.threads(),
               server.adminAddress().c_str(), describeListeners(server).c_str());

  for (;;) {
    int received = 0;
    if (sigwait(&signals, &received) != 0) {
      continue;
    }
    if (received != SIGHUP) {
      break;
    }
    auto reloaded = server.reload();
    if (reloaded) {
      std::fprintf(stderr, "gw proxy: reloaded, serving revision %llu\n",
                   static_cast<unsigned long long>(reloaded.value()));
    } else {
      printError(reloaded.error());
    }
  }
  server.stop();
  std::fprintf(stderr, "gw proxy: stopped\n");
  pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  return 0;
}

}  // namespace gw::proxy
