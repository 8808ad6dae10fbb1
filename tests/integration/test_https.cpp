// HTTPS as a user gets it: `gw cert issue` against a real ACME CA (Pebble), answered by the
// gateway's own http listener, then curl over https; a failed order keeps the old
// certificate serving; the internal issuer for offline use; a gateway that redirects http to
// https and sends HSTS.

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tests/integration/https_story.hpp"
#include "tests/support/test_ca.hpp"

namespace gw::test {

TEST_CASE("gw cert issue gets a certificate from an ACME CA through the gateway, served at once",
          "[https][acme]") {
  HttpsStory story;
  const auto issued = story.issue({"shop.test", "www.shop.test"});
  INFO(issued.err);
  REQUIRE(issued.exit_code == 0);
  CHECK(issued.out.find("certificate \"shop\" issued") != std::string::npos);

  for (const std::string host : {"shop.test", "www.shop.test"}) {
    const auto answer = story.curl(host, story.pebble.rootCa());
    INFO(host << ": " << answer.err);
    CHECK(answer.exit_code == 0);
    CHECK(answer.out == "frontend\n");
  }
  const std::string chain = readText(story.gw.file("certs/shop/cert.pem"));
  CHECK(verifyChain(chain, story.pebble.rootCa(), story.gw.file("")).empty());

  const auto listed = story.gw.gw({"cert", "list", "-o", "json"});
  REQUIRE(listed.exit_code == 0);
  const auto json = nlohmann::json::parse(listed.out);
  REQUIRE(json.size() == 1);
  CHECK(json[0]["issuer"] == "acme");
  CHECK(json[0]["state"] == "valid");

  SECTION("a second order reuses the account") {
    REQUIRE(story.issue({"shop.test"}).exit_code == 0);
    std::size_t accounts = 0;
    for (const auto& entry : std::filesystem::directory_iterator(story.gw.file("acme/accounts"))) {
      static_cast<void>(entry);
      ++accounts;
    }
    CHECK(accounts == 1);
  }

  SECTION("a challenge nothing answers says so plainly and keeps the old certificate") {
    // bad.test resolves where nothing listens.
    REQUIRE(
        story.pebble.challtestsrv("/add-a", R"({"host":"bad.test","addresses":["127.0.0.2"]})"));
    const std::string serial_before = serialOf(story.gw.file("certs/shop/cert.pem"));
    const auto failed = story.issue({"shop.test", "bad.test"});
    CHECK(failed.exit_code == 1);
    CHECK(failed.err.find("bad.test: HTTP-01 failed") != std::string::npos);
    CHECK(serialOf(story.gw.file("certs/shop/cert.pem")) == serial_before);
    CHECK(story.curl("shop.test", story.pebble.rootCa()).out == "frontend\n");
  }
}

TEST_CASE("the internal issuer serves https offline, trusted through its root",
          "[https][internal]") {
  EchoBackend frontend("frontend");
  GwHome gw;
  const auto https = freePort();
  REQUIRE(gw.gw({"install"}).exit_code == 0);
  REQUIRE(gw.gw({"service", "add", "frontend", "--endpoint", frontend.endpoint()}).exit_code == 0);
  REQUIRE(gw.gw({"gateway", "create", "edge", "--address", "127.0.0.1", "--port",
                 "https:" + std::to_string(https)})
              .exit_code == 0);
  REQUIRE(gw.gw({"route", "add", "shop", "--gateway", "edge", "--host", "shop.test", "--to",
                 "frontend"})
              .exit_code == 0);
  const auto issued = gw.gw({"cert", "issue", "--domain", "shop.test", "--issuer", "internal"});
  INFO(issued.err);
  REQUIRE(issued.exit_code == 0);
  CHECK(issued.out.find(gw.file("ca").string()) != std::string::npos);  // where the root is
  REQUIRE(waitForPort(https));
  const auto port = std::to_string(https);
  const auto answer =
      run({"curl", "-sS", "--max-time", "10", "--cacert", gw.file("ca/root.pem").string(),
           "--resolve", "shop.test:" + port + ":127.0.0.1", "https://shop.test:" + port + "/"});
  INFO(answer.err);
  CHECK(answer.out == "frontend\n");
}

TEST_CASE("a gateway made with --https-redirect and --hsts redirects http and marks https",
          "[https][redirect]") {
  EchoBackend frontend("frontend");
  GwHome gw;
  const auto http = std::to_string(freePort());
  const auto https = std::to_string(freePort());
  REQUIRE(gw.gw({"install"}).exit_code == 0);
  REQUIRE(gw.gw({"service", "add", "frontend", "--endpoint", frontend.endpoint()}).exit_code == 0);
  const auto created =
      gw.gw({"gateway", "create", "g", "--address", "127.0.0.1", "--port", "http:" + http, "--port",
             "https:" + https, "--https-redirect", "--hsts", "1y"});
  INFO(created.err);
  REQUIRE(created.exit_code == 0);
  REQUIRE(
      gw.gw({"route", "add", "shop", "--gateway", "g", "--host", "shop.test", "--to", "frontend"})
          .exit_code == 0);
  REQUIRE(gw.gw({"cert", "issue", "--domain", "shop.test", "--issuer", "internal"}).exit_code == 0);
  REQUIRE(waitForPort(static_cast<std::uint16_t>(std::stoi(https))));

  const auto head =
      run({"curl", "-sI", "--max-time", "10", "--resolve", "shop.test:" + http + ":127.0.0.1",
           "http://shop.test:" + http + "/cart?item=7"});
  INFO(head.err);
  CHECK(head.exit_code == 0);
  CHECK(head.out.rfind("HTTP/1.1 301 Moved Permanently\r\n", 0) == 0);
  CHECK(head.out.find("\r\nLocation: https://shop.test:" + https + "/cart?item=7\r\n") !=
        std::string::npos);
  CHECK(head.out.find("Strict-Transport-Security") == std::string::npos);

  const auto secure =
      run({"curl", "-sk", "-i", "--max-time", "10", "--resolve",
           "shop.test:" + https + ":127.0.0.1", "https://shop.test:" + https + "/"});
  INFO(secure.err);
  CHECK(secure.exit_code == 0);
  CHECK(secure.out.rfind("HTTP/1.1 200 OK\r\n", 0) == 0);
  CHECK(secure.out.find("\r\nStrict-Transport-Security: max-age=31536000\r\n") !=
        std::string::npos);
  CHECK(secure.out.find("\r\n\r\nfrontend\n") != std::string::npos);
}

}  // namespace gw::test
