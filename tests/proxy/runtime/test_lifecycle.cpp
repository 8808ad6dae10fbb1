#include <catch2/catch.hpp>
#include <future>
#include <nlohmann/json.hpp>
#include <sstream>

#include "tests/proxy/support/admin_status.hpp"
#include "tests/proxy/support/harness.hpp"
#include "tests/support/eventually.hpp"
#include "tests/support/process.hpp"

namespace gw::test {
namespace {

core::Config simple(std::uint16_t port, const EchoBackend& backend) {
  core::Config config = singleRoute(port, "alpha", backend.endpoint(), "alpha.test");
  return config;
}

}  // namespace

TEST_CASE("stopping lets a request in flight finish, then closes the listeners", "[proxy][drain]") {
  EchoBackend backend("alpha");
  const auto port = freePort();
  ProxyUnderTest proxy(simple(port, backend));

  auto slow = std::async(std::launch::async,
                         [port] { return HttpClient(port).get("alpha.test", "/?delay=600ms"); });
  REQUIRE(eventually(
      [&] { return endpointStatus(proxy, "alpha", backend.endpoint())["inFlight"] == 1; }, 5s));
  const auto started = std::chrono::steady_clock::now();
  proxy.server().stop();
  CHECK(std::chrono::steady_clock::now() - started < 1500ms);
  const Reply reply = slow.get();
  CHECK(reply.status == 200);
  CHECK_FALSE(reply.keep_alive);
  CHECK_FALSE(portOpen(port));
}

TEST_CASE("the access log has one JSON line per request", "[proxy][access-log]") {
  EchoBackend backend("alpha");
  const auto port = freePort();
  TempDir dir;
  const auto log_path = dir.path() / "access.log";
  {
    ProxyUnderTest proxy(simple(port, backend), 2, log_path.string());
    HttpClient client(port);
    REQUIRE(client.get("alpha.test", "/a?q=1").status == 200);
    REQUIRE(client.get("nowhere.test", "/b").status == 404);
    REQUIRE(client.request("HEAD", "alpha.test", "/c").status == 200);
  }  // stopping flushes

  std::istringstream lines(readText(log_path));
  std::vector<nlohmann::json> entries;
  for (std::string line; std::getline(lines, line);) {
    entries.push_back(nlohmann::json::parse(line));
  }
  REQUIRE(entries.size() == 3);
  CHECK(entries[0]["method"] == "GET");
  CHECK(entries[0]["host"] == "alpha.test");
  CHECK(entries[0]["path"] == "/a");
  CHECK(entries[0]["route"] == "alpha");
  CHECK(entries[0]["service"] == "alpha");
  CHECK(entries[0]["endpoint"] == backend.endpoint());
  CHECK(entries[0]["status"] == 200);
  CHECK(entries[0]["bytes"] == 6);
  CHECK(entries[0]["client"] == "127.0.0.1");
  CHECK(entries[0]["error"].get<std::string>().empty());
  CHECK(entries[0]["durationMs"].get<double>() >= 0.0);
  CHECK(entries[0]["time"].get<std::string>().back() == 'Z');
  CHECK(entries[1]["status"] == 404);
  CHECK(entries[1]["error"] == "no_route");
  CHECK(entries[2]["method"] == "HEAD");
}

TEST_CASE("the access log is flushed within a second while serving", "[proxy][access-log]") {
  EchoBackend backend("alpha");
  const auto port = freePort();
  TempDir dir;
  const auto log_path = dir.path() / "access.log";
  ProxyUnderTest proxy(simple(port, backend), 1, log_path.string());
  REQUIRE(HttpClient(port).get("alpha.test").status == 200);
  const std::string text =
      eventuallyValue([&] { return readText(log_path); },
                      [](const std::string& logged) { return !logged.empty(); }, 3s)
          .value;
  CHECK(text.find("\"route\":\"alpha\"") != std::string::npos);
}

}  // namespace gw::test
