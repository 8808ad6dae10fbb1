#include "proxy/upstream/fetch.hpp"

#include <boost/beast/http/string_body.hpp>
#include <optional>

#include "core/net/host_port.hpp"
#include "proxy/http/headers.hpp"
#include "proxy/tls/client_context.hpp"
#include "proxy/upstream/call.hpp"

namespace gw::proxy {
namespace {

struct Url {
  bool https = false;
  std::string host;
  std::uint16_t port = 0;
  std::string target;  // path and query
  std::string authority;
};

std::optional<Url> parseUrl(const std::string& text) {
  Url url;
  std::string_view rest = text;
  if (rest.rfind("https://", 0) == 0) {
    url.https = true;
    rest.remove_prefix(8);
  } else if (rest.rfind("http://", 0) == 0) {
    rest.remove_prefix(7);
  } else {
    return std::nullopt;
  }
  const auto slash = rest.find('/');
  url.authority = std::string(rest.substr(0, slash));
  url.target = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
  const auto authority = core::net::splitAuthority(url.authority);
  if (!authority || authority->host.empty()) {
    return std::nullopt;
  }
  url.host = std::string(authority->host);
  url.port = url.https ? 443 : 80;
  if (authority->port) {
    const auto port = core::net::parsePort(*authority->port);
    if (!port) {
      return std::nullopt;
    }
    url.port = *port;
  }
  return url;
}

core::Error failed(const std::string& url, const std::string& why) {
  return core::makeError(core::ErrorKind::kRuntime, "GET " + url + ": " + why);
}

// The steps of one GET, chained through the call's handlers; `error` says where it stopped.
struct Exchange {
  UpstreamCall& call;
  std::string request;
  http::response_parser<http::string_body> parser;
  std::string error;

  void start(const tcp::endpoint& address, const tls::EndpointTls* tls) {
    call.connect(address, 0, tls, nullptr, [this](error_code ec) {
      if (ec) {
        return done("connect", ec);
      }
      call.write(asio::buffer(request), [this](error_code write_ec, std::size_t) {
        if (write_ec) {
          return done("send", write_ec);
        }
        call.read(parser, [this](error_code read_ec, std::size_t) { done("read", read_ec); });
      });
    });
  }

  // The last step: its error if any, and the deadline's timer cancelled, so run() returns.
  void done(const char* step, error_code ec) {
    if (ec) {
      error = describe(step, ec);
    }
    call.noDeadline();
  }

  std::string describe(const char* step, error_code ec) const {
    return std::string(step) + ": " + call.outcome(ec).message();
  }
};

}  // namespace

core::Result<std::string> fetchDocument(const std::string& url, const std::string& ca_file,
                                        std::chrono::milliseconds timeout, std::size_t max_bytes) {
  const auto parsed = parseUrl(url);
  if (!parsed) {
    return failed(url, "not an http:// or https:// URL");
  }
  asio::io_context ioc{1};
  tcp::resolver resolver(ioc);
  error_code ec;
  const auto found = resolver.resolve(parsed->host, std::to_string(parsed->port), ec);
  if (ec || found.empty()) {
    return failed(url, "cannot resolve " + parsed->host);
  }
  std::shared_ptr<const tls::ClientContext> context;
  std::optional<tls::EndpointTls> tls;
  if (parsed->https) {
    std::string problem;
    context = tls::ClientContext::build(core::UpstreamTls{"", ca_file, true}, problem);
    if (!context) {
      return failed(url, problem);
    }
    tls.emplace(context, parsed->host, "GET " + url);
  }
  UpstreamCall call(ioc, UpstreamCall::Deadlines::kTimer);
  Exchange exchange{call, {}, {}, {}};
  http::request_header<> head;
  head.method(http::verb::get);
  head.target(parsed->target);
  head.version(11);
  head.set(http::field::host, parsed->authority);
  head.set(http::field::accept, "application/json");
  head.set(http::field::connection, "close");
  appendHead(head, exchange.request);
  exchange.parser.body_limit(max_bytes);
  call.expiresAt(Clock::now() + timeout);
  exchange.start(found.begin()->endpoint(), tls ? &*tls : nullptr);
  ioc.run();
  call.finish(nullptr, false, Clock::now());
  if (!exchange.error.empty()) {
    return failed(url, exchange.error);
  }
  const unsigned status = exchange.parser.get().result_int();
  if (status < 200 || status > 299) {
    return failed(url, "answered " + std::to_string(status));
  }
  return std::move(exchange.parser.get().body());
}

}  // namespace gw::proxy
