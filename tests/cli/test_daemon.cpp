// install, a change the running proxy refuses, and uninstall, as the user sees them.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tests/cli/cli_home.hpp"

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
}
