// Services reached over TLS whose handshake fails: a certificate from another CA, for another
// name, or self-signed. The client gets 502 upstream_tls, the log says why once, retries and
// outlier detection take it as a connect failure, and health checks see it too.

#include <catch2/catch.hpp>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/proxy/support/admin_status.hpp"
#include "tests/proxy/upstream/upstream_tls_support.hpp"
#include "tests/support/eventually.hpp"
#include "tests/support/process.hpp"

namespace gw::test {
namespace {

constexpr const char* kUnknownIssuer =
    "TLS handshake failed: certificate verify failed: unable to get local issuer certificate";

}  // namespace

TEST_CASE("a certificate from an unknown CA is 502 upstream_tls, logged once with why",
          "[upstream][tls]") {
  TlsUpstreamSetup setup;
  const TestCa other;
  other.issue(setup.dir.path(), "foreign", {"billing.test"});
  // The leaf alone, as most servers send it: with its CA in the chain OpenSSL would say
  // "self-signed certificate in certificate chain".
  const auto leaf = setup.dir.path() / "foreign/leaf.pem";
  const std::string chain = readText(setup.dir.path() / "foreign/cert.pem");
  const std::string end = "-----END CERTIFICATE-----\n";
  writeText(leaf, chain.substr(0, chain.find(end) + end.size()));
  TlsBackend backend(leaf, setup.dir.path() / "foreign/key.pem");
  const auto log_path = setup.dir.path() / "access.log";
  const StderrCapture stderr_text;
  {
    ProxyUnderTest proxy(setup.config(backend.endpoint(), setup.trusting("billing.test")), 2,
                         log_path.string());
    HttpClient client(setup.port);
    for (int i = 0; i < 3; ++i) {
      const Reply reply = client.get("shop.test");
      CHECK(reply.status == 502);
      CHECK(reply.header("x-gw-error") == "upstream_tls");
      CHECK(reply.body == "upstream TLS handshake failed\n");
    }
    CHECK(eventually([&] { return backend.failedHandshakes() == 3; }, 5s));
    CHECK(backend.requests() == 0);
  }  // stopping flushes the access log
  const std::string log = stderr_text.text();
  INFO(log);
  CHECK(
      occurrences(log, "service billing endpoint " + backend.endpoint() + ": " + kUnknownIssuer) ==
      1);  // three failures, one line: at most one a minute per endpoint
  CHECK(occurrences(readText(log_path), R"("error":"upstream_tls")") == 3);
}

TEST_CASE("a certificate for another name is 502 upstream_tls", "[upstream][tls]") {
  TlsUpstreamSetup setup;
  const auto backend = setup.backend("billing", {"billing.test"});
  const StderrCapture stderr_text;
  ProxyUnderTest proxy(setup.config(backend->endpoint(), setup.trusting("payments.test")));
  HttpClient client(setup.port);
  const Reply reply = client.get("shop.test");
  CHECK(reply.status == 502);
  CHECK(reply.header("x-gw-error") == "upstream_tls");
  CHECK(backend->requests() == 0);
  // Logged before the answer went out.
  CHECK(occurrences(stderr_text.text(), "certificate verify failed: hostname mismatch") == 1);
}

TEST_CASE("verify false takes a self-signed certificate that verification refuses",
          "[upstream][tls]") {
  TlsUpstreamSetup setup;
  selfSigned(setup.dir.path() / "self", {"billing.test"});
  TlsBackend backend(setup.dir.path() / "self/cert.pem", setup.dir.path() / "self/key.pem",
                     "self-signed");
  core::Config config = setup.config(backend.endpoint(), {"billing.test", "", false});
  ProxyUnderTest proxy(config);
  HttpClient client(setup.port);
  const Reply accepted = client.get("shop.test");
  CHECK(accepted.status == 200);
  CHECK(accepted.body == "self-signed\n");

  config.services[0].tls = setup.trusting("billing.test");  // the private CA did not sign it
  proxy.setConfig(config);
  REQUIRE(proxy.server().reload());
  // Neither the pooled connection nor the session made without verification is used again.
  const Reply refused = client.get("shop.test");
  CHECK(refused.status == 502);
  CHECK(refused.header("x-gw-error") == "upstream_tls");
}

TEST_CASE("a failed TLS handshake is a connect failure to retries and outlier detection",
          "[upstream][tls]") {
  TlsUpstreamSetup setup;
  const auto good = setup.backend("good", {"billing.test"});
  const TestCa other;
  other.issue(setup.dir.path(), "bad", {"billing.test"});
  TlsBackend bad(setup.dir.path() / "bad/cert.pem", setup.dir.path() / "bad/key.pem", "bad");
  core::Config config = setup.config(good->endpoint(), setup.trusting("billing.test"));
  config.services[0].endpoints.push_back(core::Endpoint{bad.endpoint(), 1});

  SECTION("a retry on connect-failure goes to the other endpoint") {
    config.routes[0].retries.attempts = 1;
    config.routes[0].retries.on = {"connect-failure"};
    ProxyUnderTest proxy(config, 1);
    HttpClient client(setup.port);
    for (int i = 0; i < 6; ++i) {
      const Reply reply = client.get("shop.test");
      CHECK(reply.status == 200);
      CHECK(reply.body == "good\n");
    }
    CHECK(bad.failedHandshakes() >= 1);
  }
  SECTION("consecutive failed handshakes eject the endpoint") {
    core::OutlierDetection outliers;
    outliers.consecutive_5xx = 0;
    outliers.consecutive_connect_failures = 2;
    config.services[0].outlier_detection = outliers;
    ProxyUnderTest proxy(config, 1);
    HttpClient client(setup.port);
    std::map<std::string, int> seen;
    for (int i = 0; i < 20; ++i) {
      const Reply reply = client.get("shop.test");
      ++seen[reply.status == 200 ? reply.body : reply.header("x-gw-error")];
    }
    CHECK(seen["upstream_tls"] == 2);  // then it is out
    CHECK(seen["good\n"] == 18);
    CHECK(endpointStatus(proxy, "billing", bad.endpoint())["ejected"] == true);
  }
}

TEST_CASE("health checks of a service over TLS verify it too, and mark it up once it passes",
          "[upstream][tls][health]") {
  TlsUpstreamSetup setup;
  const auto backend = setup.backend("billing", {"billing.test"});
  const TestCa other;
  core::Config config =
      setup.config(backend->endpoint(), {"billing.test", other.rootFile().string(), true});
  core::HealthCheck check;
  check.path = "/healthz";
  check.interval = 100ms;
  check.timeout = 1s;
  check.healthy_threshold = 1;
  check.unhealthy_threshold = 1;
  config.services[0].health_check = check;
  ProxyUnderTest proxy(config);
  const std::string endpoint = backend->endpoint();
  REQUIRE(eventually([&] { return endpointStatus(proxy, "billing", endpoint)["healthy"] == false; },
                     5s));
  CHECK(backend->requests() == 0);  // the probes never got past the handshake

  config.services[0].tls = setup.trusting("billing.test");
  proxy.setConfig(config);
  REQUIRE(proxy.server().reload());
  REQUIRE(eventually([&] { return endpointStatus(proxy, "billing", endpoint)["healthy"] == true; },
                     5s));
  CHECK(backend->requests() >= 1);  // probes, over TLS
  HttpClient client(setup.port);
  CHECK(client.get("shop.test").body == "billing\n");
}

}  // namespace gw::test
