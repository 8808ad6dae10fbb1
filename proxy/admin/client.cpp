#include "proxy/admin/client.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <cctype>

#include "core/net/host_port.hpp"
#include "proxy/http/headers.hpp"
#include "proxy/upstream/call.hpp"

namespace gw::proxy {
namespace {

core::Error transportError(const std::string& address, const std::string& what) {
  return core::makeError(core::ErrorKind::kRuntime, "admin API at " + address + ": " + what);
}

// GET `path` and parse its 200 answer with `parse`.
template <class Doc, class Parse>
core::Result<Doc> getDocument(const AdminClient& client, const std::string& path, Parse parse) {
  auto response = client.get(path);
  if (!response) {
    return std::move(response).error();
  }
  const std::string shown = path.substr(0, path.find('?'));
  if (response->status != 200) {
    return core::makeError(core::ErrorKind::kRuntime,
                           shown + " answered HTTP " + std::to_string(response->status));
  }
  auto doc = parse(response->body);
  if (!doc) {
    return std::move(doc).error().context(shown);
  }
  return doc;
}

// The proxy's own words for a refusal, or its status and first line when it has none.
core::Error refusalOf(const AdminResponse& response) {
  if (auto doc = parseError(response.body); doc) {
    return core::makeError(core::ErrorKind::kRuntime, doc->error,
                           doc->details.value_or(std::vector<std::string>{}));
  }
  std::string message = "HTTP " + std::to_string(response.status);
  if (!response.body.empty()) {
    message += ": " + response.body.substr(0, response.body.find('\n'));
  }
  return core::makeError(core::ErrorKind::kRuntime, message);
}

}  // namespace

AdminClient::AdminClient(std::string address, std::string token)
    : address_(std::move(address)), token_(std::move(token)) {}

core::Result<AdminResponse> AdminClient::get(std::string_view path,
                                             std::chrono::milliseconds timeout) const {
  return request(false, path, timeout);
}

core::Result<AdminResponse> AdminClient::post(std::string_view path,
                                              std::chrono::milliseconds timeout) const {
  return request(true, path, timeout);
}

bool AdminClient::ready() const {
  auto response = request(false, "/ready", std::chrono::milliseconds(1000));
  return response.ok() && response->status == 200;
}

core::Result<StatusDoc> AdminClient::status() const {
  return getDocument<StatusDoc>(*this, "/v1/status", parseStatus);
}

core::Result<StatsDoc> AdminClient::stats(std::size_t series_seconds) const {
  return stats(StatsQuery{series_seconds, false});
}

core::Result<StatsDoc> AdminClient::stats(const StatsQuery& query) const {
  std::string path = "/v1/stats?series=" + std::to_string(query.series_seconds);
  if (query.histograms) {
    path += "&histograms=1";
  }
  return getDocument<StatsDoc>(*this, path, parseStats);
}

core::Result<CacheDoc> AdminClient::cache() const {
  return getDocument<CacheDoc>(*this, "/v1/cache", parseCache);
}

core::Result<PurgeDoc> AdminClient::purgeCache(std::string_view route,
                                               std::string_view prefix) const {
  const auto encoded = [](std::string_view text) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (const char c : text) {
      const auto byte = static_cast<unsigned char>(c);
      if (std::isalnum(byte) != 0 || c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
        out += c;
      } else {
        out += '%';
        out += kHex[byte >> 4];
        out += kHex[byte & 15];
      }
    }
    return out;
  };
  auto response = post("/v1/cache/purge?route=" + encoded(route) + "&prefix=" + encoded(prefix));
  if (!response) {
    return std::move(response).error();
  }
  if (response->status == 404) {
    auto refusal = refusalOf(*response);
    return core::makeError(core::ErrorKind::kNotFound, refusal.message);
  }
  if (response->status != 200) {
    return refusalOf(*response);
  }
  return parsePurge(response->body);
}

core::Result<ReloadReply> AdminClient::reload() const {
  auto response = post("/v1/reload", kReloadTimeout);
  if (!response) {
    return std::move(response).error();
  }
  ReloadReply reply;
  if (response->status != 200) {
    reply.refusal = refusalOf(*response);
  } else if (auto doc = parseReload(response->body); doc) {
    reply.served = doc->revision;
  }
  reply.body = std::move(response->body);
  return reply;
}

core::Result<AdminResponse> AdminClient::request(bool post, std::string_view path,
                                                 std::chrono::milliseconds timeout) const {
  const auto parsed = core::net::parseHostPort(address_);
  if (!parsed) {
    return transportError(address_, "not HOST:PORT");
  }
  boost::system::error_code ec;
  const auto ip = asio::ip::make_address(parsed->host, ec);
  if (ec) {
    return transportError(address_, "the admin address must be an IP address");
  }
  const std::uint16_t port = parsed->port;

  // Asynchronous steps under one deadline (synchronous Beast calls ignore expiry), through
  // the same upstream call the proxy uses for its own requests.
  asio::io_context ioc(1);
  UpstreamCall call(ioc, UpstreamCall::Deadlines::kTimer);
  http::request<http::empty_body> req(post ? http::verb::post : http::verb::get, std::string(path),
                                      11);
  req.set(http::field::host, address_);
  req.set(http::field::connection, "close");
  if (!token_.empty()) {
    req.set(http::field::authorization, "Bearer " + token_);
  }
  if (post) {
    req.content_length(0);
  }
  std::string head;
  appendHead(req, head);
  http::response_parser<http::string_body> parser;
  parser.body_limit(64 * 1024 * 1024);
  boost::system::error_code result;
  call.expiresAt(std::chrono::steady_clock::now() + timeout);
  call.connect(tcp::endpoint(ip, port), 0, [&](boost::system::error_code e) {
    if (e) {
      result = call.outcome(e);
      return;
    }
    call.write(asio::buffer(head), [&](boost::system::error_code we, std::size_t) {
      if (we) {
        result = call.outcome(we);
        return;
      }
      call.read(parser, [&](boost::system::error_code re, std::size_t) {
        result = call.outcome(re);
        call.finish(nullptr, false, std::chrono::steady_clock::now());
      });
    });
  });
  ioc.run();
  if (result) {
    return transportError(address_,
                          result == beast::error::timeout
                              ? "no answer within " + std::to_string(timeout.count()) + " ms"
                              : result.message());
  }
  AdminResponse response;
  response.status = static_cast<long>(parser.get().result_int());
  response.body = std::move(parser.get().body());
  return response;
}

}  // namespace gw::proxy
