#include "core/acme/dns_hook.hpp"

#include <system_error>

#include "core/acme/command.hpp"

namespace gw::acme {
namespace {

using std::chrono::milliseconds;

std::string duration(milliseconds timeout) {
  return timeout.count() % 1000 == 0 ? std::to_string(timeout.count() / 1000) + " s"
                                     : std::to_string(timeout.count()) + " ms";
}

}  // namespace

std::string dnsHookRecordName(const Challenge& challenge) {
  std::string name = challenge.dns_txt_name.empty() ? "_acme-challenge." + challenge.domain
                                                    : challenge.dns_txt_name;
  if (!name.ends_with('.')) {
    name += '.';
  }
  return name;
}

core::Status DnsHookResponder::call(const char* action, const Challenge& challenge) const {
  const CommandRun run = runCommand({"/bin/sh", "-c", hook_ + " \"$@\"", "gw", action,
                                     dnsHookRecordName(challenge), challenge.dns_txt_value},
                                    timeout_);
  std::string what;
  switch (run.end) {
    case CommandRun::End::kExited:
      if (run.code == 0) {
        return core::Ok{};
      }
      what = "exited " + std::to_string(run.code);
      break;
    case CommandRun::End::kSignalled:
      what = "was killed by signal " + std::to_string(run.code);
      break;
    case CommandRun::End::kTimedOut:
    case CommandRun::End::kCancelled:
      what = "ran longer than " + duration(timeout_) + " and was stopped";
      break;
    case CommandRun::End::kNotStarted:
      what = "could not start (" + std::generic_category().message(run.code) + ")";
      break;
  }
  if (!run.last_line.empty()) {
    what += ": " + run.last_line;
  }
  return core::makeError(core::ErrorKind::kRuntime,
                         challenge.domain + ": " + std::string(challengeLabel(challenge.type)) +
                             " hook \"" + hook_ + "\" " + what);
}

core::Status DnsHookResponder::present(const Challenge& challenge) {
  return call("present", challenge);
}

void DnsHookResponder::cleanUp(const Challenge& challenge) {
  static_cast<void>(call("cleanup", challenge));
}

}  // namespace gw::acme
