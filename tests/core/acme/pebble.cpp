#include "tests/core/acme/pebble.hpp"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <sstream>

namespace gw::test {

namespace {

std::map<std::string, std::string> readEnvFile(const std::filesystem::path& path) {
  std::map<std::string, std::string> out;
  std::istringstream lines(readText(path));
  std::string line;
  while (std::getline(lines, line)) {
    const auto eq = line.find('=');
    if (eq != std::string::npos) {
      out[line.substr(0, eq)] = line.substr(eq + 1);
    }
  }
  return out;
}

}  // namespace

std::filesystem::path pebbleTestenv() {
  if (const char* dir = std::getenv("GW_PEBBLE_TESTENV"); dir != nullptr && *dir != '\0') {
    return dir;
  }
  return GW_PEBBLE_TESTENV;
}

Pebble::Pebble(const std::vector<std::string>& settings) : state_(dir_.path() / "pebble") {
  const auto start = pebbleTestenv() / "start.sh";
  INFO("start.sh: " << start.string() << " (set GW_PEBBLE_TESTENV to move it)");
  REQUIRE(std::filesystem::exists(start));
  // start.sh picks its own free ports; a test running beside this one can take one of them
  // before Pebble binds it. That is the machine's race, not Pebble's answer: try again.
  RunResult started;
  for (int attempt = 0; attempt < 3; ++attempt) {
    started = run({start.string(), state_.string()}, settings, "", 60s);
    if (started.exit_code == 0 ||
        (started.out + started.err).find("address already in use") == std::string::npos) {
      break;
    }
    run({(pebbleTestenv() / "stop.sh").string(), state_.string()}, {}, "", 30s);
  }
  INFO("start.sh said: " << started.out << started.err);
  REQUIRE(started.exit_code == 0);
  env_ = readEnvFile(state_ / "env");
  REQUIRE(!env("PEBBLE_DIRECTORY_URL").empty());
}

Pebble::~Pebble() { run({(pebbleTestenv() / "stop.sh").string(), state_.string()}, {}, "", 30s); }

std::string Pebble::env(const std::string& key) const {
  const auto it = env_.find(key);
  return it == env_.end() ? std::string() : it->second;
}

std::uint16_t Pebble::http01Port() const {
  return static_cast<std::uint16_t>(std::stoi(env("PEBBLE_HTTP01_PORT")));
}

std::uint16_t Pebble::tlsAlpn01Port() const {
  return static_cast<std::uint16_t>(std::stoi(env("PEBBLE_TLSALPN01_PORT")));
}

acme::AcmeSettings Pebble::settings() const {
  acme::AcmeSettings s;
  s.directory_url = env("PEBBLE_DIRECTORY_URL");
  s.ca_file = env("PEBBLE_API_CA");
  s.request_timeout = 10s;
  s.connect_timeout = 5s;
  return s;
}

std::string Pebble::certificateStatus(const std::string& serial_hex) const {
  const RunResult r =
      run({"curl", "-sS", "--noproxy", "*", "--max-time", "10", "--cacert", env("PEBBLE_API_CA"),
           env("PEBBLE_MGMT_URL") + "/cert-status-by-serial/" + serial_hex});
  const auto at = r.out.find("\"Status\"");
  if (r.exit_code != 0 || at == std::string::npos) {
    return "curl: " + r.out + r.err;
  }
  const auto open = r.out.find('"', r.out.find(':', at) + 1);
  const auto close = r.out.find('"', open + 1);
  return r.out.substr(open + 1, close - open - 1);
}

bool Pebble::challtestsrv(const std::string& path, const std::string& json) const {
  const RunResult r =
      run({"curl", "-sS", "--noproxy", "*", "--max-time", "10", "-o", "/dev/null", "-w",
           "%{http_code}", "-X", "POST", "-d", json, env("PEBBLE_CTS_MGMT_URL") + path});
  return r.exit_code == 0 && r.out == "200";
}

std::string verifyChain(const std::string& chain_pem, const std::filesystem::path& root,
                        const std::filesystem::path& scratch) {
  const std::string begin = "-----BEGIN CERTIFICATE-----";
  const auto second = chain_pem.find(begin, begin.size());
  const auto leaf = scratch / "leaf.pem";
  const auto rest = scratch / "intermediates.pem";
  writeText(leaf, chain_pem.substr(0, second));
  std::vector<std::string> argv{"openssl", "verify", "-CAfile", root.string()};
  if (second != std::string::npos) {
    writeText(rest, chain_pem.substr(second));
    argv.insert(argv.end(), {"-untrusted", rest.string()});
  }
  argv.push_back(leaf.string());
  const RunResult r = run(argv);
  return r.exit_code == 0 ? std::string() : r.out + r.err;
}

}  // namespace gw::test
