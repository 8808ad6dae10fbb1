// A CA that binds ACME accounts to accounts of its own (External Account Binding, as ZeroSSL,
// Google Trust Services and many private CAs do): refused without the binding in a sentence
// that says which flags give it; the key id and HMAC key are kept with the account (0600),
// never in the document, and later orders, the gateway's own renewals included, reuse them.

#include <sys/stat.h>

#include <catch2/catch.hpp>

#include "tests/integration/https_story.hpp"
#include "tests/support/eventually.hpp"

namespace gw::test {
namespace {

// The one account folder's eab.json, or "" when there is none.
std::filesystem::path keptBinding(const HttpsStory& story) {
  std::error_code ec;
  for (const auto& account :
       std::filesystem::directory_iterator(story.gw.file("acme/accounts"), ec)) {
    if (std::filesystem::exists(account.path() / "eab.json")) {
      return account.path() / "eab.json";
    }
  }
  return {};
}

unsigned modeOf(const std::filesystem::path& file) {
  struct stat st {};
  return ::stat(file.c_str(), &st) == 0 ? (st.st_mode & 0777U) : 0U;
}

}  // namespace

TEST_CASE("gw cert issue binds the account when the CA requires External Account Binding",
          "[https][acme][eab]") {
  HttpsStory story({"PEBBLE_EAB_REQUIRED=1"});
  const std::string kid = story.pebble.env("PEBBLE_EAB_KID");
  const std::string hmac = story.pebble.env("PEBBLE_EAB_HMAC_KEY");
  REQUIRE_FALSE(kid.empty());

  const auto refused = story.issue({"shop.test"});
  CHECK(refused.exit_code == 1);
  CHECK(refused.err.find("requires External Account Binding") != std::string::npos);
  CHECK(refused.err.find("--eab-kid") != std::string::npos);

  const auto not_base64 = story.issue({"shop.test"}, {"--eab-kid", kid, "--eab-hmac-key", "a b"});
  CHECK(not_base64.exit_code == 2);
  CHECK(not_base64.err.find("HMAC key is not base64url") != std::string::npos);
  const auto no_key = story.issue({"shop.test"}, {"--eab-kid", kid});
  CHECK(no_key.exit_code == 2);
  CHECK(no_key.err.find("--eab-hmac-key") != std::string::npos);

  const auto issued = story.issue({"shop.test"}, {"--eab-kid", kid, "--eab-hmac-key", hmac});
  INFO(issued.err);
  REQUIRE(issued.exit_code == 0);
  CHECK(story.curl("shop.test", story.pebble.rootCa()).out == "frontend\n");

  const auto kept = keptBinding(story);
  REQUIRE_FALSE(kept.empty());
  CHECK(modeOf(kept) == 0600U);
  const std::string document = story.gw.config();
  CHECK(document.find(kid) == std::string::npos);
  CHECK(document.find(hmac) == std::string::npos);

  // The next order needs no flags: the account and its binding are kept.
  const auto again = story.issue({"www.shop.test"});
  INFO(again.err);
  CHECK(again.exit_code == 0);
}

TEST_CASE("a --tls auto gateway gets its certificates from a CA that requires EAB",
          "[https][auto][eab]") {
  HttpsStory story({"PEBBLE_EAB_REQUIRED=1"});
  std::vector<std::string> args{"gateway",
                                "update",
                                "shop-ingress",
                                "--tls",
                                "auto",
                                "--tls-issuer",
                                "acme",
                                "--tls-acme-directory",
                                story.pebble.env("PEBBLE_DIRECTORY_URL"),
                                "--tls-acme-ca-file",
                                story.pebble.env("PEBBLE_API_CA"),
                                "--tls-eab-kid",
                                story.pebble.env("PEBBLE_EAB_KID")};
  const auto no_key = story.gw.gw(args);
  CHECK(no_key.exit_code == 2);
  CHECK(no_key.err.find("--tls-eab-hmac-key") != std::string::npos);
  CHECK(story.gw.config().find("mode: auto") == std::string::npos);  // nothing changed

  // The key from the environment, out of the shell's history and of ps.
  args.insert(args.begin(), {GW_BINARY, "--home", story.gw.home()});
  const auto updated =
      run(args, {"GW_EAB_HMAC_KEY=" + story.pebble.env("PEBBLE_EAB_HMAC_KEY")}, "", 60s);
  INFO(updated.err);
  REQUIRE(updated.exit_code == 0);
  CHECK(eventually(
      [&] { return story.curl("shop.test", story.pebble.rootCa()).out == "frontend\n"; }, 30s));
  CHECK(modeOf(keptBinding(story)) == 0600U);
}

}  // namespace gw::test
