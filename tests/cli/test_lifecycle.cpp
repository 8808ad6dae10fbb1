// install, status and uninstall without a proxy: what scripts see when gw is stopped.

#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "tests/cli/cli_home.hpp"

using gw::test::CliHome;

TEST_CASE("status reports a stopped gateway and the document's revision", "[cli][status]") {
  CliHome home;
  home.seed();
  auto r = home.gw({"status", "-o", "json"});
  CHECK(r.exit_code == 0);
  auto json = nlohmann::json::parse(r.out);
  CHECK(json["running"] == false);
  CHECK(json["documentRevision"] == 4);
  CHECK(json["listeners"].size() == 2);
  CHECK(json["routes"][0]["name"] == "shop");

  auto text = home.gw({"status"});
  CHECK(text.exit_code == 0);
  CHECK(text.out.rfind("gw:         stopped\n", 0) == 0);
}

TEST_CASE("status calls a pid file stale when its process is not this home's proxy",
          "[cli][status]") {
  CliHome home;
  home.seed();
  SECTION("a process that has exited") {
    const pid_t gone = fork();
    if (gone == 0) {
      _exit(0);
    }
    waitpid(gone, nullptr, 0);
    gw::test::writeText(home.path() / "proxy.pid", std::to_string(gone) + "\n");
    auto json = nlohmann::json::parse(home.gw({"status", "-o", "json"}).out);
    CHECK(json["running"] == false);
    CHECK(json["stalePid"] == gone);
  }
  SECTION("a live process that is not gw") {
    gw::test::writeText(home.path() / "proxy.pid", std::to_string(getpid()) + "\n");
    auto r = home.gw({"status"});
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("stopped (stale pid " + std::to_string(getpid()) +
                     ": the proxy is not running)") != std::string::npos);
  }
}

TEST_CASE("uninstall with nothing running succeeds and keeps the document", "[cli][status]") {
  CliHome home;
  home.seed();
  const std::string before = home.config();
  gw::test::writeText(home.path() / "admin.token", "secret\n");
  std::filesystem::create_directories(home.path() / "certs" / "shop.test");

  auto r = home.gw({"uninstall"});
  CHECK(r.exit_code == 0);
  CHECK(r.err == "note: gw is not running\n");
  CHECK(std::filesystem::exists(home.path() / "admin.token"));

  auto purge = home.gw({"uninstall", "--purge"});
  CHECK(purge.exit_code == 0);
  CHECK_FALSE(std::filesystem::exists(home.path() / "admin.token"));
  CHECK_FALSE(std::filesystem::exists(home.path() / "certs"));
  CHECK(home.config() == before);
}

TEST_CASE("install refuses an admin address off loopback", "[cli][status]") {
  CliHome home;
  auto r = home.gw({"install", "--admin-address", "0.0.0.0:9901"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("loopback only") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(home.path() / "proxy.pid"));
}

TEST_CASE("a gateway binds this host only unless --address says otherwise", "[cli][gateway]") {
  CliHome home;
  REQUIRE(home.gw({"gateway", "create", "local", "--port", "http:8080"}).exit_code == 0);
  REQUIRE(home.gw({"gateway", "create", "public", "--port", "http:8081", "--address", "0.0.0.0"})
              .exit_code == 0);
  const auto listed = nlohmann::json::parse(home.gw({"status", "-o", "json"}).out)["listeners"];
  REQUIRE(listed.size() == 2);
  CHECK(listed[0]["address"] == "127.0.0.1");
  CHECK(listed[1]["address"] == "0.0.0.0");
  // The document says 0.0.0.0 where it was asked for; the default goes unsaid.
  const std::string document = home.config();
  CHECK(document.find("address: 0.0.0.0") != std::string::npos);
  CHECK(document.find("127.0.0.1") == std::string::npos);
}

TEST_CASE("cluster-only gateway flags are saved with a note that local mode ignores them",
          "[cli][gateway]") {
  CliHome home;
  auto r = home.gw({"gateway", "create", "edge", "--port", "http:8080", "--replicas", "2:5",
                    "--service-type", "LoadBalancer"});
  CHECK(r.exit_code == 0);
  CHECK(r.err.find("note: --replicas is saved but does nothing in local mode") !=
        std::string::npos);
  CHECK(r.err.find("note: --service-type is saved but does nothing in local mode") !=
        std::string::npos);
  auto plain = home.gw({"gateway", "update", "edge", "--port", "http:8081"});
  CHECK(plain.err.find("--replicas") == std::string::npos);
  auto help = home.gw({"gateway", "create", "--help"});
  CHECK(help.out.find("Cluster mode only") != std::string::npos);
}
