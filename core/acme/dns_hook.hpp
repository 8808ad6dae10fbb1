#pragma once
// DNS-01 through a command the user gives (the certificate entry's dnsHook), called as lego's
// exec provider calls its program:
//
//   /bin/sh -c '<hook> "$@"' gw present _acme-challenge.shop.test. <TXT value>
//   /bin/sh -c '<hook> "$@"' gw cleanup _acme-challenge.shop.test. <TXT value>
//
// The name and the value are arguments, never part of the command string, so no shell ever
// reads them. The hook's contract: it returns 0 once the record is published (and, for
// cleanup, removed); gw does not query DNS itself. Its environment is gw's, its standard
// input and output /dev/null; the last line of its standard error explains a failure.

#include <chrono>
#include <string>
#include <vector>

#include "core/acme/challenge.hpp"
#include "core/result.hpp"

namespace gw::acme {

inline constexpr std::chrono::seconds kDnsHookTimeout{120};

class DnsHookResponder final : public ChallengeResponder {
 public:
  explicit DnsHookResponder(std::string hook, std::chrono::milliseconds timeout = kDnsHookTimeout)
      : hook_(std::move(hook)), timeout_(timeout) {}

  // Runs `<hook> present <name> <value>`; an exit other than 0, or a hook still running
  // after the timeout (then killed), is an error:
  //   shop.test: DNS-01 hook "<hook>" exited 3: <the last line of its stderr>
  core::Status present(const Challenge& challenge) override;
  // Runs `<hook> cleanup <name> <value>`; its failure changes nothing (the order is over).
  void cleanUp(const Challenge& challenge) override;

 private:
  core::Status call(const char* action, const Challenge& challenge) const;

  std::string hook_;
  std::chrono::milliseconds timeout_;
};

// The record name the hook is given: "_acme-challenge.<domain>." (fully qualified).
std::string dnsHookRecordName(const Challenge& challenge);

}  // namespace gw::acme
