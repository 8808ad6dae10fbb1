// install, a change the running proxy refuses, and uninstall, as the user sees them.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "tests/cli/cli_home.hpp"
#include "tests/support/eventually.hpp"

using gw::test::CliHome;

namespace {

// A loopback port held open by this test, so that a proxy cannot listen on it.
class Squatter {
 public:
  Squatter() {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof(addr);
    auto* generic = reinterpret_cast<sockaddr*>(&addr);
    REQUIRE(bind(fd_, generic, sizeof(addr)) == 0);
    REQUIRE(listen(fd_, 1) == 0);
    REQUIRE(getsockname(fd_, generic, &len) == 0);
    port_ = ntohs(addr.sin_port);
  }
  ~Squatter() { close(fd_); }
  Squatter(const Squatter&) = delete;
  Squatter& operator=(const Squatter&) = delete;
  std::uint16_t port() const { return port_; }

 private:
  int fd_ = -1;
  std::uint16_t port_ = 0;
};

// Gateway "edge" on a free port and route "hello" on it answering `body` itself; the port.
std::uint16_t addHello(const CliHome& home, const std::string& body) {
  const auto port = gw::test::freePort();
  REQUIRE(
      home.gw({"gateway", "create", "edge", "--port", "http:" + std::to_string(port)}).exit_code ==
      0);
  REQUIRE(home.gw({"route", "add", "hello", "--gateway", "edge", "--host", "hello.test",
                   "--direct-response", "200", "--body", body})
              .exit_code == 0);
  return port;
}

// What GET http://hello.test/ answers through the proxy on `port`.
std::string getHello(std::uint16_t port) {
  return gw::test::run({"curl", "-s", "-H", "Host: hello.test",
                        "http://127.0.0.1:" + std::to_string(port) + "/"})
      .out;
}

// Stops the home's proxy however the test ends.
struct Uninstall {
  const CliHome& home;
  ~Uninstall() { home.gw({"uninstall"}); }
};

}  // namespace

TEST_CASE("install starts the proxy once and says where it serves", "[cli][daemon]") {
  CliHome home;
  Uninstall cleanup{home};
  auto first = home.gw({"install"});
  REQUIRE(first.exit_code == 0);
  const std::string pid = gw::test::readText(home.path() / "proxy.pid");
  CHECK(first.out.rfind("gw is running (pid " + pid.substr(0, pid.find('\n')) + ")\n", 0) == 0);
  const std::string address = gw::test::readText(home.path() / "admin.address");
  CHECK(first.out.find("admin API  http://" + address.substr(0, address.find('\n'))) !=
        std::string::npos);

  auto again = home.gw({"install"});
  CHECK(again.exit_code == 0);
  CHECK(again.out.rfind("gw is already running (pid ", 0) == 0);
  CHECK(gw::test::readText(home.path() / "proxy.pid") == pid);

  auto status = nlohmann::json::parse(home.gw({"status", "-o", "json"}).out);
  CHECK(status["running"] == true);
  CHECK(status["revision"] == status["documentRevision"]);
}

TEST_CASE("the admin address stays across uninstall and install, until --purge", "[cli][daemon]") {
  CliHome home;
  Uninstall cleanup{home};
  REQUIRE(home.gw({"install"}).exit_code == 0);
  const std::string address = gw::test::readText(home.path() / "admin.address");
  REQUIRE_FALSE(address.empty());
  REQUIRE(home.gw({"uninstall"}).exit_code == 0);
  auto stopped = nlohmann::json::parse(home.gw({"status", "-o", "json"}).out);
  CHECK(stopped["running"] == false);
  CHECK(stopped["adminAddress"].is_null());  // nothing answers there now

  auto again = home.gw({"install"});
  REQUIRE(again.exit_code == 0);
  CHECK(gw::test::readText(home.path() / "admin.address") == address);
  CHECK(again.out.find("admin API  http://" + address.substr(0, address.find('\n'))) !=
        std::string::npos);

  REQUIRE(home.gw({"uninstall", "--purge"}).exit_code == 0);
  CHECK_FALSE(std::filesystem::exists(home.path() / "admin.address"));
}

