// The dashboard's request helpers and sessions, without sockets.
#include <catch2/catch.hpp>

#include "cli/dashboard/sessions.hpp"
#include "proxy/web/http.hpp"

using gw::dashboard::Sessions;
using gw::proxy::web::Request;

TEST_CASE("requests: path, query, cookies and form fields are decoded", "[dashboard]") {
  Request r;
  r.target = "/api/v1/routes/a%20b?since=12&x=%2Fy+z";
  r.headers["cookie"] = "a=1; gw_session=abc; b=2";
  CHECK(r.path() == "/api/v1/routes/a b");
  CHECK(r.query("since") == "12");
  CHECK(r.query("x") == "/y z");
  CHECK(r.query("missing").empty());
  CHECK(r.cookie("gw_session") == "abc");
  CHECK(r.cookie("b") == "2");
  CHECK(r.cookie("c").empty());
  CHECK(gw::proxy::web::formValue("token=a%2Bb+c&x=1", "token") == "a+b c");
  CHECK(gw::proxy::web::percentDecode("100%") == "100%");  // a bad escape stays
}

TEST_CASE("sessions: the login token works once, the admin token always", "[dashboard]") {
  Sessions sessions("admintoken");
  const std::string token = sessions.newLoginToken();
  CHECK(token.size() == 64);
  CHECK_FALSE(sessions.login("wrong"));
  CHECK_FALSE(sessions.login(""));
  const auto first = sessions.login(token);
  REQUIRE(first);
  CHECK_FALSE(sessions.login(token));  // used
  CHECK(first->csrf.size() == 64);
  CHECK(first->csrf != first->id);
  REQUIRE(sessions.find(first->id));
  CHECK(sessions.find(first->id)->csrf == first->csrf);
  const auto second = sessions.login("admintoken");
  REQUIRE(second);
  CHECK(second->id != first->id);
  sessions.logout(first->id);
  CHECK_FALSE(sessions.find(first->id));
  CHECK(sessions.find(second->id));
  CHECK_FALSE(Sessions("").login(""));
}
