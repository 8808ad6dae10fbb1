#pragma once
// JSON answers of the dashboard's API: every error is {"error": "..."} plus keys that help.

#include <nlohmann/json.hpp>
#include <string>

#include "core/result.hpp"
#include "proxy/web/http.hpp"

namespace gw::dashboard {

using Json = nlohmann::ordered_json;
using proxy::web::formValue;
using proxy::web::Request;
using proxy::web::Response;

Response jsonAnswer(int status, const Json& body);
Response errorAnswer(int status, const std::string& message, Json extra = Json::object());
// A core error as an answer: kNotFound 404, kUsage 400, kValidation 422 (details as
// {"path", "field", "message"}), kRuntime 500.
Response errorAnswer(const core::Error& error);

// The body as a JSON object, or nullopt (then `error` holds the 400 answer).
std::optional<Json> jsonBody(const Request& request, Response& error);

}  // namespace gw::dashboard
