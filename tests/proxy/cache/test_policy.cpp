// RFC 9111 decisions of the response cache: Cache-Control and HTTP dates parsed, each storage
// rule (stored or not, and why), freshness, age, and how a stored answer may be reused.

#include <catch2/catch.hpp>

#include "proxy/cache/policy.hpp"

namespace gw::proxy::cache {
namespace {

CacheControl cc(std::string_view value) {
  CacheControl out;
  parseCacheControl(value, out);
  return out;
}

ResponseFacts response(std::string_view cache_control, unsigned status = 200) {
  ResponseFacts r;
  r.status = status;
  r.cc = cc(cache_control);
  r.date = 1'000'000;
  return r;
}

RequestFacts request(std::string_view cache_control = "") {
  RequestFacts r;
  r.cc = cc(cache_control);
  return r;
}

NotStored why(const RequestFacts& req, const ResponseFacts& res, Seconds ttl = 0) {
  return storability(req, res, ttl).why;
}

}  // namespace

TEST_CASE("Cache-Control directives are read whatever their case, quoting and spacing", "[cache]") {
  const CacheControl c =
      cc(R"(Public, MAX-AGE=60 , s-maxage="120", no-cache="Set-Cookie, X-Foo", private, x-ext=1)");
  CHECK(c.is_public);
  CHECK(c.max_age == 60);
  CHECK(c.s_maxage == 120);
  CHECK(c.no_cache);  // its field names are inside one quoted string, not directives
  CHECK(c.is_private);
  CHECK_FALSE(c.no_store);
  // A malformed max-age makes the answer stale, never fresh for long.
  CHECK(cc("max-age=abc").max_age == 0);
  CHECK(cc("max-age=99999999999999").max_age == Seconds{1} << 31);
  // Several fields combine; max-stale without a value accepts any staleness.
  CacheControl both = cc("max-stale");
  parseCacheControl("min-fresh=5, stale-if-error=30", both);
  CHECK(both.max_stale_any);
  CHECK(both.min_fresh == 5);
  CHECK(both.stale_if_error == 30);
  CHECK(cc("stale-while-revalidate=10").stale_while_revalidate == 10);
  CHECK_FALSE(cc("stale-while-revalidate=x").stale_while_revalidate);
}

TEST_CASE("HTTP dates in the three forms a recipient accepts, nothing else", "[cache]") {
  CHECK(parseHttpDate("Sun, 06 Nov 1994 08:49:37 GMT") == 784111777);
  CHECK(parseHttpDate("Sunday, 06-Nov-94 08:49:37 GMT") == 784111777);
  CHECK(parseHttpDate("Sun Nov  6 08:49:37 1994") == 784111777);
  CHECK_FALSE(parseHttpDate("0"));
  CHECK_FALSE(parseHttpDate("Sun, 06 Nov 1994 08:49:37 CET"));
  CHECK_FALSE(parseHttpDate("Sun, 06 Foo 1994 08:49:37 GMT"));
  CHECK_FALSE(parseHttpDate("Sun, 06 Nov 1994 08:49:37 GMT trailing"));
  char text[30];
  formatHttpDate(784111777, text);
  CHECK(std::string_view(text) == "Sun, 06 Nov 1994 08:49:37 GMT");
}

TEST_CASE("what a shared cache stores, rule by rule", "[cache]") {
  SECTION("max-age, s-maxage or Expires: stored for that long") {
    CHECK(storability(request(), response("max-age=60"), 0).lifetime == 60);
    CHECK(storability(request(), response("max-age=60, s-maxage=5"), 0).lifetime == 5);
    ResponseFacts expires = response("");
    expires.expires = 1'000'030;
    CHECK(storability(request(), expires, 0).lifetime == 30);
  }
  SECTION("nothing said: the route's default TTL, for a status that may be cached") {
    CHECK(why(request(), response("")) == NotStored::kNoFreshness);
    CHECK(storability(request(), response(""), 300).lifetime == 300);
    CHECK(storability(request(), response("", 404), 300).lifetime == 300);
    CHECK(why(request(), response("", 302), 300) == NotStored::kStatus);
    CHECK(why(request(), response("", 500), 300) == NotStored::kStatus);
    CHECK(storability(request(), response("max-age=10", 302), 0).lifetime == 10);
  }
  SECTION("no-store in the request or the response") {
    CHECK(why(request(), response("no-store, max-age=60")) == NotStored::kNoStore);
    CHECK(why(request("no-store"), response("max-age=60")) == NotStored::kNoStore);
  }
  SECTION("private: never in a shared cache") {
    CHECK(why(request(), response("private, max-age=60")) == NotStored::kPrivate);
  }
  SECTION("credentials: only when the answer says it may be shared") {
    RequestFacts with_auth = request();
    with_auth.authorization = true;
    CHECK(why(with_auth, response("max-age=60")) == NotStored::kAuthorization);
    CHECK(why(with_auth, response("public, max-age=60")) == NotStored::kStored);
    CHECK(why(with_auth, response("s-maxage=60")) == NotStored::kStored);
    CHECK(why(with_auth, response("must-revalidate, max-age=60")) == NotStored::kStored);
  }
  SECTION("Set-Cookie and Vary: * are never stored") {
    ResponseFacts cookie = response("public, max-age=60");
    cookie.set_cookie = true;
    CHECK(why(request(), cookie) == NotStored::kSetCookie);
    ResponseFacts star = response("max-age=60");
    star.vary_star = true;
    CHECK(why(request(), star) == NotStored::kVaryStar);
  }
  SECTION("only GET; never a partial answer") {
    RequestFacts post = request();
    post.get = false;
    CHECK(why(post, response("max-age=60")) == NotStored::kMethod);
    CHECK(why(request(), response("max-age=60", 206)) == NotStored::kStatus);
  }
  SECTION("stale at once: only with a validator to revalidate it") {
    CHECK(why(request(), response("max-age=0")) == NotStored::kNoFreshness);
    ResponseFacts with_etag = response("max-age=0");
    with_etag.validator = true;
    CHECK(why(request(), with_etag) == NotStored::kStored);
    ResponseFacts bad_expires = response("");
    bad_expires.expires_invalid = true;
    bad_expires.validator = true;
    CHECK(storability(request(), bad_expires, 300).lifetime == 0);
  }
}

TEST_CASE("an answer's age counts its time on the way and in the cache", "[cache]") {
  ResponseFacts r = response("max-age=60");
  r.date = 1000;
  // Sent at 1000, answered at 1002 with Age 5, now 1010: 5 + 2 on the way + 8 here.
  r.age = 5;
  CHECK(currentAge(r, 1000, 1002, 1010) == 15);
  // A Date later than the answer's arrival (a clock ahead) adds nothing.
  r.age.reset();
  r.date = 2000;
  CHECK(currentAge(r, 1000, 1000, 1000) == 0);
  // A Date well before it (an answer that sat in another cache without Age) counts.
  r.date = 900;
  CHECK(currentAge(r, 1000, 1000, 1000) == 100);
}

TEST_CASE("a stored answer serves fresh, stale while revalidated, or after revalidation",
          "[cache]") {
  const ResponseFacts plain = response("max-age=60");
  CHECK(reuse(request(), plain, 60, 59).use == Use::kFresh);
  CHECK(reuse(request(), plain, 60, 60).use == Use::kRevalidate);  // fresh means age < lifetime
  // The client's no-cache, max-age=0 or min-fresh send it to the origin first.
  CHECK(reuse(request("no-cache"), plain, 60, 1).use == Use::kRevalidate);
  CHECK(reuse(request("max-age=0"), plain, 60, 1).use == Use::kRevalidate);
  CHECK(reuse(request("min-fresh=30"), plain, 60, 40).use == Use::kRevalidate);
  CHECK(reuse(request("min-fresh=30"), plain, 60, 20).use == Use::kFresh);
  // So does the answer's own no-cache.
  CHECK(reuse(request(), response("no-cache, max-age=60"), 60, 1).use == Use::kRevalidate);
  // stale-while-revalidate: stale within its window is served, revalidated behind.
  const ResponseFacts swr = response("max-age=60, stale-while-revalidate=30");
  CHECK(reuse(request(), swr, 60, 80).use == Use::kStaleWhileRevalidate);
  CHECK(reuse(request(), swr, 60, 91).use == Use::kRevalidate);
  // max-stale from the client.
  CHECK(reuse(request("max-stale=10"), plain, 60, 65).use == Use::kStale);
  CHECK(reuse(request("max-stale"), plain, 60, 6000).use == Use::kStale);
  // stale-if-error: may serve when revalidation fails, within its window.
  const ResponseFacts sie = response("max-age=60, stale-if-error=100");
  CHECK(reuse(request(), sie, 60, 120).stale_if_error);
  CHECK_FALSE(reuse(request(), sie, 60, 200).stale_if_error);
  CHECK(reuse(request("stale-if-error=500"), plain, 60, 200).stale_if_error);
  // must-revalidate, proxy-revalidate and s-maxage: never stale, even on error.
  for (const char* strict : {"max-age=60, must-revalidate, stale-if-error=100",
                             "max-age=60, proxy-revalidate, stale-while-revalidate=100",
                             "s-maxage=60, stale-if-error=100"}) {
    INFO(strict);
    const Reuse r = reuse(request("max-stale"), response(strict), 60, 80);
    CHECK(r.use == Use::kRevalidate);
    CHECK_FALSE(r.stale_if_error);
  }
}

}  // namespace gw::proxy::cache
