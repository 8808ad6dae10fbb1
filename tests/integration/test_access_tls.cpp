// Client certificates (mTLS) and JWTs through the real binary: a test CA made at run time
// signs the client's certificate, a JWT provider's keys come from a JWKS URL served by a
// real HTTP server on 127.0.0.1, and curl is the client.

#include <catch2/catch.hpp>
#include <ctime>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "tests/core/jose/signer.hpp"
#include "tests/integration/gw_home.hpp"
#include "tests/support/ports.hpp"

using namespace gw::test;

namespace {

// A client CA and a certificate it signs for CN=acme-client, SAN DNS:client.acme.test.
struct ClientPki {
  TempDir dir;
  std::filesystem::path ca() const { return dir.path() / "ca.pem"; }
  std::filesystem::path cert() const { return dir.path() / "client.pem"; }
  std::filesystem::path key() const { return dir.path() / "client.key"; }

  ClientPki() {
    const auto at = [&](const char* name) { return (dir.path() / name).string(); };
    writeText(dir.path() / "ext", "subjectAltName=DNS:client.acme.test\n");
    for (const std::vector<std::string>& step : std::vector<std::vector<std::string>>{
             {"openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
              "-nodes", "-keyout", at("ca.key"), "-out", at("ca.pem"), "-days", "2", "-subj",
              "/CN=gw test client CA"},
             {"openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
              "-keyout", at("client.key"), "-out", at("client.csr"), "-subj", "/CN=acme-client"},
             {"openssl", "x509", "-req", "-in", at("client.csr"), "-CA", at("ca.pem"), "-CAkey",
              at("ca.key"), "-CAcreateserial", "-out", at("client.pem"), "-days", "1", "-extfile",
              at("ext")}}) {
      REQUIRE(run(step).exit_code == 0);
    }
  }
};

// curl over https to shop.test on `port`, with `extra` arguments; "STATUS" or "000".
std::string httpsStatus(std::uint16_t port, std::vector<std::string> extra = {}) {
  const std::string p = std::to_string(port);
  std::vector<std::string> argv{
      "curl",         "-sk",        "-o", "/dev/null", "-w",
      "%{http_code}", "--max-time", "10", "--resolve", "shop.test:" + p + ":127.0.0.1"};
  argv.insert(argv.end(), extra.begin(), extra.end());
  argv.push_back("https://shop.test:" + p + "/");
  return run(argv).out;
}

}  // namespace

TEST_CASE("a client certificate from the gateway's CA names its consumer", "[access][mtls]") {
  ClientPki pki;
  EchoBackend backend("app");
  GwHome gw;
  const auto http = freePort();
  const auto https = freePort();
  REQUIRE(gw.gw({"install"}).exit_code == 0);
  REQUIRE(gw.gw({"service", "add", "app", "--endpoint", backend.endpoint()}).exit_code == 0);
  REQUIRE(gw.gw({"gateway", "create", "edge", "--port", "http:" + std::to_string(http), "--port",
                 "https:" + std::to_string(https), "--client-ca", pki.ca().string()})
              .exit_code == 0);
  REQUIRE(gw.gw({"route", "add", "shop", "--gateway", "edge", "--host", "shop.test", "--to", "app",
                 "--auth", "mtls"})
              .exit_code == 0);
  REQUIRE(
      gw.gw({"cert", "issue", "--domain", "shop.test", "--gateway", "edge", "--issuer", "internal"})
          .exit_code == 0);
  REQUIRE(gw.gw({"consumer", "add", "acme", "--certificate", "CN=acme-client"}).exit_code == 0);
  REQUIRE(waitForPort(https));
  const std::vector<std::string> with_cert{"--cert", pki.cert().string(), "--key",
                                           pki.key().string()};

  CHECK(httpsStatus(https) == "401");  // no certificate: no credential
  CHECK(httpsStatus(https, with_cert) == "200");

  // The subjectAltName works as well; a certificate that names nobody is refused.
  REQUIRE(
      gw.gw({"consumer", "update", "acme", "--certificate", "dns:client.acme.test"}).exit_code ==
      0);
  CHECK(httpsStatus(https, with_cert) == "200");
  REQUIRE(gw.gw({"consumer", "update", "acme", "--certificate", "dns:other.test"}).exit_code == 0);
  CHECK(httpsStatus(https, with_cert) == "401");

  // require: no handshake without a certificate; one from another CA fails the handshake.
  REQUIRE(gw.gw({"gateway", "update", "edge", "--client-certificates", "require"}).exit_code == 0);
  CHECK(httpsStatus(https) == "000");
  ClientPki stranger;
  CHECK(httpsStatus(https, {"--cert", stranger.cert().string(), "--key",
                            stranger.key().string()}) == "000");
}