TEST_CASE("a change the proxy refuses is undone and reported with both revisions",
          "[cli][daemon]") {
  CliHome home;
  Uninstall cleanup{home};
  REQUIRE(home.gw({"install"}).exit_code == 0);
  REQUIRE(home.gw({"service", "add", "frontend", "--endpoint", "127.0.0.1:9"}).exit_code == 0);
  const std::string before = home.config();

  // Valid as a document; only the proxy can tell that the port is taken.
  Squatter squatter;
  auto r = home.gw({"gateway", "create", "edge", "--port",
                    "http:" + std::to_string(squatter.port()), "--address", "127.0.0.1"});
  CHECK(r.exit_code == 1);
  CHECK(r.err.rfind("error: the proxy refused revision 2: ", 0) == 0);
  CHECK(r.err.find("; restored revision 1\n") != std::string::npos);
  CHECK(r.out.empty());
  CHECK(home.config() == before);

  auto status = nlohmann::json::parse(home.gw({"status", "-o", "json"}).out);
  CHECK(status["revision"] == 1);

  // History says revision 2 was refused, not served, and it cannot be rolled back to.
  auto history = nlohmann::json::parse(home.gw({"config", "history", "-o", "json"}).out);
  REQUIRE(history.size() == 2);
  CHECK(history[0]["revision"] == 1);
  CHECK(history[0]["state"] == "current");
  CHECK(history[1]["revision"] == 2);
  CHECK(history[1]["state"] == "refused");
  auto back = home.gw({"config", "rollback", "2"});
  CHECK(back.exit_code == 2);
  CHECK(back.err == "error: revision 2 was refused by the proxy; it was never served\n");
  // The next change does not reuse the refused revision's number.
  REQUIRE(home.gw({"service", "update", "frontend", "--lb", "random"}).exit_code == 0);
  CHECK(nlohmann::json::parse(home.gw({"status", "-o", "json"}).out)["revision"] == 3);
}

TEST_CASE("gw reload serves a hand-edited document and refuses a broken edit", "[cli][daemon]") {
  CliHome home;
  Uninstall cleanup{home};
  auto stopped = home.gw({"reload"});
  CHECK(stopped.exit_code == 1);
  CHECK(stopped.err.rfind("error: gw is not running; run 'gw install'", 0) == 0);

  REQUIRE(home.gw({"install"}).exit_code == 0);
  const auto port = addHello(home, "before");
  CHECK(getHello(port) == "before");

  std::string text = home.config();
  text.replace(text.find("body: before"), 12, "body: after");
  gw::test::writeText(home.path() / "config.yaml", text);
  auto drifted = nlohmann::json::parse(home.gw({"status", "-o", "json"}).out);
  CHECK(drifted["documentChanged"] == true);
  CHECK(home.gw({"status"}).out.find("config.yaml changed after the proxy loaded it") !=
        std::string::npos);
  auto reloaded = home.gw({"reload"});
  CHECK(reloaded.exit_code == 0);
  CHECK(reloaded.out.rfind("reloaded revision ", 0) == 0);
  CHECK(getHello(port) == "after");
  CHECK(nlohmann::json::parse(home.gw({"status", "-o", "json"}).out)["documentChanged"] == false);

  gw::test::writeText(home.path() / "config.yaml", text + "bogus: [\n");
  auto broken = home.gw({"reload"});
  CHECK(broken.exit_code == 2);
  CHECK(broken.err.find("config.yaml") != std::string::npos);
  CHECK(getHello(port) == "after");
}

