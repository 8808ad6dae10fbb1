// A gateway with httpsRedirect: its http listeners send every request to its first https
// listener (301 for GET and HEAD, 308 for the rest), except the ACME HTTP-01 challenges,
// which are still answered over http.

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <sstream>

#include "proxy/snapshot/gateway_https.hpp"
#include "tests/proxy/support/harness.hpp"
#include "tests/support/process.hpp"

namespace gw::test {
namespace {

struct RedirectSetup {
  EchoBackend backend{"alpha"};
  std::uint16_t http_port = freePort();
  std::uint16_t https_port = freePort();
  core::Config config;

  RedirectSetup() {
    config.gateways.push_back(makeGateway(
        "edge", {{core::Protocol::kHttp, http_port}, {core::Protocol::kHttps, https_port}}));
    config.gateways[0].https_redirect = true;
    config.services.push_back(makeService("alpha", {backend.endpoint()}));
    config.routes.push_back(makeRoute("all", "edge", {"*"}, {{"alpha", 100}}));
  }

  std::string https(const std::string& host, const std::string& rest) const {
    return "https://" + host + ":" + std::to_string(https_port) + rest;
  }
};

}  // namespace

TEST_CASE("httpsRedirect: GET and HEAD get 301, other methods 308, to the https listener",
          "[proxy][https-redirect]") {
  RedirectSetup setup;
  ProxyUnderTest proxy(setup.config);
  HttpClient client(setup.http_port);

  const Reply get = client.get("shop.test:" + std::to_string(setup.http_port), "/a/b?x=1&y=%20z");
  CHECK(get.status == 301);
  CHECK(get.header("location") == setup.https("shop.test", "/a/b?x=1&y=%20z"));
  CHECK(get.header("x-gw-error").empty());
  CHECK(get.header("strict-transport-security").empty());  // never on http
  CHECK(get.keep_alive);

  const Reply head = client.request("HEAD", "shop.test", "/");
  CHECK(head.status == 301);
  CHECK(head.header("location") == setup.https("shop.test", "/"));

  const Reply post = client.request("POST", "shop.test", "/orders?id=7", {}, "{\"n\":1}");
  CHECK(post.status == 308);
  CHECK(post.header("location") == setup.https("shop.test", "/orders?id=7"));
  CHECK(post.body == "redirecting to " + setup.https("shop.test", "/orders?id=7") + "\n");

  CHECK(client.request("DELETE", "shop.test", "/x").status == 308);
  CHECK(client.get("[::1]:80", "/v6").header("location") == setup.https("[::1]", "/v6"));
  // An absolute-form target keeps its path and query; the Host header names the host.
  CHECK(client.get("shop.test", "http://shop.test/abs?q=1").header("location") ==
        setup.https("shop.test", "/abs?q=1"));

  // The https listener itself is not redirected (it has no certificate here: TLS refused,
  // not a 301 in plain text).
  CHECK(rawExchange(setup.https_port, "GET / HTTP/1.1\r\nHost: a\r\n\r\n", 3s).find("301") ==
        std::string::npos);
}

TEST_CASE("httpsRedirect: a request without a Host is answered 400", "[proxy][https-redirect]") {
  RedirectSetup setup;
  ProxyUnderTest proxy(setup.config);
  const std::string answer =
      rawExchange(setup.http_port, "GET /x HTTP/1.0\r\nUser-Agent: t\r\n\r\n", 3s);
  CHECK(answer.rfind("HTTP/1.0 400 ", 0) == 0);
  CHECK(answer.find("location") == std::string::npos);
  CHECK(rawExchange(setup.http_port, "GET /x HTTP/1.0\r\nHost: shop.test\r\n\r\n", 3s)
            .rfind("HTTP/1.0 301 ", 0) == 0);
}

TEST_CASE("httpsRedirect leaves the ACME challenges to the HTTP-01 responder",
          "[proxy][https-redirect]") {
  RedirectSetup setup;
  TempDir acme;
  const std::string token = "tok_ABC-123";
  std::filesystem::create_directories(acme.path() / "http-01");
  writeText(acme.path() / "http-01" / token, "tok_ABC-123.thumbprint\n");
  ProxyUnderTest proxy(setup.config, 1, "", "", acme.path().string());
  HttpClient client(setup.http_port);

  const Reply challenge = client.get("shop.test", "/.well-known/acme-challenge/" + token);
  CHECK(challenge.status == 200);
  CHECK(challenge.body == "tok_ABC-123.thumbprint");
  CHECK(challenge.header("location").empty());
  // A token with no answer pending is an ordinary request: redirected.
  CHECK(client.get("shop.test", "/.well-known/acme-challenge/other").status == 301);
}

TEST_CASE("httpsRedirect is named in the access log and turned off by a reload",
          "[proxy][https-redirect]") {
  RedirectSetup setup;
  TempDir dir;
  const auto log_path = dir.path() / "access.log";
  {
    ProxyUnderTest proxy(setup.config, 1, log_path.string());
    REQUIRE(HttpClient(setup.http_port).request("PUT", "shop.test", "/p", {}, "x").status == 308);
    setup.config.gateways[0].https_redirect = false;
    proxy.setConfig(setup.config);
    REQUIRE(proxy.server().reload());
    const Reply plain = HttpClient(setup.http_port).get("shop.test", "/p");
    CHECK(plain.status == 200);
    CHECK(plain.body == "alpha\n");
  }  // stopping flushes
  std::istringstream lines(readText(log_path));
  std::string line;
  REQUIRE(std::getline(lines, line));
  const auto entry = nlohmann::json::parse(line);
  CHECK(entry["status"] == 308);
  CHECK(entry["error"] == "https_redirect");
  CHECK(entry["method"] == "PUT");
  REQUIRE(std::getline(lines, line));
  CHECK(nlohmann::json::parse(line)["error"].get<std::string>().empty());
}

TEST_CASE("the redirect's Location leaves out port 443 and keeps any other", "[proxy][https]") {
  core::Gateway gateway = makeGateway(
      "edge",
      {{core::Protocol::kHttp, 80}, {core::Protocol::kHttps, 443}, {core::Protocol::kHttps, 8443}});
  CHECK_FALSE(proxy::gatewayHttps(gateway).redirect);  // off
  gateway.https_redirect = true;
  auto https = proxy::gatewayHttps(gateway);
  REQUIRE(https.redirect);
  CHECK_FALSE(https.hsts);
  CHECK(https.redirect->location("http", "shop.test:80", "/a?b=c") == "https://shop.test/a?b=c");
  CHECK(https.redirect->location("http", "shop.test", "/") == "https://shop.test/");
  std::swap(gateway.listeners[1], gateway.listeners[2]);  // the first https listener counts
  https = proxy::gatewayHttps(gateway);
  CHECK(https.redirect->location("http", "shop.test:80", "/a") == "https://shop.test:8443/a");
  gateway.listeners.resize(1);  // no https listener: nowhere to send them
  CHECK_FALSE(proxy::gatewayHttps(gateway).redirect);
}

TEST_CASE("the HSTS value says max-age, then includeSubDomains and preload when set",
          "[proxy][https]") {
  CHECK(proxy::hstsValue(core::Hsts{std::chrono::seconds(31'536'000), false, false}) ==
        "max-age=31536000");
  CHECK(proxy::hstsValue(core::Hsts{std::chrono::seconds(63'072'000), true, true}) ==
        "max-age=63072000; includeSubDomains; preload");
  CHECK(proxy::hstsValue(core::Hsts{std::chrono::seconds(0), true, false}) ==
        "max-age=0; includeSubDomains");
}

}  // namespace gw::test
