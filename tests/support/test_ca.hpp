#pragma once
// Certificates for tests, made with the openssl command line: a throw-away CA, and leaf
// certificates it signs for some names, written where gw keeps certificates
// (<certs_dir>/<name>/cert.pem and key.pem).

#include <filesystem>
#include <string>
#include <vector>

#include "tests/support/process.hpp"

namespace gw::test {

enum class KeyType { kEcdsaP256, kRsa2048 };

class TestCa {
 public:
  TestCa();
  const std::filesystem::path& rootFile() const { return root_; }  // the CA's certificate

  // Writes <certs_dir>/<name>/cert.pem (leaf, then the CA) and key.pem for `dns_names` (IP
  // literals among them are IP addresses); returns the leaf's serial (hex, as openssl prints
  // it). Throws when openssl fails.
  std::string issue(const std::filesystem::path& certs_dir, const std::string& name,
                    const std::vector<std::string>& dns_names,
                    KeyType key = KeyType::kEcdsaP256) const;

 private:
  TempDir dir_;
  std::filesystem::path root_;
  std::filesystem::path key_;
};

// A self-signed certificate for `names` (the first is also its CN): <dir>/cert.pem and
// key.pem. Throws when openssl fails.
void selfSigned(const std::filesystem::path& dir, const std::vector<std::string>& names);

// The serial (hex) of the certificate in `pem_file`.
std::string serialOf(const std::filesystem::path& pem_file);

}  // namespace gw::test
