// API call aggregation as a user meets it: `gw route add --aggregate` over services of
// gw-echo backends, curl through the running proxy, and the merged answer read back: every
// backend under its group, path parameters and the query substituted, the consumer and the
// request id on every call; a slow, a non-JSON and a stopped backend each visible in the
// answer, never hidden in a plain 200; documents that make no sense refused.

#include <catch2/catch.hpp>
#include <chrono>
#include <memory>

#include "tests/integration/access_story.hpp"

using namespace gw::test;

namespace {

// The access story's gateway, plus services users, orders and flags, each one gw-echo.
class AggregateStory {
 public:
  AggregateStory()
      : users_(std::make_unique<EchoBackend>("users")),
        orders_(std::make_unique<EchoBackend>("orders")),
        flags_(std::make_unique<EchoBackend>("flags")) {
    story_.must({"service", "add", "users", "--endpoint", users_->endpoint()});
    story_.must({"service", "add", "orders", "--endpoint", orders_->endpoint()});
    story_.must({"service", "add", "flags", "--endpoint", flags_->endpoint()});
  }

  // gw route add account ... --aggregate ... (with the flags given after the defaults).
  void addRoute(const std::vector<std::string>& backends,
                const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args{"route",     "add",    "account",
                                  "--gateway", "edge",   "--host",
                                  "shop.test", "--path", "^/account/([0-9]+)$",
                                  "--match",   "regex"};
    for (const std::string& backend : backends) {
      args.insert(args.end(), {"--aggregate", backend});
    }
    args.insert(args.end(), extra.begin(), extra.end());
    story_.must(args);
  }

  HttpResponse get(const std::string& path, const std::vector<std::string>& extra = {}) const {
    return story_.get("shop.test", path, extra);
  }

  static nlohmann::json body(const HttpResponse& answer) {
    INFO("body: " << answer.body);
    auto json = nlohmann::json::parse(answer.body, nullptr, false);
    REQUIRE(json.is_object());
    return json;
  }

  AccessStory& story() { return story_; }
  void stopUsers() { users_.reset(); }

 private:
  AccessStory story_;
  std::unique_ptr<EchoBackend> users_;
  std::unique_ptr<EchoBackend> orders_;
  std::unique_ptr<EchoBackend> flags_;
};

const std::string kUsers = "service=users,path=/_echo?user={1},group=user,required";
const std::string kOrders =
    "service=orders,path=/_echo?orders={1}&limit={query.limit},group=orders";
const std::string kFlags = "name=flags,service=flags,path=/_echo?flags=1,field=method";

}  // namespace

TEST_CASE("an aggregate route answers with every backend's JSON under its group", "[aggregate]") {
  AggregateStory s;
  s.addRoute({kUsers, kOrders, kFlags});
  const HttpResponse answer = s.get("/account/42?limit=5");
  REQUIRE(answer.status == 200);
  CHECK(answer.header("x-gw-completed") == "true");
  CHECK(answer.header("content-type") == "application/json");
  const auto body = AggregateStory::body(answer);
  // Path parameters and the query substituted, each backend called with GET.
  CHECK(body["user"]["target"] == "/_echo?user=42");
  CHECK(body["orders"]["target"] == "/_echo?orders=42&limit=5");
  CHECK(body["method"] == "GET");        // flags' one field, merged at the top level
  CHECK_FALSE(body.contains("target"));  // flags' other fields left out
  CHECK_FALSE(body.contains("_errors"));
  // Every backend got the request's id, and asked for JSON.
  const std::string id = answer.header("x-request-id");
  REQUIRE_FALSE(id.empty());
  CHECK(body["user"]["headers"]["x-request-id"] == id);
  CHECK(body["orders"]["headers"]["x-request-id"] == id);
  CHECK(body["user"]["headers"]["accept"] == "application/json");
  // The merged answer is what gw route get and the access log show for the route.
  CHECK(s.story().must({"route", "get", "account", "-o", "yaml"}).find("group: orders") !=
        std::string::npos);
  CHECK(s.story().accessLogLine(answer)["status"] == 200);
  CHECK(s.story().must({"route", "list"}).find("aggregate users+orders+flags") !=
        std::string::npos);
  CHECK(s.story()
            .must({"route", "explain", "http://shop.test/account/42"})
            .find("aggregate users /_echo?user={1}, orders") != std::string::npos);
  // A path the route does not match is not aggregated: the shop route forwards it.
  const HttpResponse other = s.get("/account/abc");
  CHECK(other.status == 200);
  CHECK(other.header("x-gw-completed").empty());
}

