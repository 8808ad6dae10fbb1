// The access-control filters (IP lists, auth, authorization, CORS), built from a document the
// way a snapshot builds them and run against an Exchange without sockets.

#include <crypt.h>
#include <openssl/evp.h>

#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/config/model.hpp"
#include "proxy/filter/auth/auth_filter.hpp"
#include "proxy/filter/auth/consumer_directory.hpp"
#include "proxy/filter/build.hpp"
#include "tests/proxy/exchange/exchange_fixture.hpp"

namespace gw::test {
namespace {

using proxy::Exchange;
using proxy::Reason;
using proxy::filter::FilterChain;
using proxy::filter::Status;
namespace http = boost::beast::http;

// "gw_test_key" and its SHA-256.
constexpr const char* kKey = "gw_0a1b2c3d_test-key-for-the-unit-tests";

std::string sha256Hex(std::string_view text) {
  const auto digest = proxy::filter::sha256(text);
  std::string out;
  for (const std::uint8_t b : digest) {
    constexpr const char* kHex = "0123456789abcdef";
    out += kHex[b >> 4U];
    out += kHex[b & 15U];
  }
  return out;
}

std::string bcrypt(const std::string& password) {
  char salt[CRYPT_GENSALT_OUTPUT_SIZE];
  REQUIRE(crypt_gensalt_rn("$2b$", 4, nullptr, 0, salt, sizeof salt) != nullptr);
  crypt_data data{};
  return crypt_r(password.c_str(), salt, &data);
}

core::Config shopConfig() {
  core::Config config;
  core::Consumer acme;
  acme.name = "acme";
  acme.groups = {"paid"};
  acme.api_keys = {{"0a1b2c3d", sha256Hex(kKey), ""}};
  acme.basic_auth = {{"alice", bcrypt("wonderland")}};
  core::Consumer free;
  free.name = "freeloader";
  free.basic_auth = {{"bob", bcrypt("builder")}};
  config.consumers = {acme, free};
  core::Gateway edge;
  edge.name = "edge";
  config.gateways = {edge};
  core::Route route;
  route.name = "shop";
  route.gateway = "edge";
  route.destinations = {{"frontend", 100}};
  config.routes = {route};
  return config;
}

struct Built {
  core::Config config;
  proxy::filter::StateRegistry states;
  std::vector<std::string> problems;
  FilterChain chain;

  explicit Built(core::Config c) : config(std::move(c)) {
    chain = proxy::filter::buildChain(config, &config.gateways.front(), config.routes.front(),
                                      states, problems);
    REQUIRE(problems.empty());
  }

  Status run(Exchange& exchange, const std::string& raw, std::string_view client = "127.0.0.1") {
    parseInto(exchange, raw);
    exchange.client_ip = client;
    TestHost host;
    return chain.runRequest(exchange, host);
  }
};

std::string get(const std::string& headers = "") {
  return "GET /cart HTTP/1.1\r\nHost: shop.test\r\n" + headers + "\r\n";
}

std::string basic(const std::string& user_password) {
  std::string out(4 * ((user_password.size() + 2) / 3), '\0');
  EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                  reinterpret_cast<const unsigned char*>(user_password.data()),
                  static_cast<int>(user_password.size()));
  return "Authorization: Basic " + out + "\r\n";
}

}  // namespace

TEST_CASE("an API key names its consumer, goes no further upstream, and a bad one is refused",
          "[filter][auth]") {
  core::Config config = shopConfig();
  config.routes[0].auth = core::AuthPolicy{{"api-key"}};
  Built built(config);

  Exchange missing;
  REQUIRE(built.run(missing, get()) == Status::kAnswer);
  CHECK(missing.reason == Reason::kAuthMissing);
  CHECK(missing.local.result_int() == 401);
  CHECK(missing.local["x-gw-error"] == "auth_missing");
  CHECK(missing.local[http::field::www_authenticate] ==
        "ApiKey realm=\"gw\", header=\"x-api-key\"");

  Exchange good;
  REQUIRE(built.run(good, get(std::string("x-api-key: ") + kKey + "\r\n")) == Status::kContinue);
  CHECK(good.facts.consumer == "acme");
  CHECK(good.facts.consumer_index == 0);
  CHECK(good.request()["x-gw-consumer"] == "acme");
  CHECK(good.request()["x-gw-consumer-groups"] == "paid");
  CHECK(good.request().find("x-api-key") == good.request().end());

  Exchange bad;
  REQUIRE(built.run(bad, get(std::string("x-api-key: ") + kKey + "x\r\n")) == Status::kAnswer);
  CHECK(bad.reason == Reason::kAuthInvalid);
  CHECK(bad.facts.consumer.empty());
}

