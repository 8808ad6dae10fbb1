#pragma once
// The running gateway's certificate keeper: a thread that looks at every certificate of the
// document, issues those with no files yet and renews those that are due (renew.hpp), sleeps
// until the next one is due (at most `max_sleep`), and calls `on_renewed` after any change
// so the gateway reloads and serves the new files. The data plane never waits for it.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

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
};

class Renewer {
 public:
  explicit Renewer(RenewerSettings settings);
  Renewer(const Renewer&) = delete;
  Renewer& operator=(const Renewer&) = delete;
  ~Renewer();  // stops and joins

  void start();
  void stop();
  // Look again now (the document may name a new certificate).
  void wake();

 private:
  void run();
  // One pass over the document; returns when the next certificate is due.
  std::chrono::system_clock::time_point pass();

  RenewerSettings settings_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::atomic<bool> stopping_ = false;
  bool woken_ = false;
  std::thread thread_;
};

}  // namespace gw::acme
