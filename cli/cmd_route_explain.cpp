// gw route explain URL: which route a request would take on a gateway, and why the others
// did not, straight from the routing table the proxy uses.

#include <algorithm>
#include <cctype>
#include <iostream>

#include "cli/command.hpp"
#include "cli/explain_filters.hpp"
#include "cli/flags.hpp"
#include "cli/mutate.hpp"
#include "cli/output.hpp"
#include "core/config/redirect.hpp"
#include "core/net/host_port.hpp"
#include "core/routing/route_table.hpp"

namespace gw::cli {
namespace {

struct ExplainOptions {
  std::string url;
  std::string gateway;
  std::string method = "GET";
  std::vector<std::string> headers;
};

struct Target {
  std::string scheme = "http";
  std::string authority;  // host[:port], as a Host header
  std::uint16_t port = 80;
  std::string path = "/";
  std::string query;  // without the '?'
};

core::Result<Target> parseUrl(const std::string& url) {
  Target t;
  std::string rest = url;
  if (auto sep = rest.find("://"); sep != std::string::npos) {
    t.scheme = rest.substr(0, sep);
    std::transform(t.scheme.begin(), t.scheme.end(), t.scheme.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    rest = rest.substr(sep + 3);
  }
  if (t.scheme != "http" && t.scheme != "https") {
    return usageError("invalid URL \"" + url + "\": the scheme must be http or https");
  }
  t.port = t.scheme == "https" ? 443 : 80;
  auto slash = rest.find_first_of("/?#");
  t.authority = rest.substr(0, slash);
  if (slash != std::string::npos && rest[slash] == '/') {
    t.path = rest.substr(slash, rest.find_first_of("?#", slash) - slash);
  }
  if (const auto mark = rest.find('?'); mark != std::string::npos) {
    t.query = rest.substr(mark + 1, rest.find('#', mark) - mark - 1);
  }
  const auto parts = core::net::splitAuthority(t.authority);
  if (!parts || parts->host.empty()) {
    return usageError("invalid URL \"" + url + "\": no host (e.g. http://shop.test:8080/)");
  }
  // "shop.test:" keeps the scheme's port (RFC 3986 section 3.2.3).
  if (parts->port && !parts->port->empty()) {
    const auto port = core::net::parsePort(*parts->port);
    if (!port) {
      return usageError("invalid URL \"" + url + "\": bad port");
    }
    t.port = *port;
  }
  return t;
}

// --gateway, else the gateway listening on the URL's port, else the only gateway.
core::Result<const core::Gateway*> pickGateway(const core::Config& config, const ExplainOptions& o,
                                               const Target& t) {
  if (!o.gateway.empty()) {
    const core::Gateway* gateway = config.findGateway(o.gateway);
    if (gateway == nullptr) {
      return notFound("gateway", o.gateway);
    }
    return gateway;
  }
  std::vector<const core::Gateway*> on_port;
  for (const auto& gateway : config.gateways) {
    if (std::any_of(gateway.listeners.begin(), gateway.listeners.end(),
                    [&](const core::Listener& l) { return l.port == t.port; })) {
      on_port.push_back(&gateway);
    }
  }
  if (on_port.size() == 1) {
    return on_port.front();
  }
  if (on_port.empty() && config.gateways.size() == 1) {
    return &config.gateways.front();
  }
  if (config.gateways.empty()) {
    return core::makeError(core::ErrorKind::kNotFound, "there are no gateways");
  }
  std::vector<std::string> names;
  names.reserve(on_port.size());
  for (const auto* gateway : on_port) {
    names.push_back(gateway->name);
  }
  return usageError(on_port.empty() ? "no gateway listens on port " + std::to_string(t.port) +
                                          "; name one with --gateway"
                                    : "several gateways listen on port " + std::to_string(t.port) +
                                          " (" + join(names, ", ") + "); name one with --gateway");
}

std::optional<std::string_view> findHeader(const void* ctx, std::string_view name) {
  const auto& headers = *static_cast<const std::vector<core::HeaderMatch>*>(ctx);
  for (const auto& header : headers) {
    if (std::equal(header.name.begin(), header.name.end(), name.begin(), name.end(),
                   [](char a, char b) {
                     return std::tolower(static_cast<unsigned char>(a)) ==
                            std::tolower(static_cast<unsigned char>(b));
                   })) {
      return std::string_view(header.value);
    }
  }
  return std::nullopt;
}

// What the winning route does with the request: where it forwards, redirects, or its answer.
std::string answerOf(const core::Route& route, const Target& target) {
  if (route.redirect) {
    const core::RequestUrl url{target.scheme, target.authority, target.path, target.query};
    return "redirect " + std::to_string(route.redirect->code) + " " +
           core::redirectLocation(*route.redirect, route, url);
  }
  if (route.direct_response) {
    return "answers " + std::to_string(route.direct_response->status);
  }
  std::vector<std::string> shares;
  if (route.aggregate) {
    for (const auto& backend : route.aggregate->backends) {
      shares.push_back(backend.service + " " + backend.path);
    }
    return "aggregate " + join(shares, ", ");
  }
  for (const auto& d : route.destinations) {
    shares.push_back(d.service + " " + std::to_string(d.weight) + "%");
  }
  return "forward to " + join(shares, ", ");
}

void printExplanation(const Context& ctx, const core::Config& config, const core::Gateway& gw,
                      const Target& target, const core::routing::RequestView& request,
                      const core::routing::Explanation& explanation) {
  const std::string& gateway = gw.name;
  const std::string winner = explanation.winner != nullptr ? explanation.winner->name : "";
  const std::string answer =
      explanation.winner != nullptr ? answerOf(*explanation.winner->route, target) : "";
  const std::vector<std::string> filters = explanation.winner != nullptr
                                               ? filtersMet(config, gw, *explanation.winner->route)
                                               : std::vector<std::string>{};
  if (ctx.format() != Format::kTable) {
    Json candidates = Json::array();
    for (const auto& c : explanation.candidates) {
      candidates.push_back({{"route", c.route}, {"matched", c.matched}, {"reason", c.reason}});
    }
    printStructured(ctx, {{"gateway", gateway},
                          {"method", request.method},
                          {"host", request.host},
                          {"path", request.path},
                          {"hostRule", explanation.host_rule},
                          {"winner", winner.empty() ? Json() : Json(winner)},
                          {"answer", answer.empty() ? Json() : Json(answer)},
                          {"filters", filters},
                          {"candidates", candidates}});
    return;
  }
  const bool color = ctx.colorStdout();
  std::cout << "gateway:    " << gateway << '\n'
            << "request:    " << request.method << ' ' << request.host << request.path << '\n'
            << "host rule:  " << (explanation.host_rule.empty() ? "(none)" : explanation.host_rule)
            << '\n'
            << "winner:     " << (winner.empty() ? red("no route", color) : green(winner, color))
            << '\n';
  for (std::size_t i = 0; i < filters.size(); ++i) {
    std::cout << (i == 0 ? "filters:    " : "            ") << filters[i] << '\n';
  }
  if (!answer.empty()) {
    std::cout << "answer:     " << answer << '\n';
  }
  if (!explanation.candidates.empty()) {
    std::cout << '\n';
    Table table{{"ROUTE", "MATCHED", "REASON"}, {}};
    for (const auto& c : explanation.candidates) {
      table.rows.push_back({c.route, c.matched ? "yes" : "no", c.reason});
    }
    printTable(std::cout, table, color);
  }
}

core::Status runExplain(const ExplainOptions& o, Context& ctx) {
  auto target = parseUrl(o.url);
  if (!target) {
    return std::move(target).error();
  }
  std::vector<core::HeaderMatch> headers;
  for (const auto& header : o.headers) {
    auto parsed = parseHeaderFlag(header);
    if (!parsed) {
      return std::move(parsed).error();
    }
    headers.push_back(*parsed);
  }
  auto config = readConfig(ctx);
  if (!config) {
    return std::move(config).error();
  }
  auto gateway = pickGateway(*config, o, *target);
  if (!gateway) {
    return std::move(gateway).error();
  }
  std::string method = o.method;
  std::transform(method.begin(), method.end(), method.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  auto table = core::routing::RouteTable::build(*config, (*gateway)->name);
  core::routing::RequestView request;
  request.host = target->authority;
  request.path = target->path;
  request.method = method;
  request.ctx = &headers;
  request.header = &findHeader;
  core::routing::Explanation explanation = table->explain(request);
  printExplanation(ctx, *config, **gateway, *target, request, explanation);
  if (explanation.winner == nullptr) {
    return core::makeError(core::ErrorKind::kNotFound, "no route of gateway \"" + (*gateway)->name +
                                                           "\" matches " + method + " " + o.url);
  }
  return core::Ok{};
}

}  // namespace

void setupRouteExplain(CLI::App& route, Context& ctx) {
  auto options = std::make_shared<ExplainOptions>();
  CLI::App* e = addCommand(route, "explain", "Show which route a request takes, and why",
                           "  gw route explain http://shop.test:8080/cart\n"
                           "  gw route explain http://shop.test/api --method POST --header "
                           "x-canary=1 -o json");
  e->add_option("url", options->url, "The request URL (http or https)")
      ->required()
      ->type_name("URL");
  e->add_option("--gateway", options->gateway,
                "Gateway to ask (default: the one listening on the URL's port)")
      ->type_name("GATEWAY");
  e->add_option("--method", options->method, "Request method (default GET)")->type_name("METHOD");
  e->add_option("--header", options->headers, "A request header NAME=VALUE; repeat for more")
      ->type_name("K=V");
  onRun(e, ctx, options, runExplain);
}

}  // namespace gw::cli