TEST_CASE("the first method that finds a credential decides, and optional auth lets anonymous by",
          "[filter][auth]") {
  core::Config config = shopConfig();
  config.routes[0].auth = core::AuthPolicy{{"api-key", "basic"}, true, true};
  Built built(config);

  Exchange both;  // a bad key decides, whatever the password
  REQUIRE(built.run(both, get("x-api-key: wrong\r\n" + basic("alice:wonderland"))) ==
          Status::kAnswer);
  CHECK(both.reason == Reason::kAuthInvalid);
  CHECK(both.local.count(http::field::www_authenticate) == 2);

  Exchange password;
  REQUIRE(built.run(password, get(basic("alice:wonderland"))) == Status::kContinue);
  CHECK(password.facts.consumer == "acme");
  CHECK(password.facts.auth_method == "basic");
  CHECK(password.request().find(http::field::authorization) != password.request().end());  // kept

  Exchange wrong;
  REQUIRE(built.run(wrong, get(basic("alice:looking-glass"))) == Status::kAnswer);
  CHECK(wrong.reason == Reason::kAuthInvalid);

  Exchange other_user;  // bob's password is not alice's
  REQUIRE(built.run(other_user, get(basic("alice:builder"))) == Status::kAnswer);

  Exchange malformed;
  REQUIRE(built.run(malformed, get("Authorization: Basic !!!\r\n")) == Status::kAnswer);
  CHECK(malformed.reason == Reason::kAuthInvalid);

  Exchange anonymous;
  REQUIRE(built.run(anonymous, get()) == Status::kContinue);
  CHECK(anonymous.facts.consumer.empty());
  CHECK(anonymous.facts.consumer_index == -1);
}

TEST_CASE("a checked password is remembered, and a reload with other consumers forgets it",
          "[filter][auth]") {
  const core::Config config = shopConfig();
  proxy::filter::ConsumerDirectory directory(config.consumers);
  const auto digest = proxy::filter::sha256("Basic YWxpY2U6d29uZGVybGFuZA==");
  CHECK_FALSE(directory.cachedVerdict(digest).has_value());
  CHECK(directory.checkPassword("alice", "wonderland") == 0);
  CHECK(directory.checkPassword("alice", "wonderlan") == -1);
  CHECK(directory.checkPassword("nobody", "wonderland") == -1);
  directory.remember(digest, 0);
  REQUIRE(directory.cachedVerdict(digest).has_value());
  CHECK(*directory.cachedVerdict(digest) == 0);

  // The directory is filter state: kept while consumers[] stays (with its cache), made anew
  // when it changes.
  core::Config c = shopConfig();
  proxy::filter::StateRegistry states;
  std::vector<std::string> problems;
  const auto dirFor = [&](const core::Config& doc) {
    const proxy::filter::BuildContext ctx{doc, doc.routes[0], "route/shop", states, problems};
    return proxy::filter::consumerDirectory(ctx);
  };
  const auto first = dirFor(c);
  first->remember(digest, 0);
  const core::Config same = c;
  CHECK(dirFor(same) == first);
  core::Config changed = c;
  changed.consumers[0].basic_auth[0].hash = bcrypt("changed");
  const auto fresh = dirFor(changed);
  CHECK(fresh != first);
  CHECK_FALSE(fresh->cachedVerdict(digest).has_value());
  // Each thread keeps its own copy in front of the shared cache: a verdict one thread
  // remembered is found from another, and switching directories on a thread loses nothing.
  REQUIRE(first->cachedVerdict(digest).has_value());
  const auto other = proxy::filter::sha256("Basic Ym9iOmJ1aWxkZXI=");
  std::thread([&] { first->remember(other, -1); }).join();
  std::optional<int> seen;
  std::thread([&] { seen = first->cachedVerdict(digest); }).join();
  CHECK(seen == std::optional<int>(0));
  CHECK(first->cachedVerdict(other) == std::optional<int>(-1));
}

TEST_CASE("authorization lets groups and consumers by, deny first, and shadow mode only marks",
          "[filter][authz]") {
  core::Config config = shopConfig();
  config.routes[0].auth = core::AuthPolicy{{"basic"}, true};
  core::Authorization authz;
  authz.allow = core::AccessRule{{}, {"paid"}, {}};
  config.routes[0].authorization = authz;
  Built enforced(config);

  Exchange paid;
  CHECK(enforced.run(paid, get(basic("alice:wonderland"))) == Status::kContinue);
  Exchange unpaid;
  REQUIRE(enforced.run(unpaid, get(basic("bob:builder"))) == Status::kAnswer);
  CHECK(unpaid.reason == Reason::kForbidden);
  CHECK(unpaid.local.result_int() == 403);
  Exchange anonymous;
  REQUIRE(enforced.run(anonymous, get()) == Status::kAnswer);
  CHECK(anonymous.reason == Reason::kForbidden);

  authz.deny = core::AccessRule{{"acme"}, {}, {}};
  authz.allow = core::AccessRule{{"freeloader"}, {"paid"}, {}};
  config.routes[0].authorization = authz;
  Built denied(config);
  Exchange acme;
  REQUIRE(denied.run(acme, get(basic("alice:wonderland"))) == Status::kAnswer);
  CHECK(acme.reason == Reason::kForbidden);
  Exchange bob;
  CHECK(denied.run(bob, get(basic("bob:builder"))) == Status::kContinue);

  authz.mode = core::Authorization::Mode::kShadow;
  config.routes[0].authorization = authz;
  Built shadow(config);
  Exchange watched;
  REQUIRE(shadow.run(watched, get(basic("alice:wonderland"))) == Status::kContinue);
  CHECK(watched.facts.shadow_denied);
  CHECK(watched.facts.access_checked);
  Exchange fine;
  REQUIRE(shadow.run(fine, get(basic("bob:builder"))) == Status::kContinue);
  CHECK_FALSE(fine.facts.shadow_denied);
}

