// The revision guard of whole-document applies: an older document that would undo what was
// saved since is refused, naming both revisions and what would be lost.

#include <catch2/catch.hpp>

#include "core/change/revision_guard.hpp"

using namespace gw::core;

namespace {

Service service(const std::string& name, const std::string& endpoint) {
  Service s;
  s.name = name;
  s.endpoints.push_back(Endpoint{endpoint, 1});
  return s;
}

// Revision 3 with services a and b, gateway edge, route shop -> a.
Config exported() {
  Config c;
  c.revision = 3;
  Gateway edge;
  edge.name = "edge";
  edge.listeners.push_back(Listener{"http", Protocol::kHttp, 8080});
  c.gateways.push_back(edge);
  c.services = {service("a", "127.0.0.1:9001"), service("b", "127.0.0.1:9002")};
  Route shop;
  shop.name = "shop";
  shop.gateway = "edge";
  shop.destinations.push_back(Destination{"a", 100});
  c.routes.push_back(shop);
  return c;
}

}  // namespace

TEST_CASE("an older document that would drop a service is refused naming both revisions",
          "[change][guard]") {
  const Config old = exported();
  Config saved = old;
  saved.revision = 4;
  saved.services.push_back(service("s3", "127.0.0.1:9"));

  const auto refused = checkRevision(saved, old, "-f old.yaml");
  REQUIRE_FALSE(refused);
  CHECK(refused.error().kind == ErrorKind::kValidation);
  CHECK(refused.error().message ==
        "-f old.yaml is revision 3 but the saved document is revision 4; applying it would "
        "remove service \"s3\"");
}

TEST_CASE("the refusal names what would be removed, changed and added back", "[change][guard]") {
  Config old = exported();
  Config saved = old;
  saved.revision = 9;
  saved.services.erase(saved.services.begin() + 1);                     // b deleted since
  saved.services.front().endpoints.front().address = "127.0.0.1:9101";  // a changed since
  saved.routes.front().hosts = {"shop.test"};                           // shop changed since
  Certificate cert;
  cert.name = "shop.test";
  cert.domains = {"shop.test"};
  saved.certificates.push_back(cert);  // added since
  saved.proxy.threads = 4;

  const auto refused = checkRevision(saved, old, "old.yaml");
  REQUIRE_FALSE(refused);
  CHECK(refused.error().message ==
        "old.yaml is revision 3 but the saved document is revision 9; applying it would "
        "remove certificate \"shop.test\", change service \"a\", route \"shop\", add service "
        "\"b\" and change the proxy settings");

  const ObjectChanges changes = objectChanges(saved, old);
  CHECK(changes.removed == std::vector<std::string>{"certificate \"shop.test\""});
  CHECK(changes.changed == std::vector<std::string>{"service \"a\"", "route \"shop\""});
  CHECK(changes.added == std::vector<std::string>{"service \"b\""});
  CHECK(changes.proxy_settings);
}

TEST_CASE("a long list of lost objects is cut after five", "[change][guard]") {
  Config old = exported();
  Config saved = old;
  saved.revision = 5;
  for (int i = 1; i <= 7; ++i) {
    saved.services.push_back(service("n" + std::to_string(i), "127.0.0.1:9"));
  }
  const auto refused = checkRevision(saved, old, "old.yaml");
  REQUIRE_FALSE(refused);
  CHECK(refused.error().message ==
        "old.yaml is revision 3 but the saved document is revision 5; applying it would "
        "remove service \"n1\", service \"n2\", service \"n3\", service \"n4\", service \"n5\" "
        "(+2 more)");
}

TEST_CASE("a difference that names no object still refuses", "[change][guard]") {
  Config old = exported();
  Config saved = old;
  saved.revision = 4;
  std::swap(saved.services[0], saved.services[1]);
  const auto refused = checkRevision(saved, old, "old.yaml");
  REQUIRE_FALSE(refused);
  CHECK(refused.error().message ==
        "old.yaml is revision 3 but the saved document is revision 4; applying it would undo "
        "the changes saved since revision 3");
}

TEST_CASE("documents that cannot lose anything pass the guard", "[change][guard]") {
  const Config old = exported();
  Config saved = old;
  saved.services.push_back(service("s3", "127.0.0.1:9"));

  SECTION("no revision in the document") {
    saved.revision = 4;
    Config incoming = old;
    incoming.revision = 0;
    CHECK(checkRevision(saved, incoming, "new.yaml"));
  }
  SECTION("the saved revision itself, or a newer one") {
    saved.revision = 3;
    CHECK(checkRevision(saved, old, "new.yaml"));
    Config newer = old;
    newer.revision = 8;
    CHECK(checkRevision(saved, newer, "new.yaml"));
  }
  SECTION("an older revision equal to the saved document") {
    Config same = saved;
    saved.revision = 6;
    same.revision = 2;
    CHECK(checkRevision(saved, same, "new.yaml"));
    CHECK(sameDocument(saved, same));
  }
}
