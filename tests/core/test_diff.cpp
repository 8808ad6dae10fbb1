#include <catch2/catch.hpp>
#include <string>

#include "core/config/document.hpp"

using namespace gw::core;

namespace {

Config shop() {
  Config c;
  Gateway g;
  g.name = "shop-ingress";
  g.listeners = {{"http", Protocol::kHttp, 8080}};
  c.gateways.push_back(g);
  for (const char* name : {"frontend", "frontendv2"}) {
    Service s;
    s.name = name;
    s.endpoints = {{"127.0.0.1:9001", 1}};
    c.services.push_back(s);
  }
  Route r;
  r.name = "shop";
  r.gateway = "shop-ingress";
  r.hosts = {"shop.test"};
  r.destinations = {{"frontend", 100}};
  c.routes.push_back(r);
  return c;
}

}  // namespace

TEST_CASE("equal documents have an empty diff, whatever their revisions", "[diff]") {
  Config a = shop();
  Config b = shop();
  b.revision = 12;
  // NOLINTNEXTLINE(readability-container-size-empty): Catch2 prints both sides of ==
  CHECK(diff(a, b, "current", "new") == "");
}

// Expected texts match GNU `diff -u` on the same two encodings.
TEST_CASE("a changed split shows as a unified diff with three lines of context", "[diff]") {
  Config before = shop();
  before.revision = 4;
  Config after = shop();
  after.routes[0].destinations = {{"frontend", 50}, {"frontendv2", 50}};
  CHECK(diff(before, after, "config.yaml (revision 4)", "new.yaml") ==
        R"(--- config.yaml (revision 4)
+++ new.yaml
@@ -15,3 +15,6 @@
     hosts: [shop.test]
     destinations:
       - service: frontend
+        weight: 50
+      - service: frontendv2
+        weight: 50
)");
}

TEST_CASE("changes far apart get a hunk each", "[diff]") {
  Config before = shop();
  Config after = shop();
  after.gateways[0].listeners[0].port = 9090;
  after.routes[0].hosts = {"shop.example"};
  CHECK(diff(before, after, "a", "b") == R"(--- a
+++ b
@@ -3,7 +3,7 @@
   - name: shop-ingress
     listeners:
       - protocol: http
-        port: 8080
+        port: 9090
 services:
   - name: frontend
     endpoints: [127.0.0.1:9001]
@@ -12,6 +12,6 @@
 routes:
   - name: shop
     gateway: shop-ingress
-    hosts: [shop.test]
+    hosts: [shop.example]
     destinations:
       - service: frontend
)");
}

TEST_CASE("a removed section shows as removed lines", "[diff]") {
  Config before = shop();
  Config after = shop();
  after.routes.clear();
  CHECK(diff(before, after, "a", "b") == R"(--- a
+++ b
@@ -9,9 +9,3 @@
     endpoints: [127.0.0.1:9001]
   - name: frontendv2
     endpoints: [127.0.0.1:9001]
-routes:
-  - name: shop
-    gateway: shop-ingress
-    hosts: [shop.test]
-    destinations:
-      - service: frontend
)");
}
