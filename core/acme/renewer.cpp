#include "core/acme/renewer.hpp"

#include <pthread.h>

#include <algorithm>
#include <csignal>
#include <random>
#include <system_error>

#include "core/acme/command.hpp"
#include "core/acme/renew.hpp"
#include "core/config/auto_tls.hpp"
#include "core/store/home.hpp"

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

namespace {

using TimePoint = std::chrono::system_clock::time_point;

std::vector<core::Certificate> keptCertificates(const core::Config& config) {
  std::vector<core::Certificate> entries;
  for (const core::Certificate& entry : config.certificates) {
    if (entry.issuer != core::Issuer::kImported) {
      entries.push_back(entry);
    }
  }
  for (core::Certificate& automatic : core::autoCertificates(config)) {
    entries.push_back(std::move(automatic));
  }
  return entries;
}

// What the certificate files are now, to see whether a pass elsewhere changed any.
std::string filesStamp(const std::filesystem::path& certs_dir,
                       const std::vector<core::Certificate>& entries) {
  std::string stamp;
  for (const core::Certificate& entry : entries) {
    stamp += entry.name + '|' + core::fileStamp(certs_dir / entry.name / "cert.pem") + '\n';
  }
  return stamp;
}

TimePoint nextWork(const RenewerSettings& settings, const std::vector<core::Certificate>& entries,
                   TimePoint now) {
  TimePoint next = now + settings.max_sleep;
  for (const core::Certificate& entry : entries) {
    next = std::min(next, nextCaWork(settings.certs_dir / entry.name, entry, now));
  }
  return next;
}

std::string commandEnd(const CommandRun& run) {
  switch (run.end) {
    case CommandRun::End::kExited:
      return "exited " + std::to_string(run.code);
    case CommandRun::End::kSignalled:
      return "was killed by signal " + std::to_string(run.code);
    case CommandRun::End::kTimedOut:
      return "ran too long and was stopped";
    case CommandRun::End::kCancelled:
      return "was stopped";
    case CommandRun::End::kNotStarted:
      break;
  }
  return "could not start (" + std::generic_category().message(run.code) + ")";
}

}  // namespace

PassOutcome renewPass(const RenewerSettings& settings, const std::atomic<bool>& stopping) {
  PassOutcome outcome;
  outcome.next = std::chrono::system_clock::now() + settings.max_sleep;
  auto config = settings.load();
  if (!config) {
    return outcome;
  }
  static thread_local std::mt19937_64 random(std::random_device{}());
  for (const core::Certificate& entry : keptCertificates(*config)) {
    const auto report = renewIfDue(settings.home, settings.certs_dir / entry.name, entry,
                                   {std::chrono::system_clock::now()}, random);
    outcome.next = std::min(outcome.next, report.next_check);
    using Step = RenewReport::Result;
    outcome.renewed += report.result == Step::kRenewed ? 1 : 0;
    outcome.failed += report.result == Step::kFailed ? 1 : 0;
    if ((report.result == Step::kRenewed || report.result == Step::kFailed) && settings.log) {
      settings.log("certificate \"" + entry.name + "\": " + report.message);
    }
    if (stopping) {
      break;
    }
  }
  return outcome;
}

TimePoint Renewer::pass() {
  const auto now = std::chrono::system_clock::now();
  auto config = settings_.load();
  if (!config) {
    return now + settings_.max_sleep;
  }
  const auto entries = keptCertificates(*config);
  if (const auto next = nextWork(settings_, entries, now); next > now) {
    return next;
  }
  const std::string before = filesStamp(settings_.certs_dir, entries);
  const CommandRun run = runCommand(settings_.pass_command, settings_.pass_timeout,
                                    {.inherit_stderr = true, .cancel = &stopping_});
  if ((run.end != CommandRun::End::kExited || run.code > 1) && settings_.log) {
    settings_.log("certificate renewal: " + settings_.pass_command.front() + " " + commandEnd(run));
  }
  if (filesStamp(settings_.certs_dir, entries) != before && settings_.on_renewed) {
    settings_.on_renewed();
  }
  // A pass that could not record its outcome (it did not start, or another process holds a
  // certificate's lock) is tried again in a minute, not at once.
  const auto after = std::chrono::system_clock::now();
  const auto next = nextWork(settings_, entries, after);
  return next > after ? next : after + std::chrono::minutes(1);
}

}  // namespace gw::acme
