#pragma once
// A running gw for the access-control tests: one gw-echo backend behind gateway "edge", with
// route "shop" (shop.test) to protect and route "open" (open.test) left open. Requests go
// through real sockets with curl; the verdicts are read back where a user reads them: the
// answers, what the backend saw (GET /_echo), the admin API and the home's access.log.

#include <algorithm>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "tests/integration/gw_home.hpp"
#include "tests/support/eventually.hpp"

namespace gw::test {

// Text without its trailing newlines (what $(...) makes of a command's output).
inline std::string chomp(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) {
    text.pop_back();
  }
  return text;
}

// `count` GETs of shop.test over one kept-alive connection (one curl): their status codes.
inline std::vector<int> burstOf(std::uint16_t port, int count,
                                const std::vector<std::string>& extra = {}) {
  std::vector<std::string> argv{"curl", "-s", "-H", "Host: shop.test", "-w", "%{http_code}\\n"};
  argv.insert(argv.end(), extra.begin(), extra.end());
  for (int i = 0; i < count; ++i) {
    argv.insert(argv.end(),
                {"-o", "/dev/null",
                 "http://127.0.0.1:" + std::to_string(port) + "/_echo?n=" + std::to_string(i)});
  }
  const RunResult r = run(argv, {}, "", std::chrono::seconds(30));
  std::vector<int> codes;
  std::istringstream lines(r.out);
  for (std::string line; std::getline(lines, line);) {
    codes.push_back(std::stoi(line));
  }
  return codes;
}

inline int countOf(const std::vector<int>& codes, int code) {
  return static_cast<int>(std::count(codes.begin(), codes.end(), code));
}

class AccessStory {
 public:
  // `env`: KEY=VALUE settings for every `gw` it runs, the proxy included.
  explicit AccessStory(std::vector<std::string> env = {}) : backend_("app"), port_(freePort()) {
    home_.setEnv(std::move(env));
    must({"install"});
    must({"service", "add", "app", "--endpoint", backend_.endpoint()});
    REQUIRE(home_.createEdge(port_).exit_code == 0);
    REQUIRE(waitForPort(port_));
    for (const std::string route : {"shop", "open"}) {
      must({"route", "add", route, "--gateway", "edge", "--host", route + ".test", "--to", "app"});
    }
  }

  const GwHome& home() const { return home_; }
  const EchoBackend& backend() const { return backend_; }
  std::uint16_t port() const { return port_; }

  // `gw ARGS`, required to succeed; its stdout.
  std::string must(const std::vector<std::string>& args, const std::string& input = "") const {
    const RunResult r = home_.gw(args, input);
    INFO("gw exited " << r.exit_code << "; stderr: " << r.err);
    REQUIRE(r.exit_code == 0);
    return r.out;
  }

  // KEY=$(gw consumer key create NAME -q)
  std::string createKey(const std::string& consumer) const {
    return chomp(must({"consumer", "key", "create", consumer, "-q"}));
  }

  HttpResponse get(const std::string& host, const std::string& path = "/_echo",
                   const std::vector<std::string>& extra = {}) const {
    return httpGet(port_, host, path, extra);
  }

  // The request headers the backend saw, from a GET /_echo answer (names lower-cased).
  static nlohmann::json upstreamHeaders(const HttpResponse& answer) {
    const auto body = nlohmann::json::parse(answer.body, nullptr, false);
    INFO("body: " << answer.body);
    REQUIRE(body.is_object());
    return body["headers"];
  }

  // GET PATH on the admin API, with the home's token, as the CLI calls it.
  HttpResponse admin(const std::string& path) const {
    const std::string address = chomp(readText(home_.file("admin.address")));
    const std::string token = chomp(readText(home_.file("admin.token")));
    const auto colon = address.rfind(':');
    REQUIRE(colon != std::string::npos);
    const auto admin_port = static_cast<std::uint16_t>(std::stoi(address.substr(colon + 1)));
    return httpGet(admin_port, address.substr(0, colon), path,
                   {"-H", "Authorization: Bearer " + token});
  }

  nlohmann::json adminJson(const std::string& path) const {
    const HttpResponse answer = admin(path);
    REQUIRE(answer.status == 200);
    return nlohmann::json::parse(answer.body);
  }

  // Polls /v1/stats until `accept(stats)` holds (the counters are summed from the workers
  // when asked; the bound only guards a slow machine).
  template <class Accept>
  nlohmann::json statsWhen(Accept&& accept) const {
    auto awaited = eventuallyValue([&] { return adminJson("/v1/stats"); }, accept, 5s, 50ms);
    INFO("last /v1/stats, in short: " << brief(awaited.value).dump());
    CHECK(awaited.held);
    return awaited.value;
  }

  // The access.log line of the request an answer's x-request-id names. The log is written
  // at least once a second, so it is polled for a few seconds.
  nlohmann::json accessLogLine(const HttpResponse& answer) const {
    const std::string id = answer.header("x-request-id");
    REQUIRE_FALSE(id.empty());
    const auto line = eventuallyValue(
        [&]() -> std::optional<nlohmann::json> {
          std::istringstream lines(readText(home_.file("access.log")));
          for (std::string text; std::getline(lines, text);) {
            auto entry = nlohmann::json::parse(text, nullptr, false);
            if (entry.is_object() && entry.value("requestId", "") == id) {
              return entry;
            }
          }
          return std::nullopt;
        },
        [](const std::optional<nlohmann::json>& entry) { return entry.has_value(); }, 5s, 50ms);
    INFO("no access.log line with requestId " << id);
    REQUIRE(line.held);
    return *line.value;
  }

 private:
  // Each route's verdicts and each consumer's requests: /v1/stats without its time series.
  static nlohmann::json brief(const nlohmann::json& stats) {
    const auto routes = stats.value("routes", nlohmann::json::object());
    const auto consumers = stats.value("consumers", nlohmann::json::object());
    nlohmann::json out;
    for (const auto& [name, route] : routes.items()) {
      out["routes"][name] = route.value("access", nlohmann::json());
    }
    for (const auto& [name, traffic] : consumers.items()) {
      out["consumers"][name] = traffic.value("requests", 0);
    }
    return out;
  }

  EchoBackend backend_;  // declared before home_: the proxy stops before its backend
  GwHome home_;
  std::uint16_t port_ = 0;
};

}  // namespace gw::test