TEST_CASE("a compressing route compresses the merged answer too", "[aggregate]") {
  AggregateStory s;
  s.addRoute({kUsers, kOrders}, {"--compress", "--compress-min-size", "100"});
  const HttpResponse answer = s.get("/account/9", {"-H", "Accept-Encoding: gzip", "--compressed"});
  REQUIRE(answer.status == 200);
  CHECK(answer.header("content-encoding") == "gzip");
  CHECK(answer.header("vary") == "Accept-Encoding");
  CHECK(AggregateStory::body(answer)["user"]["target"] == "/_echo?user=9");  // curl unpacked it
  const HttpResponse plain = s.get("/account/9");
  CHECK(plain.header("content-encoding").empty());
  CHECK(AggregateStory::body(plain)["orders"]["target"] == "/_echo?orders=9&limit=");
}

TEST_CASE("filters before the aggregate apply once, and the consumer goes to every backend",
          "[aggregate]") {
  AggregateStory s;
  s.addRoute({kUsers, kOrders}, {"--auth", "api-key"});
  s.story().must({"consumer", "add", "acme"});
  const std::string key = s.story().createKey("acme");
  CHECK(s.get("/account/7").status == 401);  // refused before any backend is called
  const HttpResponse answer = s.get("/account/7", {"-H", "x-api-key: " + key});
  REQUIRE(answer.status == 200);
  const auto body = AggregateStory::body(answer);
  CHECK(body["user"]["headers"]["x-gw-consumer"] == "acme");
  CHECK(body["orders"]["headers"]["x-gw-consumer"] == "acme");
  // The key itself never reaches a backend's answer to the client... it reached the backend
  // only as the client sent it; the consumer is what the gateway vouches for.
  const auto stats = s.story().statsWhen([](const nlohmann::json& st) {
    return st["routes"].contains("account") && st["routes"]["account"]["requests"] == 2;
  });
  CHECK(stats["routes"]["account"]["requests"] == 2);
}

TEST_CASE("a backend slower than the timeout leaves the answer incomplete, not late",
          "[aggregate]") {
  AggregateStory s;
  s.addRoute({kUsers, "service=orders,path=/_echo?delay=3s,group=orders", kFlags},
             {"--aggregate-timeout", "500ms"});
  const auto started = std::chrono::steady_clock::now();
  const HttpResponse answer = s.get("/account/1");
  const auto took = std::chrono::steady_clock::now() - started;
  REQUIRE(answer.status == 200);
  CHECK(answer.header("x-gw-completed") == "false");
  const auto body = AggregateStory::body(answer);
  CHECK(body["_errors"]["orders"] == "timed out after 500ms");
  CHECK(body["user"]["target"] == "/_echo?user=1");
  CHECK(body["method"] == "GET");
  CHECK(took < std::chrono::milliseconds(2500));  // the slow backend was not waited for
}

TEST_CASE("backends are called at once, not one after the other", "[aggregate]") {
  AggregateStory s;
  s.addRoute({"service=users,path=/_echo?delay=400ms,group=a",
              "service=orders,path=/_echo?delay=400ms,group=b",
              "service=flags,path=/_echo?delay=400ms,group=c"});
  const auto started = std::chrono::steady_clock::now();
  const HttpResponse answer = s.get("/account/1");
  const auto took = std::chrono::steady_clock::now() - started;
  REQUIRE(answer.status == 200);
  CHECK(answer.header("x-gw-completed") == "true");
  CHECK(took < std::chrono::milliseconds(1200));  // three in a row take 1.2 s at least
}

