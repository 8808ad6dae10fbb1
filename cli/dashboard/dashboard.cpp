#include "cli/dashboard/dashboard.hpp"

#include "cli/dashboard/answers.hpp"
#include "cli/dashboard/assets.hpp"
#include "proxy/admin/server.hpp"

namespace gw::dashboard {
namespace {

constexpr const char* kPolicy =
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

void secure(Response& response, bool asset) {
  response.headers.emplace_back("Content-Security-Policy", kPolicy);
  response.headers.emplace_back("X-Content-Type-Options", "nosniff");
  response.headers.emplace_back("Referrer-Policy", "no-referrer");
  response.headers.emplace_back("X-Frame-Options", "DENY");
  response.headers.emplace_back("Cache-Control", asset ? "no-cache" : "no-store");
}

Response redirect(const std::string& location) {
  Response out{303, "text/plain; charset=utf-8", {{"Location", location}}, ""};
  return out;
}

Response loginPage(int status, const std::string& problem) {
  auto asset = findAsset("/login.html");
  std::string body = asset ? asset->body : "<!doctype html><title>gw</title><p>Log in</p>";
  // The page has one placeholder for a problem with the last attempt.
  const std::string marker = "<!--problem-->";
  if (const auto at = body.find(marker); at != std::string::npos) {
    const std::string text =
        problem.empty() ? "" : R"(<p class="problem" role="alert">)" + problem + "</p>";
    body.replace(at, marker.size(), text);
  }
  return Response{status, "text/html; charset=utf-8", {}, std::move(body)};
}

// "/api/v1/routes/shop" -> {"routes", "shop"}; empty segments dropped.
std::vector<std::string> apiParts(const std::string& path) {
  std::vector<std::string> parts;
  std::string_view rest = std::string_view(path).substr(std::string_view("/api/v1").size());
  while (!rest.empty()) {
    const auto slash = rest.find('/');
    if (slash != 0) {
      parts.emplace_back(rest.substr(0, slash));
    }
    rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
  }
  return parts;
}

// The page's files: the login page's style for anyone, the rest with a session.
Response pageFile(const Request& request, bool signed_in) {
  const std::string path = request.path();
  if (request.method != "GET" && request.method != "HEAD") {
    return Response{405, "text/plain; charset=utf-8", {{"Allow", "GET"}}, "method not allowed"};
  }
  if (path == "/app.css" || path == "/favicon.svg") {  // the login page uses them
    if (auto asset = findAsset(path)) {
      return Response{200, asset->content_type, {}, std::move(asset->body)};
    }
  }
  if (!signed_in) {
    return loginPage(path == "/" ? 200 : 401, "");
  }
  auto asset = findAsset(path == "/" ? "/index.html" : path);
  if (!asset || path == "/login.html") {
    return Response{404, "text/plain; charset=utf-8", {}, "not found"};
  }
  return Response{200, asset->content_type, {}, std::move(asset->body)};
}

}  // namespace

Dashboard::Dashboard(Environment env)
    : env_(std::move(env)),
      documents_(env_.home),
      sessions_(env_.home.token().value_or("")),
      objects_(env_, documents_),
      jobs_(env_),
      monitor_(env_.admin) {}

std::string Dashboard::loginUrl(const std::string& host, std::uint16_t port) {
  const std::string shown = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  return "http://" + shown + ":" + std::to_string(port) +
         "/login?token=" + sessions_.newLoginToken();
}

Response Dashboard::handle(const Request& request) {
  Response response = route(request);
  const bool asset = (request.method == "GET" || request.method == "HEAD") &&
                     !request.path().starts_with("/api/") && response.status == 200 &&
                     response.content_type.find("html") == std::string::npos;
  secure(response, asset);
  return response;
}

Response Dashboard::route(const Request& request) {
  const std::string path = request.path();
  if (path == "/login") {
    return login(request);
  }
  const auto session = sessions_.find(request.cookie(Sessions::kCookie));
  if (path == "/logout" && request.method == "POST") {
    if (session) {
      sessions_.logout(session->id);
    }
    Response out = redirect("/login");
    out.headers.emplace_back("Set-Cookie", sessionCookie(""));
    return out;
  }
  if (path.starts_with("/api/")) {
    if (!session) {
      return errorAnswer(401, "no session: open the URL `gw dashboard` printed, or log in");
    }
    if (!path.starts_with("/api/v1/") && path != "/api/v1") {
      return errorAnswer(404, "no such API: this dashboard serves /api/v1/");
    }
    return api(request, *session);
  }
  return pageFile(request, session.has_value());
}

Response Dashboard::login(const Request& request) {
  std::string token;
  if (request.method == "POST") {
    token = formValue(request.body, "token");
  } else if (request.method == "GET") {
    token = request.query("token");
  } else {
    return errorAnswer(405, "GET or POST /login");
  }
  if (token.empty()) {
    if (sessions_.find(request.cookie(Sessions::kCookie))) {
      return redirect("/");
    }
    return loginPage(200, "");
  }
  const auto session = sessions_.login(token);
  if (!session) {
    return loginPage(401,
                     "That token is not valid (a login URL works once): run gw dashboard again "
                     "for a new URL, or paste the admin token.");
  }
  Response out = redirect("/");
  out.headers.emplace_back("Set-Cookie", sessionCookie(session->id));
  return out;
}

Response Dashboard::api(const Request& request, const Session& session) {
  const std::vector<std::string> parts = apiParts(request.path());
  if (request.method == "GET") {
    return apiRead(parts, request, session);
  }
  if (!proxy::constantTimeEquals(request.header("x-gw-csrf"), session.csrf)) {
    return errorAnswer(403, "missing or wrong X-GW-CSRF header");
  }
  return apiChange(parts, request);
}

}  // namespace gw::dashboard
