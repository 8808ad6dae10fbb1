#include "cli/dashboard/answers.hpp"

namespace gw::dashboard {

Response jsonAnswer(int status, const Json& body) {
  return Response{status, "application/json", {}, body.dump()};
}

Response errorAnswer(int status, const std::string& message, Json extra) {
  Json body = {{"error", message}};
  for (const auto& [key, value] : extra.items()) {
    body[key] = value;
  }
  return jsonAnswer(status, body);
}

Response errorAnswer(const core::Error& error) {
  switch (error.kind) {
    case core::ErrorKind::kNotFound:
      return errorAnswer(404, error.message);
    case core::ErrorKind::kUsage:
      return errorAnswer(400, error.message);
    case core::ErrorKind::kValidation: {
      Json details = Json::array();
      for (const std::string& line : error.details) {
        details.push_back({{"path", ""}, {"field", ""}, {"message", line}});
      }
      return errorAnswer(422, error.message, {{"details", std::move(details)}});
    }
    case core::ErrorKind::kRuntime:
      break;
  }
  return errorAnswer(500, error.message);
}

std::optional<Json> jsonBody(const Request& request, Response& error) {
  Json body = Json::parse(request.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) {
    error = errorAnswer(400, "the body must be a JSON object");
    return std::nullopt;
  }
  return body;
}

}  // namespace gw::dashboard
