// The responders gw answers its own challenges with: the TLS-ALPN-01 file the https listeners
// serve, and the DNS-01 hook, called with its arguments (never through the command string),
// gw's environment, and one sentence when it fails or runs too long.

#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <thread>

#include "core/acme/dns_hook.hpp"
#include "core/acme/responders.hpp"
#include "tests/support/process.hpp"

using namespace gw::acme;
using gw::test::readText;
using gw::test::TempDir;
using gw::test::writeText;

namespace {

Challenge dnsChallenge(const std::string& domain, const std::string& value) {
  Challenge c;
  c.type = ChallengeType::kDns01;
  c.domain = domain;
  c.token = "token";
  c.dns_txt_name = "_acme-challenge." + domain;
  c.dns_txt_value = value;
  return c;
}

// A hook script in `dir` with `body` after the shebang; its path.
std::string hookScript(const TempDir& dir, const std::string& body) {
  const auto path = dir.path() / "hook.sh";
  writeText(path, "#!/bin/sh\n" + body);
  std::filesystem::permissions(path, std::filesystem::perms::owner_all);
  return path.string();
}

}  // namespace

TEST_CASE("the TLS-ALPN-01 answer is one 0600 file per domain, removed by cleanUp",
          "[acme][responders]") {
  const TempDir home;
  auto responder = makeResponder(ChallengeType::kTlsAlpn01, home.path(), "");
  REQUIRE(responder);
  auto key = PrivateKey::generate(KeyType::kEcdsaP256);
  REQUIRE(key);
  auto challenge = makeChallenge(ChallengeType::kTlsAlpn01, "shop.test", "tok", *key);
  REQUIRE(challenge);

  REQUIRE((*responder)->present(*challenge));
  const auto file = home.path() / "tls-alpn-01" / "shop.test.pem";
  REQUIRE(std::filesystem::exists(file));
  CHECK(readText(file) == challenge->tls_alpn_cert_pem + challenge->tls_alpn_key_pem);
  struct stat info {};
  REQUIRE(::stat(file.c_str(), &info) == 0);
  CHECK((info.st_mode & 0777) == 0600);

  (*responder)->cleanUp(*challenge);
  CHECK_FALSE(std::filesystem::exists(file));
}

TEST_CASE("the DNS-01 hook gets present and cleanup with the record's name and value",
          "[acme][responders]") {
  const TempDir dir;
  const auto log = dir.path() / "calls.log";
  ::setenv("GW_TEST_DNS_ZONE", "shop.test.", 1);
  const std::string hook =
      hookScript(dir, "printf '%s|' \"$@\" >>'" + log.string() +
                          "'\necho \"$GW_TEST_DNS_ZONE\" >>'" + log.string() + "'\n");
  auto responder = makeResponder(ChallengeType::kDns01, dir.path(), hook);
  REQUIRE(responder);
  // Characters a shell would act on stay one literal argument.
  const Challenge challenge = dnsChallenge("shop.test", "v a;l'ue$(touch pwned)");

  const auto present = (*responder)->present(challenge);
  INFO((present ? "" : present.error().message));
  REQUIRE(present);
  CHECK(readText(log) == "present|_acme-challenge.shop.test.|v a;l'ue$(touch pwned)|shop.test.\n");
  (*responder)->cleanUp(challenge);
  CHECK(readText(log) ==
        "present|_acme-challenge.shop.test.|v a;l'ue$(touch pwned)|shop.test.\n"
        "cleanup|_acme-challenge.shop.test.|v a;l'ue$(touch pwned)|shop.test.\n");
  CHECK_FALSE(std::filesystem::exists("pwned"));
  CHECK_FALSE(std::filesystem::exists(dir.path() / "pwned"));
  ::unsetenv("GW_TEST_DNS_ZONE");
}

TEST_CASE("a DNS-01 hook that fails says how in one sentence", "[acme][responders]") {
  const TempDir dir;
  const std::string hook =
      hookScript(dir,
                 "echo 'looking up the zone' >&2\necho 'zone shop.test not found' >&2\n"
                 "echo 'to stdout, unseen'\nexit 3\n");
  DnsHookResponder responder(hook);
  const auto present = responder.present(dnsChallenge("shop.test", "abc"));
  REQUIRE_FALSE(present);
  CHECK(present.error().message ==
        "shop.test: DNS-01 hook \"" + hook + "\" exited 3: zone shop.test not found");
  CHECK(present.error().kind == gw::core::ErrorKind::kRuntime);

  SECTION("without a word on stderr, the exit code alone") {
    const std::string quiet = hookScript(dir, "exit 5\n");
    const auto failed = DnsHookResponder(quiet).present(dnsChallenge("shop.test", "abc"));
    REQUIRE_FALSE(failed);
    CHECK(failed.error().message == "shop.test: DNS-01 hook \"" + quiet + "\" exited 5");
  }
  SECTION("a command that does not exist is the shell's exit 127") {
    const std::string missing = (dir.path() / "no-such-hook").string();
    const auto failed = DnsHookResponder(missing).present(dnsChallenge("shop.test", "abc"));
    REQUIRE_FALSE(failed);
    CHECK(failed.error().message.starts_with("shop.test: DNS-01 hook \"" + missing +
                                             "\" exited 127: "));
  }
}

TEST_CASE("a DNS-01 hook that runs too long is stopped with what it started",
          "[acme][responders]") {
  const TempDir dir;
  const auto marker = dir.path() / "still-running";
  // The shell starts a child that would outlive it; the whole group is stopped.
  const std::string hook = hookScript(dir, "echo 'waiting for the zone' >&2\n(sleep 2; touch '" +
                                               marker.string() + "') &\nsleep 30\n");
  DnsHookResponder responder(hook, std::chrono::milliseconds(300));
  const auto started = std::chrono::steady_clock::now();
  const auto present = responder.present(dnsChallenge("shop.test", "abc"));
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(2));
  REQUIRE_FALSE(present);
  CHECK(present.error().message == "shop.test: DNS-01 hook \"" + hook +
                                       "\" ran longer than 300 ms and was stopped: waiting for "
                                       "the zone");
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));
  CHECK_FALSE(std::filesystem::exists(marker));
}

TEST_CASE("dns-01 without a hook is refused before anything runs", "[acme][responders]") {
  const TempDir dir;
  const auto responder = makeResponder(ChallengeType::kDns01, dir.path(), "");
  REQUIRE_FALSE(responder);
  CHECK(responder.error().message == "dns-01 needs a hook that publishes the TXT record (dnsHook)");
}
