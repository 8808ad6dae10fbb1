#include "tests/integration/dashboard_client.hpp"

#include <catch2/catch.hpp>

namespace gw::test {

DashboardClient::DashboardClient(const GwHome& home)
    : process_(Process::spawn({GW_BINARY, "--home", home.home(), "dashboard", "--port", "0"})) {
  const auto line = process_.readLine(20s);
  REQUIRE(line.has_value());
  url_ = *line;
  const auto colon = url_.rfind(':');
  REQUIRE(url_.starts_with("http://127.0.0.1:"));
  port_ = static_cast<std::uint16_t>(std::stoi(url_.substr(colon + 1)));
}

bool DashboardClient::login() {
  const std::string path = url_.substr(url_.find('/', 7));
  const HttpResponse r = httpGet(port_, "127.0.0.1", path);
  const std::string set_cookie = r.header("set-cookie");
  if (r.status != 303 || set_cookie.empty()) {
    return false;
  }
  cookie_ = set_cookie.substr(0, set_cookie.find(';'));
  const auto session = json(call("GET", "/api/v1/session"));
  csrf_ = session.value("csrf", "");
  return !csrf_.empty();
}

HttpResponse DashboardClient::call(const std::string& method, const std::string& path,
                                   const nlohmann::json& body, bool csrf) const {
  std::vector<std::string> extra = {"-X", method, "-b", cookie_};
  if (csrf) {
    extra.insert(extra.end(), {"-H", "X-GW-CSRF: " + csrf_});
  }
  if (!body.is_null()) {
    extra.insert(extra.end(),
                 {"-H", "Content-Type: application/json", "--data-binary", body.dump()});
  }
  return httpGet(port_, "127.0.0.1", path, extra);
}

HttpResponse DashboardClient::anonymous(const std::string& method, const std::string& path) const {
  return httpGet(port_, "127.0.0.1", path, {"-X", method});
}

nlohmann::json DashboardClient::json(const HttpResponse& response) {
  auto parsed = nlohmann::json::parse(response.body, nullptr, false);
  return parsed.is_discarded() ? nlohmann::json() : parsed;
}

}  // namespace gw::test
