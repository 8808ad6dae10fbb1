#pragma once
// The HTTPS story's set-up, shared by the https tests: a private Pebble, a frontend, a gw
// home with gateway "shop-ingress" whose http listener is the port Pebble validates HTTP-01
// on (80 in production) and whose https listener is on a free port or the one Pebble
// validates TLS-ALPN-01 on (443 in production), and route "shop" for shop.test and
// www.shop.test.

#include <string>
#include <vector>

#include "tests/core/acme/pebble.hpp"
#include "tests/integration/gw_home.hpp"

namespace gw::test {

enum class HttpsPort { kFree, kTlsAlpn01 };

struct HttpsStory {
  // `pebble_settings`: start.sh's knobs, e.g. "PEBBLE_CERT_VALIDITY_SECONDS=30".
  explicit HttpsStory(const std::vector<std::string>& pebble_settings = {},
                      HttpsPort https_port = HttpsPort::kFree);

  // gw cert issue --gateway shop-ingress and Pebble's directory and account flags, without
  // --name or --domain.
  std::vector<std::string> issueArgs() const;
  // gw cert issue --name shop ... against Pebble, for `domains`.
  RunResult issue(const std::vector<std::string>& domains,
                  const std::vector<std::string>& extra = {}) const;
  // curl https://HOST:https/ trusting `ca`.
  RunResult curl(const std::string& host, const std::filesystem::path& ca) const;
  // The serial (hex, as openssl prints it) of the certificate the https listener serves
  // for SNI `host`; "" when the handshake fails.
  std::string servedSerial(const std::string& host) const;
  // The chain (PEM) the https listener serves for SNI `host`; "" when the handshake fails.
  std::string servedChain(const std::string& host) const;

  Pebble pebble;
  EchoBackend frontend{"frontend"};
  GwHome gw;
  std::uint16_t https;
};

}  // namespace gw::test
