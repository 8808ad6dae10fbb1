#pragma once
// An HTTP exchange as plain values for web::Server (server.hpp), so that what answers it
// (the dashboard's API, sessions, files) is ordinary code with no Beast or Asio in sight.

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gw::proxy::web {

struct Request {
  std::string method;                          // "GET", "POST", ...
  std::string target;                          // "/api/v1/routes?x=1"
  std::map<std::string, std::string> headers;  // field names in lower case
  std::string body;
  std::string peer;  // the client's address, for the log

  std::string path() const;  // the target without its query, percent-decoded
  // The first value of `key` in the query, percent-decoded ("" when absent).
  std::string query(std::string_view key) const;
  std::string header(const std::string& lower_name) const;
  std::string cookie(std::string_view name) const;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;  // beside the standard ones
  std::string body;
};

// "a%20b+c" -> "a b c" when `plus_is_space` (form fields), else "a b+c". Bad escapes stay.
std::string percentDecode(std::string_view text, bool plus_is_space = false);
// The value of `key` in an application/x-www-form-urlencoded body.
std::string formValue(std::string_view body, std::string_view key);

}  // namespace gw::proxy::web
