#include "tests/integration/https_story.hpp"

#include <catch2/catch.hpp>

namespace gw::test {

HttpsStory::HttpsStory(const std::vector<std::string>& pebble_settings, HttpsPort https_port)
    : pebble(pebble_settings),
      https(https_port == HttpsPort::kTlsAlpn01 ? pebble.tlsAlpn01Port() : freePort()) {
  REQUIRE(gw.gw({"install"}).exit_code == 0);
  REQUIRE(gw.gw({"service", "add", "frontend", "--endpoint", frontend.endpoint()}).exit_code == 0);
  REQUIRE(gw.gw({"gateway", "create", "shop-ingress", "--address", "127.0.0.1", "--port",
                 "http:" + std::to_string(pebble.http01Port()), "--port",
                 "https:" + std::to_string(https)})
              .exit_code == 0);
  REQUIRE(gw.gw({"route", "add", "shop", "--gateway", "shop-ingress", "--host", "shop.test",
                 "--host", "www.shop.test", "--to", "frontend"})
              .exit_code == 0);
  REQUIRE(waitForPort(https));
}

std::vector<std::string> HttpsStory::issueArgs() const {
  return {"cert",
          "issue",
          "--gateway",
          "shop-ingress",
          "--issuer",
          "acme",
          "--email",
          "ops@shop.test",
          "--acme-directory",
          pebble.env("PEBBLE_DIRECTORY_URL"),
          "--acme-ca-file",
          pebble.env("PEBBLE_API_CA")};
}

RunResult HttpsStory::issue(const std::vector<std::string>& domains,
                            const std::vector<std::string>& extra) const {
  std::vector<std::string> args = issueArgs();
  args.insert(args.end(), {"--name", "shop"});
  for (const auto& domain : domains) {
    args.insert(args.end(), {"--domain", domain});
  }
  args.insert(args.end(), extra.begin(), extra.end());
  return gw.gw(args);
}

RunResult HttpsStory::curl(const std::string& host, const std::filesystem::path& ca) const {
  const auto port = std::to_string(https);
  return run({"curl", "-sS", "--max-time", "10", "--cacert", ca.string(), "--resolve",
              host + ":" + port + ":127.0.0.1", "https://" + host + ":" + port + "/"});
}

std::string HttpsStory::servedSerial(const std::string& host) const {
  const auto served =
      run({"sh", "-c",
           "openssl s_client -connect 127.0.0.1:" + std::to_string(https) + " -servername " + host +
               " </dev/null 2>/dev/null | openssl x509 -noout -serial"},
          {}, "", 20s);
  const auto eq = served.out.find('=');
  if (served.exit_code != 0 || eq == std::string::npos) {
    return "";
  }
  std::string serial = served.out.substr(eq + 1);
  while (!serial.empty() && (serial.back() == '\n' || serial.back() == '\r')) {
    serial.pop_back();
  }
  return serial;
}

std::string HttpsStory::servedChain(const std::string& host) const {
  const auto served =
      run({"sh", "-c",
           "openssl s_client -showcerts -connect 127.0.0.1:" + std::to_string(https) +
               " -servername " + host + " </dev/null"},
          {}, "", 20s);
  const std::string begin = "-----BEGIN CERTIFICATE-----";
  const std::string end = "-----END CERTIFICATE-----\n";
  std::string chain;
  for (auto at = served.out.find(begin); at != std::string::npos;
       at = served.out.find(begin, at + 1)) {
    const auto stop = served.out.find(end, at);
    if (stop == std::string::npos) {
      break;
    }
    chain += served.out.substr(at, stop + end.size() - at);
  }
  return chain;
}

}  // namespace gw::test
