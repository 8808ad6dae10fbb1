#pragma once
// The running gateway's certificate keeper: a thread that looks at every certificate of the
// document, has those with no files yet issued and those that are due renewed (renew.hpp),
// sleeps until the next one needs the CA (at most `max_sleep`), and calls `on_renewed` after
// any change so the gateway reloads and serves the new files. The data plane never waits
// for it.
//
// The work with the CA runs in a process of its own, `pass_command` (the gateway's
// `gw proxy --renew-once`, which calls renewPass): the gateway reads certificate files and
// state only, never loads the ACME client's libraries (libcurl and what it pulls in) and
// never parses a CA's answers. The command is started only when some certificate needs the
// CA now.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/acme/obtain.hpp"
#include "core/config/model.hpp"
#include "core/result.hpp"

namespace gw::acme {

struct RenewerSettings {
  IssuerHome home;
  std::filesystem::path certs_dir;                   // <home>/certs
  std::function<core::Result<core::Config>()> load;  // the document to keep certificates for
  std::function<void()> on_renewed;                  // new files are in place: reload
  std::function<void(const std::string&)> log;       // one line per renewal or failure
  std::chrono::milliseconds max_sleep = std::chrono::seconds(60);
  std::vector<std::string> pass_command;  // argv of one pass (renewPass) in another process
  std::chrono::milliseconds pass_timeout = std::chrono::minutes(30);
};

struct PassOutcome {
  std::chrono::system_clock::time_point next;  // when the next certificate needs the CA
  int renewed = 0;                             // certificates issued or renewed
  int failed = 0;
};

// One pass in this thread: every certificate that is due is issued or renewed, and each
// renewal or failure logged. Stops early when `stopping` is set.
PassOutcome renewPass(const RenewerSettings& settings, const std::atomic<bool>& stopping);

class Renewer {
 public:
  explicit Renewer(RenewerSettings settings);
  Renewer(const Renewer&) = delete;
  Renewer& operator=(const Renewer&) = delete;
  ~Renewer();  // stops and joins (a running pass command is killed)

  void start();
  void stop();
  // Look again now (the document may name a new certificate).
  void wake();

 private:
  void run();
  // Runs pass_command when a certificate needs the CA; returns when the next one will.
  std::chrono::system_clock::time_point pass();

  RenewerSettings settings_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::atomic<bool> stopping_ = false;
  bool woken_ = false;
  std::thread thread_;
};

}  // namespace gw::acme
