// AdminReloader, the change pipeline's way to the proxy, against a real proxy's admin API
// (and against answers no proxy should give).

#include <catch2/catch.hpp>

#include "proxy/admin/reloader.hpp"
#include "tests/proxy/support/bad_backend.hpp"
#include "tests/proxy/support/harness.hpp"
#include "tests/support/process.hpp"

using namespace gw;
using namespace gw::test;

TEST_CASE("the reloader answers the revision the proxy now serves", "[admin][reloader]") {
  ProxyUnderTest proxy(core::Config{});
  proxy.setConfig(core::Config{});  // the next load is revision 2
  proxy::AdminReloader reloader(proxy.server().adminAddress(), proxy.token());
  auto served = reloader.reload(2);
  REQUIRE(served);
  CHECK(*served == 2);
  CHECK(proxy.server().revision() == 2);

  SECTION("even when that is not the revision asked for") {
    proxy.setConfig(core::Config{});
    auto other = reloader.reload(9);
    REQUIRE(other);
    CHECK(*other == 3);
  }
}

TEST_CASE("a refused reload carries the proxy's error and details", "[admin][reloader]") {
  ProxyUnderTest proxy(core::Config{});
  proxy.failLoads(core::makeError(core::ErrorKind::kValidation, "config.yaml is invalid",
                                  {"config.yaml:3:5: routes[0].to: unknown service"}));
  proxy::AdminReloader reloader(proxy.server().adminAddress(), proxy.token());
  auto refused = reloader.reload(4);
  REQUIRE_FALSE(refused);
  CHECK(refused.error().kind == core::ErrorKind::kRuntime);
  CHECK(refused.error().message ==
        "the proxy refused revision 4: loading the configuration: config.yaml is invalid");
  CHECK(refused.error().details ==
        std::vector<std::string>{"config.yaml:3:5: routes[0].to: unknown service"});

  auto denied = proxy::AdminReloader(proxy.server().adminAddress(), "wrong").reload(4);
  REQUIRE_FALSE(denied);
  CHECK(denied.error().message == "the proxy refused revision 4: unauthorized");
}

TEST_CASE("the reloader says when nothing answered", "[admin][reloader]") {
  const DeadPort dead;
  auto failed = proxy::AdminReloader(dead.endpoint(), "t").reload(2);
  REQUIRE_FALSE(failed);
  CHECK(failed.error().message.rfind(
            "the proxy did not answer the reload of revision 2: admin API at " + dead.endpoint(),
            0) == 0);
}

TEST_CASE("answers that are not the admin API's are reported as they came", "[admin][reloader]") {
  SECTION("a 200 without a revision") {
    BadBackend odd("HTTP/1.1 200 OK\r\nContent-Length: 6\r\nConnection: close\r\n\r\nhello\n", 1);
    auto answer = proxy::AdminReloader(odd.endpoint(), "t").reload(2);
    REQUIRE_FALSE(answer);
    CHECK(answer.error().message == "unexpected answer to the reload of revision 2: hello\n");
  }
  SECTION("an error in plain text") {
    BadBackend odd(
        "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 10\r\nConnection: close\r\n\r\n"
        "oops\nmore\n",
        1);
    auto answer = proxy::AdminReloader(odd.endpoint(), "t").reload(2);
    REQUIRE_FALSE(answer);
    CHECK(answer.error().message == "the proxy refused revision 2: HTTP 500: oops");
  }
}