TEST_CASE("a backend answering something other than JSON is reported, not merged", "[aggregate]") {
  AggregateStory s;
  s.addRoute({kUsers, kOrders, "name=flags,service=flags,path=/plain,group=flags"});
  const HttpResponse answer = s.get("/account/3");
  REQUIRE(answer.status == 200);
  CHECK(answer.header("x-gw-completed") == "false");
  const auto body = AggregateStory::body(answer);
  CHECK(body["_errors"]["flags"] == "answered with something that is not JSON");
  CHECK_FALSE(body.contains("flags"));
  CHECK(body["orders"]["target"] == "/_echo?orders=3&limit=");

  // An error status is a failure too, named with its status.
  s.story().must({"route", "update", "account", "--aggregate", kUsers, "--aggregate",
                  "service=orders,path=/_echo?status=503,group=orders"});
  const auto failed = AggregateStory::body(s.get("/account/3"));
  CHECK(failed["_errors"]["orders"] == "answered 503");
}

TEST_CASE("a required backend that is down makes the answer a 502", "[aggregate]") {
  AggregateStory s;
  s.addRoute({kUsers, kOrders});
  REQUIRE(s.get("/account/5").status == 200);
  s.stopUsers();
  const HttpResponse answer = s.get("/account/5");
  CHECK(answer.status == 502);
  CHECK(answer.header("x-gw-error") == "aggregate_failed");
  CHECK(answer.header("x-gw-completed") == "false");
  const auto body = AggregateStory::body(answer);
  CHECK(body["error"] == "aggregate_failed");
  CHECK(body["_errors"]["user"] == "connection refused");
  CHECK_FALSE(body.contains("orders"));  // no partial data in a failure

  // Made optional, the same outage leaves an incomplete 200.
  s.story().must({"route", "update", "account", "--aggregate",
                  "service=users,path=/_echo?user={1},group=user", "--aggregate", kOrders});
  const HttpResponse partial = s.get("/account/5");
  CHECK(partial.status == 200);
  CHECK(partial.header("x-gw-completed") == "false");
  CHECK(AggregateStory::body(partial)["_errors"]["user"] == "connection refused");
}

TEST_CASE("aggregates that make no sense are refused with the field named", "[aggregate]") {
  AggregateStory s;
  const auto refused = [&](const std::vector<std::string>& backends) {
    std::vector<std::string> args{"route",         "add",     "bad",    "--gateway",
                                  "edge",          "--host",  "x.test", "--path",
                                  "^/x/([0-9]+)$", "--match", "regex"};
    for (const std::string& backend : backends) {
      args.insert(args.end(), {"--aggregate", backend});
    }
    const RunResult r = s.story().home().gw(args);
    CHECK(r.exit_code != 0);
    return r.err;
  };
  CHECK(refused({"service=users,path=/a,group=g", "service=orders,path=/b,group=g"})
            .find("aggregate.backends[1].group: duplicate key \"g\"") != std::string::npos);
  CHECK(refused({"service=nope,path=/a,group=g"})
            .find("aggregate.backends[0].service: no service named \"nope\"") != std::string::npos);
  CHECK(refused({"service=users,path=/a/{2}"}).find("{2} needs a capture group 2") !=
        std::string::npos);
  CHECK(refused({"service=users,path=/a", "service=orders,path=/b"})
            .find("both merge every field at the top level") != std::string::npos);
  const RunResult usage = s.story().home().gw(
      {"route", "add", "bad", "--gateway", "edge", "--host", "x.test", "--aggregate", "users"});
  CHECK(usage.exit_code == 2);
  CHECK(usage.err.find("expected key=value") != std::string::npos);
  const RunResult both =
      s.story().home().gw({"route", "add", "bad", "--gateway", "edge", "--host", "x.test", "--to",
                           "app", "--aggregate", "service=users,path=/a"});
  CHECK(both.exit_code == 2);
  // Nothing of it was kept; a service an aggregate uses cannot be deleted.
  CHECK(s.story().home().gw({"route", "get", "bad"}).exit_code != 0);
  s.addRoute({kUsers});
  const RunResult in_use = s.story().home().gw({"service", "delete", "users"});
  CHECK(in_use.exit_code != 0);
  CHECK(in_use.err.find("account (--aggregate)") != std::string::npos);
}
