#include "tests/support/test_ca.hpp"

#include <stdexcept>

namespace gw::test {
namespace {

std::string mustRun(const std::vector<std::string>& argv) {
  const RunResult result = run(argv, {}, "", 30s);
  if (result.exit_code != 0) {
    throw std::runtime_error(argv.front() + " " + argv.at(1) + " failed: " + result.err);
  }
  return result.out;
}

std::vector<std::string> keyOptions(KeyType key) {
  if (key == KeyType::kRsa2048) {
    return {"-newkey", "rsa:2048"};
  }
  return {"-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"};
}

// IP literals (only digits and dots, or a colon) go in as IP addresses.
std::string subjectAltName(const std::vector<std::string>& names) {
  std::string san = "subjectAltName=";
  for (std::size_t i = 0; i < names.size(); ++i) {
    const bool ip = names[i].find_first_not_of("0123456789.") == std::string::npos ||
                    names[i].find(':') != std::string::npos;
    san += std::string(i > 0 ? "," : "") + (ip ? "IP:" : "DNS:") + names[i];
  }
  return san;
}

}  // namespace

TestCa::TestCa() : root_(dir_.path() / "ca.pem"), key_(dir_.path() / "ca.key") {
  std::vector<std::string> argv{"openssl", "req", "-x509", "-nodes",
                                "-days",   "3",   "-subj", "/CN=gw test CA"};
  for (const auto& option : keyOptions(KeyType::kEcdsaP256)) {
    argv.push_back(option);
  }
  argv.insert(argv.end(), {"-keyout", key_.string(), "-out", root_.string()});
  mustRun(argv);
}

std::string TestCa::issue(const std::filesystem::path& certs_dir, const std::string& name,
                          const std::vector<std::string>& dns_names, KeyType key) const {
  const std::filesystem::path dir = certs_dir / name;
  std::filesystem::create_directories(dir);
  const auto key_file = dir / "key.pem";
  const auto request = dir_.path() / (name + ".csr");
  const auto leaf = dir_.path() / (name + ".pem");
  const auto extensions = dir_.path() / (name + ".ext");
  writeText(extensions, subjectAltName(dns_names) + "\n");
  std::vector<std::string> argv{"openssl", "req", "-nodes", "-subj", "/CN=" + dns_names.at(0)};
  for (const auto& option : keyOptions(key)) {
    argv.push_back(option);
  }
  argv.insert(argv.end(), {"-keyout", key_file.string(), "-out", request.string()});
  mustRun(argv);
  mustRun({"openssl", "x509", "-req", "-in", request.string(), "-CA", root_.string(), "-CAkey",
           key_.string(), "-CAcreateserial", "-days", "2", "-extfile", extensions.string(), "-out",
           leaf.string()});
  writeText(dir / "cert.pem", readText(leaf) + readText(root_));
  std::filesystem::permissions(
      key_file, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  return serialOf(leaf);
}

void selfSigned(const std::filesystem::path& dir, const std::vector<std::string>& names) {
  std::filesystem::create_directories(dir);
  std::vector<std::string> argv{"openssl", "req",
                                "-x509",   "-nodes",
                                "-days",   "2",
                                "-subj",   "/CN=" + names.at(0),
                                "-addext", subjectAltName(names)};
  for (const auto& option : keyOptions(KeyType::kEcdsaP256)) {
    argv.push_back(option);
  }
  argv.insert(argv.end(),
              {"-keyout", (dir / "key.pem").string(), "-out", (dir / "cert.pem").string()});
  mustRun(argv);
}

std::string serialOf(const std::filesystem::path& pem_file) {
  std::string out = mustRun({"openssl", "x509", "-noout", "-serial", "-in", pem_file.string()});
  // "serial=0123...\n"
  const auto equals = out.find('=');
  out = equals == std::string::npos ? out : out.substr(equals + 1);
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) {
    out.pop_back();
  }
  return out;
}

}  // namespace gw::test
