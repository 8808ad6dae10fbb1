#include "core/acme/renewer.hpp"

#include <pthread.h>

#include <csignal>
#include <random>

#include "core/acme/renew.hpp"
#include "core/config/auto_tls.hpp"

namespace gw::acme {

Renewer::Renewer(RenewerSettings settings) : settings_(std::move(settings)) {}

Renewer::~Renewer() { stop(); }

void Renewer::start() {
  thread_ = std::thread([this] { run(); });
}

void Renewer::stop() {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  if (thread_.joinable()) {
    thread_.join();
  }
}

void Renewer::wake() {
  {
    const std::lock_guard lock(mutex_);
    woken_ = true;
  }
  changed_.notify_all();
}

void Renewer::run() {
  // The process's signals (stop, reload) belong to the thread that waits for them.
  sigset_t signals;
  sigemptyset(&signals);
  for (const int s : {SIGINT, SIGTERM, SIGHUP}) {
    sigaddset(&signals, s);
  }
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    woken_ = false;
    lock.unlock();
    auto next = pass();
    const auto latest = std::chrono::system_clock::now() + settings_.max_sleep;
    next = std::min(next, latest);
    lock.lock();
    changed_.wait_until(lock, next, [this] { return stopping_ || woken_; });
  }
}

std::chrono::system_clock::time_point Renewer::pass() {
  const auto now = std::chrono::system_clock::now();
  auto next = now + settings_.max_sleep;
  auto config = settings_.load();
  if (!config) {
    return next;
  }
  static thread_local std::mt19937_64 random(std::random_device{}());
  bool renewed = false;
  std::vector<core::Certificate> entries = config->certificates;
  for (core::Certificate& automatic : core::autoCertificates(*config)) {
    entries.push_back(std::move(automatic));
  }
  for (const core::Certificate& entry : entries) {
    if (entry.issuer == core::Issuer::kImported) {
      continue;
    }
    const auto report = renewIfDue(settings_.home, settings_.certs_dir / entry.name, entry,
                                   {std::chrono::system_clock::now()}, random);
    next = std::min(next, report.next_check);
    using Result = RenewReport::Result;
    if (report.result == Result::kRenewed) {
      renewed = true;
    }
    if ((report.result == Result::kRenewed || report.result == Result::kFailed) && settings_.log) {
      settings_.log("certificate \"" + entry.name + "\": " + report.message);
    }
    if (stopping_) {
      break;
    }
  }
  if (renewed && settings_.on_renewed) {
    settings_.on_renewed();
  }
  return next;
}

}  // namespace gw::acme