TEST_CASE("IP lists: deny first, allow when given, IPv4-mapped clients normalised",
          "[filter][ip]") {
  core::Config config = shopConfig();
  config.gateways[0].ip.deny = {"10.0.0.66"};
  config.routes[0].ip.allow = {"10.0.0.0/8", "2001:db8::/32"};
  Built built(config);
  REQUIRE(built.chain.size() == 2);

  Exchange inside;
  CHECK(built.run(inside, get(), "10.1.2.3") == Status::kContinue);
  Exchange mapped;
  CHECK(built.run(mapped, get(), "::ffff:10.1.2.3") == Status::kContinue);
  Exchange v6;
  CHECK(built.run(v6, get(), "2001:db8::7") == Status::kContinue);
  Exchange outside;
  REQUIRE(built.run(outside, get(), "192.168.1.1") == Status::kAnswer);
  CHECK(outside.reason == Reason::kIpDenied);
  CHECK(outside.local["x-gw-error"] == "ip_denied");
  Exchange denied;
  REQUIRE(built.run(denied, get(), "10.0.0.66") == Status::kAnswer);
  CHECK(denied.reason == Reason::kIpDenied);
}

TEST_CASE("CORS: preflights answered, refusals named, answers marked for allowed origins only",
          "[filter][cors]") {
  core::Config config = shopConfig();
  core::Cors cors;
  cors.origins = {"https://shop.test", "https://*.shop.test"};
  cors.methods = {"GET", "POST", "DELETE"};
  cors.headers = {"x-api-key"};
  cors.credentials = true;
  config.routes[0].cors = cors;
  config.routes[0].auth = core::AuthPolicy{{"api-key"}};
  Built built(config);

  Exchange preflight;
  REQUIRE(built.run(preflight,
                    "OPTIONS /cart HTTP/1.1\r\nHost: shop.test\r\nOrigin: https://m.shop.test\r\n"
                    "Access-Control-Request-Method: DELETE\r\n"
                    "Access-Control-Request-Headers: X-Api-Key, Content-Type\r\n\r\n") ==
          Status::kAnswer);
  CHECK(preflight.local.result_int() == 204);
  CHECK(preflight.local[http::field::access_control_allow_origin] == "https://m.shop.test");
  CHECK(preflight.local[http::field::access_control_allow_methods] == "GET, POST, DELETE");
  CHECK(preflight.local[http::field::access_control_allow_credentials] == "true");
  CHECK(preflight.local[http::field::access_control_max_age] == "600");

  Exchange stranger;
  REQUIRE(built.run(stranger,
                    "OPTIONS /cart HTTP/1.1\r\nHost: shop.test\r\nOrigin: https://evil.test\r\n"
                    "Access-Control-Request-Method: GET\r\n\r\n") == Status::kAnswer);
  CHECK(stranger.reason == Reason::kCorsRefused);
  CHECK(stranger.local.result_int() == 403);

  Exchange header;
  REQUIRE(built.run(header,
                    "OPTIONS /cart HTTP/1.1\r\nHost: shop.test\r\nOrigin: https://shop.test\r\n"
                    "Access-Control-Request-Method: GET\r\n"
                    "Access-Control-Request-Headers: x-secret\r\n\r\n") == Status::kAnswer);
  CHECK(header.reason == Reason::kCorsRefused);

  // A refusal after CORS still carries its headers, so the page can read the 401.
  Exchange refused;
  REQUIRE(built.run(refused, get("Origin: https://shop.test\r\n")) == Status::kAnswer);
  CHECK(refused.reason == Reason::kAuthMissing);
  built.chain.runResponse(refused, refused.local, false);
  CHECK(refused.local[http::field::access_control_allow_origin] == "https://shop.test");
  CHECK(refused.local[http::field::vary] == "Origin");

  Exchange other;
  REQUIRE(built.run(other, get("Origin: https://shop.test.evil\r\n")) == Status::kAnswer);
  built.chain.runResponse(other, other.local, false);
  CHECK(other.local.find(http::field::access_control_allow_origin) == other.local.end());
}

}  // namespace gw::test
