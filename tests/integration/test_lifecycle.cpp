// The local daemon: install, status, kill -9, uninstall, editing while stopped.
#include <catch2/catch.hpp>

#include "tests/integration/gw_home.hpp"
#include "tests/support/eventually.hpp"

using namespace gw::test;

TEST_CASE("install is idempotent and serves what was configured while stopped", "[daemon]") {
  EchoBackend backend("app");
  GwHome gw;
  const auto port = freePort();

  // Nothing running yet: changes are saved, and the user is told.
  auto r = gw.gw({"service", "add", "app", "--endpoint", backend.endpoint()});
  REQUIRE(r.exit_code == 0);
  CHECK(r.err.find("not running") != std::string::npos);
  REQUIRE(gw.createEdge(port).exit_code == 0);
  REQUIRE(
      gw.gw({"route", "add", "app", "--gateway", "edge", "--host", "*", "--to", "app"}).exit_code ==
      0);
  CHECK_FALSE(portOpen(port));

  REQUIRE(gw.gw({"install"}).exit_code == 0);
  const auto pid = gw.proxyPid();
  CHECK(httpGet(port, "anything.test", "/").body == "app\n");

  // A second install finds it running and changes nothing.
  r = gw.gw({"install"});
  CHECK(r.exit_code == 0);
  CHECK(gw.proxyPid() == pid);

  // Secrets are private.
  CHECK((std::filesystem::status(gw.file("admin.token")).permissions() &
         std::filesystem::perms::others_read) == std::filesystem::perms::none);
  CHECK((std::filesystem::status(gw.file("config.yaml")).permissions() &
         std::filesystem::perms::group_read) == std::filesystem::perms::none);
}

TEST_CASE("status notices a proxy killed with SIGKILL", "[daemon]") {
  GwHome gw;
  REQUIRE(gw.gw({"install"}).exit_code == 0);
  auto r = gw.gw({"status", "-o", "json"});
  CHECK(r.out.find("\"running\": true") != std::string::npos);

  const auto pid = gw.proxyPid();
  REQUIRE(pid > 0);
  kill(pid, SIGKILL);
  REQUIRE(eventually([&] { return !processAlive(pid); }, 5s));

  r = gw.gw({"status"});
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("not running") != std::string::npos);
  r = gw.gw({"status", "-o", "json"});
  CHECK(r.out.find("\"running\": false") != std::string::npos);

  // install starts a new one over the stale pid file.
  REQUIRE(gw.gw({"install"}).exit_code == 0);
  CHECK(gw.proxyPid() != pid);
  CHECK(processAlive(gw.proxyPid()));
}

TEST_CASE("uninstall leaves no process and no open port", "[daemon]") {
  EchoBackend backend("app");
  GwHome gw;
  const auto port = freePort();
  REQUIRE(gw.gw({"install"}).exit_code == 0);
  REQUIRE(gw.gw({"service", "add", "app", "--endpoint", backend.endpoint()}).exit_code == 0);
  REQUIRE(gw.createEdge(port).exit_code == 0);
  REQUIRE(portOpen(port));
  const auto pid = gw.proxyPid();

  REQUIRE(gw.gw({"uninstall"}).exit_code == 0);
  CHECK_FALSE(processAlive(pid));
  CHECK_FALSE(portOpen(port));
  CHECK_FALSE(std::filesystem::exists(gw.file("proxy.pid")));
  CHECK(std::filesystem::exists(gw.file("admin.token")));
  // Twice is fine.
  CHECK(gw.gw({"uninstall"}).exit_code == 0);

  CHECK(gw.gw({"uninstall", "--purge"}).exit_code == 0);
  CHECK_FALSE(std::filesystem::exists(gw.file("admin.token")));
}
