// A service reached over TLS, configured with the CLI as a user would, and fetched with curl
// through the running gateway; then a name the certificate does not show, and what the
// client and the proxy's log say about it.

#include <catch2/catch.hpp>

#include "tests/integration/gw_home.hpp"
#include "tests/proxy/support/tls_backend.hpp"
#include "tests/support/eventually.hpp"
#include "tests/support/test_ca.hpp"

namespace gw::test {

TEST_CASE("gw service add --tls reaches a backend with a private CA, curl gets its answer",
          "[upstream-tls]") {
  const TestCa ca;
  const TempDir certs;
  ca.issue(certs.path(), "billing", {"billing.test"});
  TlsBackend backend(certs.path() / "billing/cert.pem", certs.path() / "billing/key.pem",
                     "billing");
  GwHome gw;
  const auto port = freePort();
  REQUIRE(gw.gw({"install"}).exit_code == 0);
  REQUIRE(gw.createEdge(port).exit_code == 0);
  auto added = gw.gw({"service", "add", "billing", "--endpoint", backend.endpoint(), "--tls",
                      "--tls-ca-file", ca.rootFile().string(), "--tls-sni", "billing.test"});
  INFO(added.err);
  REQUIRE(added.exit_code == 0);
  REQUIRE(gw.gw({"route", "add", "billing", "--gateway", "edge", "--host", "shop.test", "--to",
                 "billing"})
              .exit_code == 0);
  REQUIRE(waitForPort(port));

  const std::string url = "http://127.0.0.1:" + std::to_string(port) + "/invoices";
  const auto answer = run({"curl", "-sS", "--max-time", "10", "-H", "Host: shop.test", "-i", url});
  INFO(answer.err);
  REQUIRE(answer.exit_code == 0);
  CHECK(answer.out.starts_with("HTTP/1.1 200"));
  CHECK(answer.out.ends_with("\r\n\r\nbilling\n"));
  CHECK(backend.serverNames() == std::vector<std::string>{"billing.test"});

  // A name the certificate does not show: refused, and the log says why.
  REQUIRE(gw.gw({"service", "update", "billing", "--tls-sni", "payments.test"}).exit_code == 0);
  const auto refused = run({"curl", "-sS", "--max-time", "10", "-H", "Host: shop.test", "-i", url});
  REQUIRE(refused.exit_code == 0);
  CHECK(refused.out.starts_with("HTTP/1.1 502"));
  CHECK(refused.out.find("x-gw-error: upstream_tls\r\n") != std::string::npos);
  CHECK(eventually(
      [&] {
        return readText(gw.file("proxy.log"))
                   .find("service billing endpoint " + backend.endpoint() +
                         ": TLS handshake failed: certificate verify failed: hostname mismatch") !=
               std::string::npos;
      },
      5s));
}

}  // namespace gw::test
