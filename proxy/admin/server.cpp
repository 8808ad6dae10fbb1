#include "proxy/admin/server.hpp"

#include <algorithm>
#include <boost/asio/post.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <thread>

#include "core/net/host_port.hpp"
#include "proxy/net.hpp"
#include "proxy/observe/metrics.hpp"

namespace gw::proxy {
namespace {

constexpr auto kAdminTimeout = std::chrono::seconds(30);
constexpr std::uint64_t kAdminBodyLimit = 1024 * 1024;

constexpr std::size_t kDefaultSeriesSeconds = 900;

using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;

// `json` is one of the documents of messages.hpp, serialised.
Response jsonResponse(http::status status, std::string json) {
  Response res{status, 11};
  res.set(http::field::content_type, "application/json");
  res.body() = std::move(json) + "\n";
  return res;
}

Response errorResponse(http::status status, std::string error) {
  return jsonResponse(status, toJson(ErrorDoc{std::move(error), std::nullopt}));
}

Response textResponse(http::status status, std::string body) {
  Response res{status, 11};
  res.set(http::field::content_type, "text/plain");
  res.body() = std::move(body);
  return res;
}

// The values of `key` in the target's query string (`a=1&b=2&a=3`), in order.
std::vector<std::string_view> queryValues(std::string_view target, std::string_view key) {
  std::vector<std::string_view> values;
  const auto mark = target.find('?');
  std::string_view query = mark == std::string_view::npos ? "" : target.substr(mark + 1);
  while (!query.empty()) {
    const auto amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    const auto eq = pair.find('=');
    if (pair.substr(0, eq) == key && eq != std::string_view::npos) {
      values.push_back(pair.substr(eq + 1));
    }
    query = amp == std::string_view::npos ? "" : query.substr(amp + 1);
  }
  return values;
}

// ?series=N of /v1/stats: how many seconds of each series to include; 0 or false for none.
std::size_t seriesSeconds(std::string_view target) {
  const auto values = queryValues(target, "series");
  if (values.empty()) {
    return kDefaultSeriesSeconds;
  }
  const std::string_view text = values.back();
  if (text == "false" || text == "0") {
    return 0;
  }
  std::size_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return ec == std::errc{} && value > 0 ? std::min(value, kDefaultSeriesSeconds)
                                        : kDefaultSeriesSeconds;
}

// The last value of `key` in the query, percent-decoded ("" when absent).
std::string queryText(std::string_view target, std::string_view key) {
  const auto values = queryValues(target, key);
  if (values.empty()) {
    return {};
  }
  const std::string_view text = values.back();
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    unsigned byte = 0;
    if (text[i] == '%' && i + 2 < text.size() &&
        std::from_chars(text.data() + i + 1, text.data() + i + 3, byte, 16).ec == std::errc{}) {
      out += static_cast<char>(byte);
      i += 2;
    } else {
      out += text[i] == '+' ? ' ' : text[i];
    }
  }
  return out;
}

// /v1/cache (GET) and /v1/cache/purge (POST, ?route= and ?prefix=).
Response cacheResponse(const Request& req, std::string_view path, AdminApi& api) {
  const std::string_view target = req.target();
  if (path == "/v1/cache") {
    if (req.method() != http::verb::get && req.method() != http::verb::head) {
      return errorResponse(http::status::method_not_allowed, "use GET");
    }
    return jsonResponse(http::status::ok, toJson(api.cacheDoc()));
  }
  if (req.method() != http::verb::post) {
    return errorResponse(http::status::method_not_allowed, "use POST");
  }
  auto purged = api.purgeCache(queryText(target, "route"), queryText(target, "prefix"));
  if (!purged) {
    return errorResponse(http::status::not_found, purged.error().message);
  }
  return jsonResponse(http::status::ok, toJson(*purged));
}

// ?gateway=, ?route=, ?service= (each repeatable) keep only the named ones of their section.
template <class Map>
void keepNamed(Map& section, std::string_view target, std::string_view key) {
  const auto names = queryValues(target, key);
  if (names.empty()) {
    return;
  }
  std::erase_if(section, [&](const auto& entry) {
    return std::find(names.begin(), names.end(), entry.first) == names.end();
  });
}

StatsDoc filteredStats(const AdminApi& api, std::string_view target) {
  const auto histograms = queryValues(target, "histograms");
  StatsQuery query;
  query.series_seconds = seriesSeconds(target);
  query.histograms =
      !histograms.empty() && (histograms.back() == "1" || histograms.back() == "true");
  StatsDoc doc = api.statsDoc(query);
  doc.compact_idle = query.histograms;
  keepNamed(doc.gateways, target, "gateway");
  keepNamed(doc.routes, target, "route");
  keepNamed(doc.services, target, "service");
  keepNamed(doc.mirrors, target, "service");
  return doc;
}

Response handle(const Request& req, const std::string& token, AdminApi& api) {
  const std::string_view target = req.target();
  const std::string_view path = target.substr(0, target.find('?'));
  if (path == "/ready") {
    return api.ready() ? textResponse(http::status::ok, "ready\n")
                       : textResponse(http::status::service_unavailable, "starting\n");
  }
  const std::string_view auth = req[http::field::authorization];
  constexpr std::string_view kBearer = "Bearer ";
  if (token.empty() || auth.substr(0, kBearer.size()) != kBearer ||
      !constantTimeEquals(auth.substr(kBearer.size()), token)) {
    Response res = errorResponse(http::status::unauthorized, "unauthorized");
    res.set(http::field::www_authenticate, "Bearer");
    return res;
  }
  if (path == "/v1/status" || path == "/v1/stats" || path == "/metrics") {
    if (req.method() != http::verb::get && req.method() != http::verb::head) {
      return errorResponse(http::status::method_not_allowed, "use GET");
    }
    if (path == "/v1/status") {
      return jsonResponse(http::status::ok, toJson(api.statusDoc()));
    }
    if (path == "/v1/stats") {
      return jsonResponse(http::status::ok, toJson(filteredStats(api, target)));
    }
    Response res{http::status::ok, 11};
    res.set(http::field::content_type, kMetricsContentType);
    res.body() = api.metricsText();
    return res;
  }
  if (path == "/v1/cache" || path == "/v1/cache/purge") {
    return cacheResponse(req, path, api);
  }
  if (path == "/v1/reload") {
    if (req.method() != http::verb::post) {
      return errorResponse(http::status::method_not_allowed, "use POST");
    }
    auto result = api.reload();
    if (!result) {
      return jsonResponse(http::status::unprocessable_entity,
                          toJson(ErrorDoc{result.error().message, result.error().details}));
    }
    return jsonResponse(http::status::ok, toJson(ReloadDoc{result.value()}));
  }
  return errorResponse(http::status::not_found, "no such admin path");
}

class AdminSession : public std::enable_shared_from_this<AdminSession> {
 public:
  AdminSession(tcp::socket socket, const std::string& token, AdminApi& api)
      : stream_(std::move(socket)), token_(token), api_(api) {}

