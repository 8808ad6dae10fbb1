// An external authorizer (authorization.external, as Traefik's forwardAuth): a real HTTP
// server on 127.0.0.1 decides from the headers gw sends it, and gw follows its verdict,
// its silence (onError) and its absence.

#include <catch2/catch.hpp>

#include "tests/integration/access_story.hpp"

using namespace gw::test;

namespace {

// 200 for /public..., for requests of consumer acme, and when the client's method and host
// came through; 403 otherwise; /slow... answers after 3 s.
constexpr const char* kAuthorizer = R"(
import http.server, sys, time
class Check(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        uri = self.headers.get('X-Forwarded-Uri', '')
        if uri.startswith('/slow'):
            time.sleep(3)
        seen = (self.headers.get('X-Forwarded-Method') == 'GET' and
                self.headers.get('X-Forwarded-Host') == 'shop.test' and
                self.headers.get('X-Forwarded-For') == '127.0.0.1')
        ok = seen and (uri.startswith('/public') or self.headers.get('x-gw-consumer') == 'acme')
        self.send_response(200 if ok else 403)
        self.send_header('Content-Length', '0')
        self.end_headers()
    def log_message(self, *args):
        pass
http.server.ThreadingHTTPServer(('127.0.0.1', int(sys.argv[1])), Check).serve_forever()
)";

}  // namespace

TEST_CASE("an external authorizer's verdict, silence and absence decide", "[access][external]") {
  TempDir dir;
  writeText(dir.path() / "authorizer.py", kAuthorizer);
  const auto authorizer_port = freePort();
  auto authorizer = Process::spawn(
      {"python3", (dir.path() / "authorizer.py").string(), std::to_string(authorizer_port)});
  REQUIRE(waitForPort(authorizer_port));

  AccessStory story;
  story.must({"consumer", "add", "acme"});
  const std::string key = story.createKey("acme");
  story.must({"route", "update", "shop", "--auth", "api-key", "--auth-optional", "--authz-url",
              "http://127.0.0.1:" + std::to_string(authorizer_port) + "/check", "--authz-timeout",
              "500ms"});

  CHECK(story.get("shop.test", "/public/page").status == 200);
  const HttpResponse refused = story.get("shop.test", "/private");
  CHECK(refused.status == 403);
  CHECK(refused.header("x-gw-error") == "forbidden");
  CHECK(story.get("shop.test", "/private", {"-H", "x-api-key: " + key}).status == 200);

  // No answer within the timeout: onError decides, deny by default.
  CHECK(story.get("shop.test", "/slow").status == 403);
  story.must({"route", "update", "shop", "--authz-on-error", "allow"});
  CHECK(story.get("shop.test", "/slow").status == 200);

  // The authorizer gone: deny again once onError says so.
  authorizer.stop();
  REQUIRE(waitForPortClosed(authorizer_port));
  CHECK(story.get("shop.test", "/private").status == 200);  // onError: allow
  story.must({"route", "update", "shop", "--authz-on-error", "deny"});
  CHECK(story.get("shop.test", "/private").status == 403);
}