TEST_CASE("route get and gateway get show what the running proxy does with them", "[cli][daemon]") {
  CliHome home;
  Uninstall cleanup{home};
  const auto port = addHello(home, "hi");
  auto stopped = nlohmann::json::parse(home.gw({"route", "get", "hello", "-o", "json"}).out);
  CHECK(stopped["status"]["proxy"] == "stopped");
  CHECK(stopped["status"]["traffic"].is_null());
  CHECK(stopped["status"]["urls"][0] == "http://hello.test:" + std::to_string(port) + "/");

  REQUIRE(home.gw({"install"}).exit_code == 0);
  for (int i = 0; i < 3; ++i) {
    REQUIRE(getHello(port) == "hi");
  }
  auto route = nlohmann::json::parse(home.gw({"route", "get", "hello", "-o", "json"}).out);
  CHECK(route["status"]["proxy"] == "running");
  CHECK(route["status"]["traffic"]["requests"] == 3);
  auto gateway = nlohmann::json::parse(home.gw({"gateway", "get", "edge", "-o", "json"}).out);
  CHECK(gateway["status"]["listeners"][0]["serving"] == true);
  CHECK(gateway["status"]["routes"][0]["name"] == "hello");
  auto table = home.gw({"gateway", "get", "edge"});
  CHECK(table.out.find("http      127.0.0.1  " + std::to_string(port) + "  yes") !=
        std::string::npos);
}

TEST_CASE("gw logs prints the proxy's timestamped events and the access log", "[cli][daemon]") {
  CliHome home;
  Uninstall cleanup{home};
  REQUIRE(home.gw({"install"}).exit_code == 0);
  const auto port = addHello(home, "hi");
  Squatter squatter;
  REQUIRE(
      home.gw({"gateway", "create", "taken", "--port", "http:" + std::to_string(squatter.port())})
          .exit_code == 1);
  REQUIRE(getHello(port) == "hi");

  auto logs = home.gw({"logs"});
  REQUIRE(logs.exit_code == 0);
  INFO(logs.out);
  const std::regex stamped(R"(^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z gw proxy: )");
  std::istringstream lines(logs.out);
  int events = 0;
  for (std::string line; std::getline(lines, line);) {
    if (!line.starts_with("  ")) {  // a refusal's detail lines go with the line before
      CHECK(std::regex_search(line, stamped));
      ++events;
    }
  }
  CHECK(events >= 5);
  CHECK(logs.out.find("gw proxy: listener opened: edge/http http://127.0.0.1:" +
                      std::to_string(port)) != std::string::npos);
  CHECK(logs.out.find("gw proxy: reloaded: serving revision 2 (was 1)") != std::string::npos);
  CHECK(logs.out.find("gw proxy: reload refused: ") != std::string::npos);
  CHECK(logs.out.find("; still serving revision 2") != std::string::npos);

  auto last = home.gw({"logs", "--tail", "1", "--since", "1h"});
  CHECK(std::count(last.out.begin(), last.out.end(), '\n') == 1);
  CHECK(home.gw({"logs", "--since", "soon"}).exit_code == 2);
  // The access log is flushed within a second.
  CHECK(gw::test::eventually(
      [&] {
        return home.gw({"logs", "--access"}).out.find(R"("route":"hello")") != std::string::npos;
      },
      std::chrono::seconds(5)));
}

TEST_CASE("gw status names the endpoints that fail their health checks", "[cli][daemon]") {
  CliHome home;
  Uninstall cleanup{home};
  const gw::test::DeadPort dead;
  REQUIRE(home.gw({"service", "add", "down", "--endpoint", dead.endpoint(), "--health-path",
                   "/healthz", "--health-interval", "100ms", "--unhealthy-threshold", "1"})
              .exit_code == 0);
  REQUIRE(home.gw({"install"}).exit_code == 0);
  CHECK(gw::test::eventually(
      [&] {
        const auto status = nlohmann::json::parse(home.gw({"status", "-o", "json"}).out);
        return status["unhealthyEndpoints"] ==
               nlohmann::json::parse(R"([{"service": "down", "address": ")" + dead.endpoint() +
                                     R"(", "health": "unhealthy"}])");
      },
      std::chrono::seconds(5)));
  CHECK(home.gw({"status"})
            .out.find("warning: service \"down\": endpoint " + dead.endpoint() + " is unhealthy") !=
        std::string::npos);
  CHECK(home.gw({"logs"}).out.find("health: endpoint " + dead.endpoint() + " is now unhealthy") !=
        std::string::npos);
}