  void read() {
    parser_.emplace();
    parser_->header_limit(16 * 1024);
    parser_->body_limit(kAdminBodyLimit);
    stream_.expires_after(kAdminTimeout);
    http::async_read(stream_, buffer_, *parser_,
                     [self = shared_from_this()](error_code ec, std::size_t) { self->onRead(ec); });
  }

 private:
  void onRead(error_code ec) {
    if (ec) {
      stream_.close();
      return;
    }
    const Request& req = parser_->get();
    try {
      res_ = handle(req, token_, api_);
    } catch (const std::exception& e) {
      res_ = errorResponse(http::status::internal_server_error, e.what());
    }
    res_.keep_alive(req.keep_alive());
    res_.prepare_payload();
    if (req.method() == http::verb::head) {
      res_.body().clear();
    }
    stream_.expires_after(kAdminTimeout);
    http::async_write(stream_, res_, [self = shared_from_this()](error_code write_ec, std::size_t) {
      if (write_ec || !self->res_.keep_alive()) {
        error_code ignored;
        self->stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
        self->stream_.close();
        return;
      }
      self->read();
    });
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  Response res_;
  const std::string& token_;
  AdminApi& api_;
};

}  // namespace

struct AdminServer::Impl {
  Impl(std::string token_in, AdminApi& api_in)
      : token(std::move(token_in)), api(api_in), acceptor(ioc) {}

