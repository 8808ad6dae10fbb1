// The JSON API's routes (docs/dashboard-api.md); the document's objects are objects.cpp's,
// live traffic monitor.cpp's, the TLS states tls.cpp's.

#include <array>
#include <ctime>

#include "cli/dashboard/answers.hpp"
#include "cli/dashboard/dashboard.hpp"

namespace gw::dashboard {
namespace {

// The strings of body[key], or an error naming the key.
std::optional<std::vector<std::string>> strings(const Json& body, const char* key) {
  std::vector<std::string> out;
  if (!body.contains(key)) {
    return out;
  }
  if (!body[key].is_array()) {
    return std::nullopt;
  }
  for (const Json& item : body[key]) {
    if (!item.is_string()) {
      return std::nullopt;
    }
    out.push_back(item.get<std::string>());
  }
  return out;
}

std::string stringOf(const Json& body, const char* key) {
  return body.contains(key) && body[key].is_string() ? body[key].get<std::string>() : "";
}

}  // namespace

Response Dashboard::apiRead(const std::vector<std::string>& parts, const Request& request,
                            const Session& session) {
  if (parts.size() == 1) {
    const std::string& what = parts[0];
    if (what == "session") {
      return sessionInfo(session);
    }
    if (what == "config") {
      return objects_.document();
    }
    if (what == "status") {
      return status();
    }
    if (what == "tls") {
      return tls();
    }
    if (what == "usage") {
      return usage();
    }
    if (what == "traffic") {
      std::int64_t since = 0;
      try {
        const std::string text = request.query("since");
        since = text.empty() ? 0 : std::stoll(text);
      } catch (const std::exception&) {
        return errorAnswer(400, "?since= must be a Unix second");
      }
      return jsonAnswer(200, monitor_.traffic(since));
    }
    if (isObjectKind(what)) {
      return objects_.list(what);
    }
  }
  if (parts.size() == 2 && parts[0] == "jobs") {
    return jobs_.get(parts[1]);
  }
  if (parts.size() == 2 && isObjectKind(parts[0])) {
    return objects_.get(parts[0], parts[1]);
  }
  return errorAnswer(404, "no such API path: " + request.path());
}

Response Dashboard::apiChange(const std::vector<std::string>& parts, const Request& request) {
  const std::string& method = request.method;
  if (parts.size() == 2 && parts[0] == "config" && parts[1] == "check" && method == "POST") {
    return objects_.check(request);
  }
  if (parts.size() == 1 && parts[0] == "explain" && method == "POST") {
    return explain(request);
  }
  if (!parts.empty() && parts[0] == "certificates" && method == "POST") {
    return certificateAction(parts, request);
  }
  if (parts.size() >= 3 && parts[0] == "consumers" && parts[2] == "keys") {
    return consumerKeys(parts, request);
  }
  if (parts.size() == 2 && isObjectKind(parts[0])) {
    if (method == "PUT") {
      return objects_.put(parts[0], parts[1], request);
    }
    if (method == "DELETE") {
      return objects_.remove(parts[0], parts[1], request);
    }
  }
  return errorAnswer(404, "no such API path: " + method + " " + request.path());
}

Response Dashboard::sessionInfo(const Session& session) {
  auto config = documents_.current();
  const auto admin = env_.admin ? env_.admin() : std::nullopt;
  Json proxy_state = {{"running", admin.has_value()}, {"revision", nullptr}};
  if (admin) {
    if (auto served = admin->status()) {
      proxy_state["revision"] = served->revision;
    }
  }
  return jsonAnswer(200, {{"csrf", session.csrf},
                          {"version", env_.version},
                          {"home", env_.home.root().string()},
                          {"revision", config ? Json((*config)->revision) : Json(nullptr)},
                          {"proxy", std::move(proxy_state)}});
}

Response Dashboard::status() const {
  const auto admin = env_.admin ? env_.admin() : std::nullopt;
  if (!admin) {
    return jsonAnswer(200, {{"running", false}, {"status", nullptr}});
  }
  auto doc = admin->status();
  if (!doc) {
    return jsonAnswer(200,
                      {{"running", false}, {"status", nullptr}, {"error", doc.error().message}});
  }
  return jsonAnswer(200, {{"running", true}, {"status", Json::parse(proxy::toJson(*doc))}});
}

Response Dashboard::certificateAction(const std::vector<std::string>& parts,
                                      const Request& request) {
  Response refusal;
  const auto body =
      request.body.empty() ? std::optional<Json>(Json::object()) : jsonBody(request, refusal);
  if (!body) {
    return refusal;
  }
  if (parts.size() == 2 && parts[1] == "issue") {
    const auto domains = strings(*body, "domains");
    if (!domains || domains->empty()) {
      return errorAnswer(400, "\"domains\" must list at least one name");
    }
    std::vector<std::string> args = {"cert", "issue"};
    for (const std::string& domain : *domains) {
      args.push_back("--domain=" + domain);  // "=": a value that looks like a flag stays a value
    }
    const std::pair<const char*, const char*> options[] = {{"issuer", "--issuer"},
                                                           {"gateway", "--gateway"},
                                                           {"email", "--email"},
                                                           {"name", "--name"},
                                                           {"acmeDirectory", "--acme-directory"},
                                                           {"caFile", "--acme-ca-file"}};
    for (const auto& [key, flag] : options) {
      if (const std::string value = stringOf(*body, key); !value.empty()) {
        args.push_back(std::string(flag) + "=" + value);
      }
    }
    return jobs_.start("issue " + domains->front(), args);
  }
  if (parts.size() == 3 && (parts[2] == "renew" || parts[2] == "revoke")) {
    std::vector<std::string> args = {"cert", parts[2]};
    if (parts[2] == "renew") {
      args.emplace_back("--force");
    }
    args.insert(args.end(), {"--", parts[1]});  // "--": the name is never taken for a flag
    return jobs_.start(parts[2] + " " + parts[1], args);
  }
  return errorAnswer(404, "no such API path: POST " + request.path());
}

Response Dashboard::usage() const {
  // Day by day since the first of this month (UTC): a plan's quota is per day or per month.
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  std::array<char, 16> first{};
  std::strftime(first.data(), first.size(), "%Y-%m-01", &utc);
  return runGw(env_, {"usage", "--by", "day", std::string("--from=") + first.data()});
}

Response Dashboard::consumerKeys(const std::vector<std::string>& parts, const Request& request) {
  const std::string& consumer = parts[1];
  if (parts.size() == 3 && request.method == "POST") {
    Response answer = runGw(env_, {"consumer", "key", "create", "--", consumer});
    if (answer.status == 200) {
      answer.status = 201;
    }
    return answer;
  }
  if (parts.size() == 4 && request.method == "DELETE") {
    return runGw(env_, {"consumer", "key", "revoke", "--", consumer, parts[3]});
  }
  return errorAnswer(404, "no such API path: " + request.method + " " + request.path());
}

Response Dashboard::explain(const Request& request) {
  Response refusal;
  const auto body = jsonBody(request, refusal);
  if (!body) {
    return refusal;
  }
  const std::string url = stringOf(*body, "url");
  if (url.empty()) {
    return errorAnswer(400, "\"url\" is the request URL to explain");
  }
  std::vector<std::string> args = {"route", "explain"};
  if (const std::string method = stringOf(*body, "method"); !method.empty()) {
    args.push_back("--method=" + method);
  }
  if (body->contains("headers") && (*body)["headers"].is_object()) {
    for (const auto& [name, value] : (*body)["headers"].items()) {
      if (value.is_string()) {
        args.push_back("--header=" + name + "=" + value.get<std::string>());
      }
    }
  }
  args.insert(args.end(), {"--", url});
  return runGw(env_, args);
}

}  // namespace gw::dashboard