TEST_CASE("a JWT provider's keys come from its JWKS URL and its tokens name consumers",
          "[access][jwt]") {
  namespace sign = gw::jose::test;
  TempDir jwks_dir;
  writeText(jwks_dir.path() / "jwks.json",
            nlohmann::json{{"keys", {sign::publicJwk(sign::p256().get(), "k1")}}}.dump());
  const auto jwks_port = freePort();
  auto jwks_server =
      Process::spawn({"python3", "-m", "http.server", std::to_string(jwks_port), "--bind",
                      "127.0.0.1", "--directory", jwks_dir.path().string()});
  REQUIRE(waitForPort(jwks_port));

  EchoBackend backend("app");
  GwHome gw;
  const auto port = freePort();
  REQUIRE(gw.gw({"install"}).exit_code == 0);
  REQUIRE(gw.gw({"service", "add", "app", "--endpoint", backend.endpoint()}).exit_code == 0);
  REQUIRE(gw.createEdge(port).exit_code == 0);
  REQUIRE(gw.gw({"jwt-provider", "add", "corp", "--issuer", "https://id.shop.test/", "--audience",
                 "shop", "--algorithm", "ES256", "--jwks-url",
                 "http://127.0.0.1:" + std::to_string(jwks_port) + "/jwks.json", "--claim-header",
                 "sub=x-user"})
              .exit_code == 0);
  REQUIRE(gw.gw({"consumer", "add", "acme", "--group", "paid", "--jwt", "corp:user-1"}).exit_code ==
          0);
  REQUIRE(gw.gw({"route", "add", "shop", "--gateway", "edge", "--host", "shop.test", "--to", "app",
                 "--auth", "jwt:corp", "--allow-group", "paid"})
              .exit_code == 0);
  REQUIRE(waitForPort(port));

  const auto now = static_cast<std::int64_t>(std::time(nullptr));
  const auto token = [&](const std::string& sub, std::int64_t exp) {
    return sign::token(
        gw::jose::Alg::kES256, sign::p256().get(),
        {{"iss", "https://id.shop.test/"}, {"aud", "shop"}, {"sub", sub}, {"exp", now + exp}},
        "k1");
  };
  const auto bearer = [](const std::string& t) {
    return std::vector<std::string>{"-H", "Authorization: Bearer " + t};
  };
  auto ok = httpGet(port, "shop.test", "/_echo", bearer(token("user-1", 600)));
  REQUIRE(ok.status == 200);
  const auto seen = nlohmann::json::parse(ok.body)["headers"];
  CHECK(seen["x-gw-consumer"] == "acme");
  CHECK(seen["x-user"] == "user-1");
  CHECK_FALSE(seen.contains("authorization"));

  auto expired = httpGet(port, "shop.test", "/_echo", bearer(token("user-1", -600)));
  CHECK(expired.status == 401);
  CHECK(expired.header("x-gw-error") == "auth_expired");
  auto stranger = httpGet(port, "shop.test", "/_echo", bearer(token("user-2", 600)));
  CHECK(stranger.status == 403);  // a valid token, but no consumer in group paid
  CHECK(stranger.header("x-gw-error") == "forbidden");
  auto missing = httpGet(port, "shop.test", "/_echo");
  CHECK(missing.status == 401);
  CHECK(missing.header("www-authenticate").find("Bearer") != std::string::npos);

  // A provider nothing else uses cannot be deleted while the route takes its tokens.
  auto refused = gw.gw({"jwt-provider", "delete", "corp"});
  CHECK(refused.exit_code != 0);
  CHECK(refused.err.find("route shop") != std::string::npos);
}
