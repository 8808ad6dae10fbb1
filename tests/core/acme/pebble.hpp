#pragma once
// A private Pebble (Let's Encrypt's test CA) and pebble-challtestsrv per test case, started
// with ../shared/testenv/pebble/start.sh into the test's own temporary folder and stopped
// with stop.sh when the object dies. A missing pebble fails the test: scripts/setup
// installs it.

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "core/acme/client.hpp"
#include "tests/support/process.hpp"

namespace gw::test {

class Pebble {
 public:
  // `settings` are start.sh's knobs, "PEBBLE_EAB_REQUIRED=1" and the like.
  explicit Pebble(const std::vector<std::string>& settings = {});
  ~Pebble();
  Pebble(const Pebble&) = delete;
  Pebble& operator=(const Pebble&) = delete;

  // A value of the env file start.sh wrote ("PEBBLE_DIRECTORY_URL", ...).
  std::string env(const std::string& key) const;
  std::uint16_t http01Port() const;
  std::uint16_t tlsAlpn01Port() const;
  std::filesystem::path rootCa() const { return env("PEBBLE_ROOT_CA"); }
  std::filesystem::path intermediateCa() const { return env("PEBBLE_INTERMEDIATE_CA"); }
  const std::filesystem::path& folder() const { return dir_.path(); }

  acme::AcmeSettings settings() const;

  // Pebble's management API: "Valid" or "Revoked" for a serial in hex.
  std::string certificateStatus(const std::string& serial_hex) const;
  // POST `json` to challtestsrv's management API (`path` like "/set-txt"); true on HTTP 200.
  bool challtestsrv(const std::string& path, const std::string& json) const;

 private:
  TempDir dir_;
  std::filesystem::path state_;
  std::map<std::string, std::string> env_;
};

// openssl verify -CAfile root -untrusted <the chain's other certificates> <leaf>: "" when
// the chain verifies, else openssl's output.
std::string verifyChain(const std::string& chain_pem, const std::filesystem::path& root,
                        const std::filesystem::path& scratch);

// The folder of start.sh: $GW_PEBBLE_TESTENV, else the path CMake compiled in.
std::filesystem::path pebbleTestenv();

}  // namespace gw::test