  void accept() {
    acceptor.async_accept([this](error_code ec, tcp::socket socket) {
      if (!acceptor.is_open()) {
        return;
      }
      if (!ec) {
        std::make_shared<AdminSession>(std::move(socket), token, api)->read();
      }
      accept();
    });
  }

  asio::io_context ioc{1};
  std::string token;
  AdminApi& api;
  tcp::acceptor acceptor;
  tcp::endpoint bound;
  std::thread thread;
};

core::Result<std::unique_ptr<AdminServer>> AdminServer::start(const std::string& address,
                                                              std::string token, AdminApi& api) {
  // Port 0 binds any free port; port() and address() report the one bound.
  auto parsed = core::net::parseHostPort(address, core::net::PortZero::kAllow);
  if (!parsed) {
    return core::makeError(core::ErrorKind::kUsage,
                           "admin address " + address + " is not HOST:PORT");
  }
  std::string host = std::move(parsed->host);
  const std::uint16_t port = parsed->port;
  if (host == "localhost") {
    host = "127.0.0.1";
  }
  error_code ec;
  const auto ip = asio::ip::make_address(host, ec);
  if (ec || !ip.is_loopback()) {
    return core::makeError(core::ErrorKind::kUsage,
                           "admin address " + address +
                               " must be a loopback address (127.0.0.1 or ::1): the admin API "
                               "is never served on a network interface");
  }
  auto impl = std::make_unique<Impl>(std::move(token), api);
  const tcp::endpoint endpoint(ip, port);
  impl->acceptor.open(endpoint.protocol(), ec);
  if (!ec) {
    impl->acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  }
  if (!ec) {
    impl->acceptor.bind(endpoint, ec);
  }
  if (!ec) {
    impl->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  }
  if (!ec) {
    impl->bound = impl->acceptor.local_endpoint(ec);
  }
  if (ec) {
    return core::makeError(core::ErrorKind::kRuntime,
                           "cannot serve the admin API on " + address + ": " + ec.message());
  }
  impl->accept();
  Impl* raw = impl.get();
  impl->thread = std::thread([raw] {
    for (;;) {
      try {
        raw->ioc.run();
        return;
      } catch (const std::exception&) {
        // one request's failure must not end the admin API
      }
    }
  });
  return std::unique_ptr<AdminServer>(new AdminServer(std::move(impl)));
}

AdminServer::AdminServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

AdminServer::~AdminServer() {
  // Stopping joins the admin thread; a process that cannot do that cannot end cleanly.
  try {
    stop();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "gw: cannot stop the admin API: %s\n", e.what());
    std::abort();
  }
}

std::uint16_t AdminServer::port() const { return impl_->bound.port(); }

std::string AdminServer::address() const {
  std::string text = impl_->bound.address().to_string();
  if (impl_->bound.address().is_v6()) {
    text.insert(text.begin(), '[');
    text.push_back(']');
  }
  text.push_back(':');
  text += std::to_string(impl_->bound.port());
  return text;
}

void AdminServer::stop() {
  if (!impl_->thread.joinable()) {
    return;
  }
  asio::post(impl_->ioc, [impl = impl_.get()] {
    error_code ec;
    impl->acceptor.close(ec);
    impl->ioc.stop();
  });
  impl_->thread.join();
}

bool constantTimeEquals(std::string_view given, std::string_view expected) {
  if (expected.empty()) {
    return false;
  }
  unsigned diff = given.size() == expected.size() ? 0U : 1U;
  for (std::size_t i = 0; i < given.size(); ++i) {
    diff |= static_cast<unsigned>(static_cast<unsigned char>(given[i]) ^
                                  static_cast<unsigned char>(expected[i % expected.size()]));
  }
  return diff == 0;
}

}  // namespace gw::proxy
