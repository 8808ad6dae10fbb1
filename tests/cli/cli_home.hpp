#pragma once
// A throwaway gw home and a way to run the real gw binary against it.

#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/process.hpp"

namespace gw::test {

class CliHome {
 public:
  const std::filesystem::path& path() const { return dir_.path(); }

  // Runs `gw ARGS` with GW_HOME set to this home and colours off.
  RunResult gw(const std::vector<std::string>& args, const std::string& input = "") const {
    std::vector<std::string> argv{GW_BINARY};
    argv.insert(argv.end(), args.begin(), args.end());
    return run(argv, {"GW_HOME=" + path().string(), "NO_COLOR=1"}, input);
  }

  // config.yaml as saved ("" when there is none).
  std::string config() const {
    auto file = path() / "config.yaml";
    return std::filesystem::exists(file) ? readText(file) : "";
  }

  // The seed story's objects: two services, one gateway, one route.
  void seed() const {
    gw({"service", "add", "frontend", "--endpoint", "127.0.0.1:9001"});
    gw({"service", "add", "frontendv2", "--endpoint", "127.0.0.1:9002"});
    gw({"gateway", "create", "shop-ingress", "--port", "http:8080", "--port", "https:8443"});
    gw({"route", "add", "shop", "--gateway", "shop-ingress", "--host", "shop.test", "--to",
        "frontend"});
  }

 private:
  TempDir dir_;
};

// Runs gw without a home of its own (for --help, completion, version).
inline RunResult gwRun(const std::vector<std::string>& args) {
  std::vector<std::string> argv{GW_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  return run(argv, {"NO_COLOR=1"});
}

// Every command as its words after "gw" ({} is gw itself) with its flags, from the hidden
// `gw __commands` dump of the command tree.
struct CommandEntry {
  std::vector<std::string> words;
  std::vector<std::string> flags;
  std::string path() const {
    std::string p = "gw";
    for (const auto& w : words) {
      p += " " + w;
    }
    return p;
  }
};

inline std::vector<CommandEntry> commandTree() {
  RunResult dump = gwRun({"__commands"});
  std::vector<CommandEntry> entries;
  std::istringstream lines(dump.out);
  for (std::string line; std::getline(lines, line);) {
    auto tab = line.find('\t');
    CommandEntry entry;
    std::istringstream path(line.substr(0, tab));
    std::string word;
    path >> word;  // "gw"
    while (path >> word) {
      entry.words.push_back(word);
    }
    std::istringstream flags(tab == std::string::npos ? "" : line.substr(tab + 1));
    while (flags >> word) {
      entry.flags.push_back(word);
    }
    entries.push_back(entry);
  }
  return entries;
}

}  // namespace gw::test
