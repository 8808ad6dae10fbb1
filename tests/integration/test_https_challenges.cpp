// The two other ways to prove a name, as a user gets them against a real ACME CA (Pebble):
// TLS-ALPN-01 answered by the gateway's own https listener (the first certificate of a host
// too, before that listener has any), and DNS-01 through the user's hook script, which is
// how a wildcard certificate is had; a hook that fails stops the order in one sentence and
// leaves the old certificate serving.

#include <catch2/catch.hpp>
#include <sstream>

#include "tests/integration/https_story.hpp"
#include "tests/support/test_ca.hpp"

namespace gw::test {
namespace {

std::vector<std::string> linesOf(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    lines.push_back(line);
  }
  return lines;
}

std::size_t filesIn(const std::filesystem::path& dir) {
  std::error_code ec;
  std::size_t count = 0;
  for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    ++count;
  }
  return count;
}

// A DNS-01 hook that publishes and removes TXT records in challtestsrv (the DNS server Pebble
// asks), and logs each call's arguments to `log`.
std::filesystem::path writeDnsHook(const HttpsStory& story, const std::filesystem::path& log) {
  auto hook = story.gw.file("dns-hook.sh");
  const std::string api = story.pebble.env("PEBBLE_CTS_MGMT_URL");
  writeText(hook,
            "#!/bin/sh\n"
            "echo \"$@\" >>'" +
                log.string() +
                "'\n"
                "case \"$1\" in\n"
                "  present) curl -sSf -X POST -d \"{\\\"host\\\":\\\"$2\\\",\\\"value\\\":"
                "\\\"$3\\\"}\" " +
                api +
                "/set-txt ;;\n"
                "  cleanup) curl -sSf -X POST -d \"{\\\"host\\\":\\\"$2\\\"}\" " +
                api +
                "/clear-txt ;;\n"
                "  *) echo \"unknown action $1\" >&2; exit 2 ;;\n"
                "esac\n");
  std::filesystem::permissions(hook, std::filesystem::perms::owner_all);
  return hook;
}

}  // namespace

TEST_CASE("TLS-ALPN-01 is answered by the gateway's https listener, its first certificate too",
          "[https][acme][tls-alpn-01]") {
  HttpsStory story({}, HttpsPort::kTlsAlpn01);
  // No certificate yet: the listener refuses ordinary handshakes.
  CHECK(story.curl("shop.test", story.pebble.rootCa()).exit_code == 35);

  const auto issued = story.issue({"shop.test", "www.shop.test"}, {"--challenge", "tls-alpn-01"});
  INFO(issued.err);
  REQUIRE(issued.exit_code == 0);
  for (const std::string host : {"shop.test", "www.shop.test"}) {
    const auto answer = story.curl(host, story.pebble.rootCa());
    INFO(host << ": " << answer.err);
    CHECK(answer.exit_code == 0);
    CHECK(answer.out == "frontend\n");
  }
  CHECK(filesIn(story.gw.file("acme/tls-alpn-01")) == 0);  // every answer cleaned up
  // Renewals order the same way.
  CHECK(story.gw.config().find("tls-alpn-01") != std::string::npos);

  SECTION("a listener serving a certificate answers the next order the same way") {
    const std::string before = story.servedSerial("shop.test");
    REQUIRE_FALSE(before.empty());
    const auto again = story.issue({"shop.test", "www.shop.test"}, {"--challenge", "tls-alpn-01"});
    INFO(again.err);
    REQUIRE(again.exit_code == 0);
    CHECK(story.servedSerial("shop.test") != before);
    CHECK(story.curl("shop.test", story.pebble.rootCa()).out == "frontend\n");
  }
}

TEST_CASE("DNS-01 through a hook gets a wildcard certificate", "[https][acme][dns-01]") {
  HttpsStory story;
  const auto log = story.gw.file("dns-hook.log");
  const auto hook = writeDnsHook(story, log);
  auto args = story.issueArgs();
  args.insert(args.end(), {"--domain", "*.shop.test", "--domain", "shop.test", "--challenge",
                           "dns-01", "--dns-hook", hook.string()});
  const auto issued = story.gw.gw(args);
  INFO(issued.err);
  REQUIRE(issued.exit_code == 0);
  CHECK(issued.out.find("certificate \"wildcard.shop.test\" issued") != std::string::npos);

  // Served for any name one label under shop.test, and for shop.test itself.
  const std::string chain = story.servedChain("a.shop.test");
  REQUIRE_FALSE(chain.empty());
  CHECK(verifyChain(chain, story.pebble.rootCa(), story.gw.file("")).empty());
  CHECK(chain == readText(story.gw.file("certs/wildcard.shop.test/cert.pem")));
  const auto by_name = story.curl("a.shop.test", story.pebble.rootCa());
  INFO(by_name.err);
  CHECK(by_name.exit_code == 0);  // the name verified (no route for it: a 404 from gw)
  CHECK(story.curl("shop.test", story.pebble.rootCa()).out == "frontend\n");

  // Two records under one name (the wildcard's and the bare name's), both published before
  // either is removed.
  const auto calls = linesOf(readText(log));
  REQUIRE(calls.size() == 4);
  for (std::size_t i = 0; i < calls.size(); ++i) {
    INFO(calls[i]);
    CHECK(calls[i].starts_with(i < 2 ? "present _acme-challenge.shop.test. "
                                     : "cleanup _acme-challenge.shop.test. "));
  }
  CHECK(calls[0] != calls[1]);
}

TEST_CASE("a DNS hook that fails stops the order in one sentence, the old certificate serving",
          "[https][acme][dns-01]") {
  HttpsStory story;
  REQUIRE(story.issue({"shop.test"}).exit_code == 0);  // by HTTP-01
  std::string serial_before;
  const auto hook = story.gw.file("broken-hook.sh");
  writeText(hook,
            "#!/bin/sh\necho 'trying the provider' >&2\n"
            "echo 'no zone for shop.test' >&2\nexit 3\n");
  std::filesystem::permissions(hook, std::filesystem::perms::owner_all);

  // Pebble reuses the account's valid authorization (from the issue above) for about one
  // order in a hundred, so the hook is not run: the next order is validated again.
  RunResult failed;
  for (int order = 0; order < 3; ++order) {
    serial_before = serialOf(story.gw.file("certs/shop/cert.pem"));
    failed = story.issue({"shop.test"}, {"--challenge", "dns-01", "--dns-hook", hook.string()});
    if (failed.exit_code != 0) {
      break;
    }
  }
  CHECK(failed.exit_code == 1);
  CHECK(failed.err.find("shop.test: DNS-01 hook \"" + hook.string() +
                        "\" exited 3: no zone for shop.test\n") != std::string::npos);
  CHECK(linesOf(failed.err).size() == 1);
  CHECK(serialOf(story.gw.file("certs/shop/cert.pem")) == serial_before);
  CHECK(story.servedSerial("shop.test") == serial_before);
  CHECK(story.curl("shop.test", story.pebble.rootCa()).out == "frontend\n");
}

}  // namespace gw::test
