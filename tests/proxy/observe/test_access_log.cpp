#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <sstream>

#include "tests/proxy/support/bad_backend.hpp"
#include "tests/proxy/support/harness.hpp"
#include "tests/proxy/support/wire.hpp"
#include "tests/support/eventually.hpp"
#include "tests/support/process.hpp"

namespace gw::test {
namespace {

core::Config logConfig(std::uint16_t port, const EchoBackend& backend) {
  core::Config config = singleRoute(port, "alpha", backend.endpoint(), "alpha.test");
  return config;
}

std::vector<nlohmann::json> logLines(const std::filesystem::path& path) {
  std::istringstream lines(readText(path));
  std::vector<nlohmann::json> entries;
  for (std::string line; std::getline(lines, line);) {
    entries.push_back(nlohmann::json::parse(line));
  }
  return entries;
}

// Waits for the worker's periodic flush to bring the log to `count` lines; returns how many
// it has then.
std::size_t waitForLines(const std::filesystem::path& path, std::size_t count) {
  return eventuallyValue([&] { return logLines(path).size(); },
                         [&](std::size_t seen) { return seen >= count; }, 5s)
      .value;
}

}  // namespace

TEST_CASE("access log lines carry every field with the request's values", "[proxy][access-log]") {
  EchoBackend backend("alpha");
  const auto port = freePort();
  TempDir dir;
  const auto log_path = dir.path() / "access.log";
  Reply echoed;
  Reply slow;
  {
    ProxyUnderTest proxy(logConfig(port, backend), 2, log_path.string());
    HttpClient client(port);
    echoed = client.get("alpha.test", "/_echo?q=1");
    REQUIRE(echoed.status == 200);
    slow = client.get("alpha.test", "/slow?delay=150ms");
    REQUIRE(slow.status == 200);
    REQUIRE(client.get("nowhere.test", "/missing").status == 404);
  }  // stopping flushes

  const auto entries = logLines(log_path);
  REQUIRE(entries.size() == 3);
  for (const char* field :
       {"time", "requestId", "client", "host", "method", "path", "route", "service", "endpoint",
        "status", "bytes", "durationMs", "upstreamMs", "retries", "error"}) {
    INFO(field);
    CHECK(entries[0].contains(field));
    CHECK(entries[2].contains(field));
  }
  const auto& first = entries[0];
  CHECK(first["requestId"] == echoed.header("x-request-id"));
  CHECK(first["client"] == "127.0.0.1");
  CHECK(first["host"] == "alpha.test");
  CHECK(first["method"] == "GET");
  CHECK(first["path"] == "/_echo");
  CHECK(first["route"] == "alpha");
  CHECK(first["service"] == "alpha");
  CHECK(first["endpoint"] == backend.endpoint());
  CHECK(first["status"] == 200);
  CHECK(first["bytes"] == echoed.body.size());
  CHECK(first["retries"] == 0);
  CHECK(first["error"].get<std::string>().empty());
  CHECK(first["upstreamMs"].get<double>() <= first["durationMs"].get<double>());

  const auto& second = entries[1];
  CHECK(second["requestId"] == slow.header("x-request-id"));
  CHECK(second["upstreamMs"].get<double>() >= 150.0);
  CHECK(second["durationMs"].get<double>() >= second["upstreamMs"].get<double>());
  CHECK(second["requestId"] != first["requestId"]);

  const auto& missing = entries[2];
  CHECK(missing["status"] == 404);
  CHECK(missing["error"] == "no_route");
  CHECK(missing["route"].get<std::string>().empty());
  CHECK(missing["upstreamMs"].is_null());
  CHECK(missing["requestId"].get<std::string>().size() >= 8);
}

TEST_CASE("a generated request id reaches the backend and the client", "[proxy][access-log]") {
  EchoBackend backend("alpha");
  const auto port = freePort();
  ProxyUnderTest proxy(logConfig(port, backend));
  HttpClient client(port);
  const Reply reply = client.get("alpha.test", "/_echo");
  REQUIRE(reply.status == 200);
  const std::string id = reply.header("x-request-id");
  CHECK(id.size() >= 8);
  const auto echoed = nlohmann::json::parse(reply.body);
  CHECK(echoed["headers"]["x-request-id"] == id);
  CHECK(client.get("alpha.test", "/_echo").header("x-request-id") != id);

  const Reply gateway_made = client.get("nowhere.test");
  CHECK(gateway_made.status == 404);
  CHECK(gateway_made.header("x-request-id").size() >= 8);
}

TEST_CASE("an incoming request id is kept unless it is unsafe", "[proxy][access-log]") {
  EchoBackend backend("alpha");
  const auto port = freePort();
  TempDir dir;
  const auto log_path = dir.path() / "access.log";
  {
    ProxyUnderTest proxy(logConfig(port, backend), 1, log_path.string());
    HttpClient client(port);
    const Reply kept =
        client.request("GET", "alpha.test", "/_echo", {{"X-Request-Id", "client-id_42.a:b"}});
    CHECK(kept.header("x-request-id") == "client-id_42.a:b");
    CHECK(nlohmann::json::parse(kept.body)["headers"]["x-request-id"] == "client-id_42.a:b");

    const Reply unsafe =
        client.request("GET", "alpha.test", "/_echo", {{"X-Request-Id", "has spaces\"quote"}});
    const std::string replaced = unsafe.header("x-request-id");
    CHECK(replaced != "has spaces\"quote");
    CHECK(nlohmann::json::parse(unsafe.body)["headers"]["x-request-id"] == replaced);

    const Reply long_id =
        client.request("GET", "alpha.test", "/_echo", {{"X-Request-Id", std::string(200, 'a')}});
    CHECK(long_id.header("x-request-id").size() <= 64);
  }
  const auto entries = logLines(log_path);
  REQUIRE(entries.size() == 3);
  CHECK(entries[0]["requestId"] == "client-id_42.a:b");
  CHECK(entries[1]["requestId"] != "has spaces\"quote");
}

TEST_CASE("the upstream's own request id is replaced, and a route's edit has the last word",
          "[proxy][access-log]") {
  const std::string answer =
      "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-Request-Id: from-upstream\r\n\r\nok";
  BadBackend upstream(answer, 2);
  const auto port = freePort();
  core::Config config = singleRoute(port, "up", upstream.endpoint());
  core::Route edited = makeRoute("edited", "edge", {"edited.test"}, {{"up", 100}});
  edited.response_headers.set = {{"X-Request-Id", "from-route"}};
  config.routes.push_back(edited);
  ProxyUnderTest proxy(config);

  const auto ids_in = [](const std::string& reply) {
    std::vector<std::string> ids;
    std::istringstream lines(reply.substr(0, reply.find("\r\n\r\n")));
    for (std::string line; std::getline(lines, line);) {
      if (!line.empty() && line.back() == '\r') {
        line.pop_back();
      }
      if (line.rfind("x-request-id: ", 0) == 0 || line.rfind("X-Request-Id: ", 0) == 0) {
        ids.push_back(line.substr(14));
      }
    }
    return ids;
  };
  const std::string plain =
      sendAndHalfClose(port, "GET / HTTP/1.1\r\nHost: a.test\r\nX-Request-Id: client-7\r\n\r\n");
  CHECK(statusOf(plain) == 200);
  CHECK(ids_in(plain) == std::vector<std::string>{"client-7"});
  const std::string by_route = sendAndHalfClose(
      port, "GET / HTTP/1.1\r\nHost: edited.test\r\nX-Request-Id: client-8\r\n\r\n");
  CHECK(statusOf(by_route) == 200);
  CHECK(ids_in(by_route) == std::vector<std::string>{"from-route"});
}

TEST_CASE("retries appear in the access log", "[proxy][access-log]") {
  EchoBackend backend("alpha");
  const auto port = freePort();
  TempDir dir;
  const auto log_path = dir.path() / "access.log";
  auto config = logConfig(port, backend);
  config.routes[0].retries.attempts = 2;
  config.routes[0].retries.on = {"503"};
  {
    ProxyUnderTest proxy(config, 1, log_path.string());
    REQUIRE(HttpClient(port).get("alpha.test", "/?status=503").status == 503);
  }
  const auto entries = logLines(log_path);
  REQUIRE(entries.size() == 1);
  CHECK(entries[0]["retries"] == 2);
  CHECK(entries[0]["status"] == 503);
}

TEST_CASE("turning the access log off in a reload stops writing", "[proxy][access-log]") {
  EchoBackend backend("alpha");
  const auto port = freePort();
  TempDir dir;
  const auto log_path = dir.path() / "access.log";
  auto config = logConfig(port, backend);
  ProxyUnderTest proxy(config, 1, log_path.string());
  HttpClient client(port);
  REQUIRE(client.get("alpha.test", "/on").status == 200);
  REQUIRE(waitForLines(log_path, 1) == 1);

  config.proxy.access_log = false;
  proxy.setConfig(config);
  REQUIRE(proxy.server().reload());
  for (int i = 0; i < 3; ++i) {
    REQUIRE(client.get("alpha.test", "/off").status == 200);
  }

  config.proxy.access_log = true;
  proxy.setConfig(config);
  REQUIRE(proxy.server().reload());
  REQUIRE(client.get("alpha.test", "/on-again").status == 200);
  // The one worker writes its lines in order, so a line for /off would be in the log by the
  // time /on-again's is: its arrival shows that none was, without waiting out a flush period.
  REQUIRE(waitForLines(log_path, 2) == 2);
  CHECK(logLines(log_path)[1]["path"] == "/on-again");
}

}  // namespace gw::test
