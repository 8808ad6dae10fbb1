#include <catch2/catch.hpp>

#include "tests/proxy/support/harness.hpp"
#include "tests/support/process.hpp"

namespace gw::test {

TEST_CASE("an https listener without a certificate refuses TLS cleanly and fast", "[proxy][tls]") {
  EchoBackend backend("alpha");
  const auto http_port = freePort();
  const auto https_port = freePort();
  core::Config config;
  config.gateways.push_back(makeGateway(
      "edge", {{core::Protocol::kHttp, http_port}, {core::Protocol::kHttps, https_port}}));
  config.services.push_back(makeService("alpha", {backend.endpoint()}));
  config.routes.push_back(makeRoute("all", "edge", {"*"}, {{"alpha", 100}}));
  // A listener that answers TLS-ALPN-01 challenges refuses every other handshake the same.
  const bool answers_challenges = GENERATE(false, true);
  INFO("answers challenges: " << answers_challenges);
  const TempDir acme;
  ProxyUnderTest proxy(config, 2, "", "", answers_challenges ? acme.path().string() : "");

  for (int i = 0; i < 3; ++i) {
    const auto started = std::chrono::steady_clock::now();
    const auto result = run({"curl", "-sk", "--max-time", "10", "-o", "/dev/null",
                             "https://127.0.0.1:" + std::to_string(https_port) + "/"});
    CHECK(result.exit_code == 35);  // CURLE_SSL_CONNECT_ERROR: the handshake was refused
    CHECK(std::chrono::steady_clock::now() - started < 3s);
  }
  // Plain HTTP on the TLS port is not served either, and nothing breaks.
  CHECK(rawExchange(https_port, "GET / HTTP/1.1\r\nHost: a\r\n\r\n", 3s).empty());
  CHECK(HttpClient(http_port).get("a.test").body == "alpha\n");

  bool https_listed = false;
  for (const auto& listener : proxy.server().listeners()) {
    https_listed |= listener.protocol == core::Protocol::kHttps && listener.port == https_port;
  }
  CHECK(https_listed);
}

}  // namespace gw::test
