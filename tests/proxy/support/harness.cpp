#include "tests/proxy/support/harness.hpp"

#include <array>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <cctype>
#include <functional>
#include <stdexcept>

namespace gw::test {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

std::string lower(std::string s) {
  for (char& c : s) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return s;
}

}  // namespace

core::Gateway makeGateway(const std::string& name,
                          std::vector<std::pair<core::Protocol, std::uint16_t>> listeners) {
  core::Gateway gateway;
  gateway.name = name;
  gateway.address = "127.0.0.1";
  int n = 0;
  for (const auto& [protocol, port] : listeners) {
    core::Listener listener;
    listener.name = std::string(core::toString(protocol)) + (n++ == 0 ? "" : std::to_string(n));
    listener.protocol = protocol;
    listener.port = port;
    gateway.listeners.push_back(listener);
  }
  return gateway;
}

core::Service makeService(const std::string& name, std::vector<std::string> endpoints) {
  core::Service service;
  service.name = name;
  for (std::string& address : endpoints) {
    service.endpoints.push_back(core::Endpoint{std::move(address), 1});
  }
  return service;
}

core::Route makeRoute(const std::string& name, const std::string& gateway,
                      std::vector<std::string> hosts,
                      std::vector<std::pair<std::string, int>> destinations) {
  core::Route route;
  route.name = name;
  route.gateway = gateway;
  route.hosts = std::move(hosts);
  for (const auto& [service, weight] : destinations) {
    route.destinations.push_back(core::Destination{service, weight});
  }
  return route;
}

core::Config singleRoute(std::uint16_t port, const std::string& service,
                         const std::string& endpoint, const std::string& host) {
  core::Config config;
  config.gateways.push_back(makeGateway("edge", {{core::Protocol::kHttp, port}}));
  config.services.push_back(makeService(service, {endpoint}));
  config.routes.push_back(makeRoute(service, "edge", {host}, {{service, 100}}));
  return config;
}

ProxyUnderTest::ProxyUnderTest(core::Config config, int threads, std::string access_log,
                               std::string certs_dir, std::string acme_dir) {
  setConfig(std::move(config));
  proxy::Options options;
  options.admin_token = token_;
  options.threads = threads;
  options.access_log = std::move(access_log);
  options.certs_dir = std::move(certs_dir);
  options.acme_dir = std::move(acme_dir);
  options.drain = 3s;
  options.load = [state = state_]() -> core::Result<std::shared_ptr<const core::Config>> {
    const std::lock_guard lock(state->mutex);
    if (state->error) {
      return *state->error;
    }
    return state->config;
  };
  auto started = proxy::Server::start(options);
  if (!started) {
    throw std::runtime_error("proxy did not start: " + started.error().message);
  }
  server_ = std::move(started).value();
}

ProxyUnderTest::~ProxyUnderTest() {
  if (server_) {
    server_->stop();
  }
}

core::Result<std::unique_ptr<proxy::Server>> ProxyUnderTest::tryStart(core::Config config) {
  auto shared = std::make_shared<const core::Config>(std::move(config));
  proxy::Options options;
  options.admin_token = "t";
  options.threads = 2;
  options.load = [shared]() -> core::Result<std::shared_ptr<const core::Config>> { return shared; };
  return proxy::Server::start(options);
}

void ProxyUnderTest::setConfig(core::Config config) {
  const std::lock_guard lock(state_->mutex);
  config.revision = ++state_->revision;
  state_->config = std::make_shared<const core::Config>(std::move(config));
}

void ProxyUnderTest::failLoads(std::optional<core::Error> error) {
  const std::lock_guard lock(state_->mutex);
  state_->error = std::move(error);
}

std::string Reply::header(const std::string& name) const {
  const auto it = headers.find(lower(name));
  return it == headers.end() ? std::string() : it->second;
}

struct HttpClient::Impl {
  asio::io_context ioc;
  beast::tcp_stream stream{ioc};
  beast::flat_buffer buffer;
  std::chrono::milliseconds timeout;
  std::uint16_t port;

  // Runs one asynchronous step to completion on this thread.
  void settle(beast::error_code& ec, const char* what) {
    ioc.restart();
    ioc.run();
    if (ec) {
      throw std::runtime_error(std::string(what) + ": " + ec.message());
    }
  }
};

HttpClient::HttpClient(std::uint16_t port, std::chrono::milliseconds timeout)
    : impl_(std::make_unique<Impl>()) {
  impl_->timeout = timeout;
  impl_->port = port;
  beast::error_code ec;
  impl_->stream.expires_after(timeout);
  impl_->stream.async_connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port),
                              [&ec](beast::error_code e) { ec = e; });
  impl_->settle(ec, "connect");
}

HttpClient::~HttpClient() = default;

Reply HttpClient::request(const std::string& method, const std::string& host,
                          const std::string& target,
                          const std::vector<std::pair<std::string, std::string>>& headers,
                          const std::string& body) {
  http::request<http::string_body> req{http::string_to_verb(method), target, 11};
  req.set(http::field::host, host);
  for (const auto& [name, value] : headers) {
    req.insert(name, value);
  }
  if (!body.empty() || method == "POST" || method == "PUT") {
    req.body() = body;
    req.prepare_payload();
  }
  beast::error_code ec;
  impl_->stream.expires_after(impl_->timeout);
  http::async_write(impl_->stream, req, [&ec](beast::error_code e, std::size_t) { ec = e; });
  impl_->settle(ec, "write");

  http::response_parser<http::string_body> parser;
  parser.body_limit(64 * 1024 * 1024);
  parser.skip(method == "HEAD");
  impl_->stream.expires_after(impl_->timeout);
  http::async_read(impl_->stream, impl_->buffer, parser,
                   [&ec](beast::error_code e, std::size_t) { ec = e; });
  impl_->settle(ec, "read");

  const auto& res = parser.get();
  Reply reply;
  reply.status = res.result_int();
  reply.version = res.version();
  reply.keep_alive = res.keep_alive();
  for (const auto& field : res) {
    reply.headers[lower(std::string(field.name_string()))] = std::string(field.value());
  }
  reply.body = res.body();
  return reply;
}

std::string rawExchange(std::uint16_t port, const std::string& bytes,
                        std::chrono::milliseconds timeout) {
  asio::io_context ioc;
  beast::tcp_stream stream(ioc);
  std::string received;
  std::array<char, 4096> chunk{};
  stream.expires_after(timeout);
  std::function<void(beast::error_code, std::size_t)> on_read = [&](beast::error_code ec,
                                                                    std::size_t n) {
    received.append(chunk.data(), n);
    if (!ec) {
      stream.async_read_some(asio::buffer(chunk), on_read);
    }
  };
  stream.async_connect(
      tcp::endpoint(asio::ip::make_address("127.0.0.1"), port), [&](beast::error_code ec) {
        if (ec) {
          return;
        }
        asio::async_write(stream, asio::buffer(bytes), [&](beast::error_code, std::size_t) {});
        stream.async_read_some(asio::buffer(chunk), on_read);
      });
  ioc.run();
  return received;
}

}  // namespace gw::test
