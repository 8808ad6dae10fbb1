// gw-echo: a small HTTP/1.1 keep-alive backend for tests and demos.
//
//   gw-echo --name NAME [--address 127.0.0.1] [--port P] [--status N] [--delay D]
//
// Prints "listening ADDRESS:PORT" once it accepts, then answers every request with 200,
// "x-backend: NAME", "x-connection-requests: N" and the body "NAME\n". Query parameters:
// status=CODE answers that status, delay=300ms (or 2s) waits first, close=1 closes the
// connection after answering, size=N answers N bytes of "x" instead, chunked=1 sends the
// body with chunked transfer encoding, field=NAME adds the field "NAME: upstream". GET /_echo
// answers JSON with the method, target and headers; for caches: cc=VALUE sets Cache-Control
// (percent-encoded), etag=TAG sets ETag "TAG" and answers 304 to If-None-Match "TAG",
// lastmod=1 sets a fixed Last-Modified and answers 304 to If-Modified-Since, vary=NAME sets
// Vary: NAME and ends the body with that request field's value, cookie=1 sets a cookie; every
// answer carries x-seq, its number among all answers; random=1 with size=N makes the N bytes
// pseudo-random letters (text that compresses little); GET /_count answers how many other requests
// it answered so far. A WebSocket upgrade on
// /_ws is accepted, and every message is sent back as it came (text or binary) until the client
// closes. --status and --delay apply to every request whose query does not say otherwise (a failing
// or a slow backend).

#include <algorithm>
#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "tests/support/echo_query.hpp"
#include "tests/support/echo_websocket.hpp"

namespace {

constexpr std::uint64_t kBodyLimit = 64 * 1024 * 1024;
constexpr std::size_t kMaxSize = 64 * 1024 * 1024;

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;

struct EchoOptions {
  std::string name = "echo";
  std::string address = "127.0.0.1";
  std::uint16_t port = 0;
  unsigned status = 200;
  std::string delay;  // "300ms" or "2s"; "" = none
};

// Requests answered, but for GET /_count.
std::atomic<std::uint64_t>& answered() {
  static std::atomic<std::uint64_t> count{0};
  return count;
}

std::chrono::milliseconds parseDelay(std::string_view text) {
  long value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || value < 0) {
    return std::chrono::milliseconds{0};
  }
  const std::string_view unit(end, static_cast<std::size_t>(text.data() + text.size() - end));
  if (unit == "s") {
    return std::chrono::seconds{value};
  }
  return std::chrono::milliseconds{value};
}

void appendJsonString(std::string& out, std::string_view s) {
  out += '"';
  for (const char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
          out += buf;
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

// Header names are lower-cased; repeated headers are joined with ", " as HTTP allows.
std::string echoJson(const http::request<http::string_body>& req) {
  std::vector<std::pair<std::string, std::string>> headers;
  for (const auto& field : req) {
    std::string name(field.name_string());
    for (char& c : name) {
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    bool merged = false;
    for (auto& [existing, value] : headers) {
      if (existing == name) {
        value += ", ";
        value += field.value();
        merged = true;
      }
    }
    if (!merged) {
      headers.emplace_back(std::move(name), std::string(field.value()));
    }
  }
  std::string out = "{\"method\":";
  appendJsonString(out, req.method_string());
  out += ",\"target\":";
  appendJsonString(out, req.target());
  out += ",\"version\":" + std::to_string(req.version());
  out += ",\"body_bytes\":" + std::to_string(req.body().size());
  out += ",\"headers\":{";
  bool first = true;
  for (const auto& [name, value] : headers) {
    if (!first) {
      out += ',';
    }
    first = false;
    appendJsonString(out, name);
    out += ':';
    appendJsonString(out, value);
  }
  out += "}}\n";
  return out;
}

class EchoSession : public std::enable_shared_from_this<EchoSession> {
 public:
  EchoSession(tcp::socket socket, const EchoOptions& options)
      : stream_(std::move(socket)),
        timer_(stream_.get_executor()),
        name_(options.name),
        options_(options) {}

  void start() {
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->read(); });
  }

 private:
  void read() {
    parser_.emplace();
    parser_->body_limit(kBodyLimit);
    stream_.expires_after(std::chrono::seconds(120));
    http::async_read(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->onRead(ec); });
  }

  void onRead(beast::error_code ec) {
    if (ec) {
      stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
      return;
    }
    req_ = parser_->release();
    ++requests_;
    const std::string_view path = req_.target().substr(0, req_.target().find('?'));
    if (path == "/_ws" && websocket::is_upgrade(req_)) {
      std::make_shared<gw::echo::WebSocketEcho>(std::move(stream_))->start(std::move(req_));
      return;
    }
    const std::string_view delay_text = gw::echo::queryParam(req_.target(), "delay");
    const auto delay = parseDelay(delay_text.empty() ? options_.delay : delay_text);
    if (delay.count() > 0) {
      timer_.expires_after(delay);
      timer_.async_wait([self = shared_from_this()](beast::error_code) { self->answer(); });
      return;
    }
    answer();
  }

  void answer() {
    unsigned status = options_.status;
    const std::string_view status_text = gw::echo::queryParam(req_.target(), "status");
    if (!status_text.empty()) {
      std::from_chars(status_text.data(), status_text.data() + status_text.size(), status);
    }
    const bool close = gw::echo::queryParam(req_.target(), "close") == "1";
    const std::string_view target = req_.target();
    const bool echo = target.substr(0, target.find('?')) == "/_echo";
    const bool count = target == "/_count";
    std::uint64_t seq = 0;
    if (!count) {
      seq = answered().fetch_add(1, std::memory_order_relaxed) + 1;
    }

    res_ = {};
    res_.version(req_.version());
    res_.result(status);
    res_.set(http::field::content_type, echo ? "application/json" : "text/plain");
    res_.set("x-backend", name_);
    res_.set("x-connection-requests", std::to_string(requests_));
    if (const std::string_view field = gw::echo::queryParam(req_.target(), "field");
        !field.empty()) {
      res_.set(field, "upstream");
    }
    res_.body() = echo ? echoJson(req_) : name_ + "\n";
    if (count) {
      res_.body() = std::to_string(answered().load(std::memory_order_relaxed)) + "\n";
    }
    const std::string_view size_text = gw::echo::queryParam(req_.target(), "size");
    if (!size_text.empty()) {
      std::size_t size = 0;
      std::from_chars(size_text.data(), size_text.data() + size_text.size(), size);
      res_.body().assign(std::min(size, kMaxSize), 'x');
      if (gw::echo::queryParam(req_.target(), "random") == "1") {  // letters that barely compress
        std::uint32_t state = 2463534242U;
        for (char& c : res_.body()) {
          state ^= state << 13;
          state ^= state >> 17;
          state ^= state << 5;
          c = static_cast<char>('a' + state % 26);
        }
      }
    }
    res_.set("x-seq", std::to_string(seq));
    gw::echo::applyCacheFields(req_, res_);
    res_.keep_alive(req_.keep_alive() && !close);
    res_.prepare_payload();
    if (gw::echo::queryParam(req_.target(), "chunked") == "1" && req_.version() >= 11) {
      res_.chunked(true);
    }
    if (req_.method() == http::verb::head) {
      res_.body().clear();  // Content-Length stays that of the GET answer
    }
    stream_.expires_after(std::chrono::seconds(30));
    http::async_write(stream_, res_,
                      [self = shared_from_this()](beast::error_code write_ec, std::size_t) {
                        self->onWrite(write_ec);
                      });
  }

  void onWrite(beast::error_code ec) {
    if (ec) {
      return;
    }
    if (!res_.keep_alive()) {
      stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
      return;
    }
    read();
  }

  beast::tcp_stream stream_;
  asio::steady_timer timer_;
  const std::string& name_;
  const EchoOptions& options_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  http::request<http::string_body> req_;
  http::response<http::string_body> res_;
  std::uint64_t requests_ = 0;
};

class EchoServer {
 public:
  EchoServer(asio::io_context& ioc, tcp::endpoint endpoint, EchoOptions options)
      : ioc_(ioc), acceptor_(asio::make_strand(ioc)), options_(std::move(options)) {
    acceptor_.open(endpoint.protocol());
    acceptor_.set_option(asio::socket_base::reuse_address(true));
    acceptor_.bind(endpoint);
    acceptor_.listen(asio::socket_base::max_listen_connections);
  }

  std::uint16_t port() const { return acceptor_.local_endpoint().port(); }

  void accept() {
    acceptor_.async_accept(asio::make_strand(ioc_), [this](beast::error_code ec, tcp::socket s) {
      if (!ec) {
        s.set_option(tcp::no_delay(true), ec);
        std::make_shared<EchoSession>(std::move(s), options_)->start();
      }
      if (acceptor_.is_open()) {
        accept();
      }
    });
  }

  // Runs on the acceptor's strand, so it never races an accept completing on the other
  // thread.
  void stop() {
    asio::post(acceptor_.get_executor(), [this] {
      beast::error_code ec;
      acceptor_.close(ec);
      ioc_.stop();
    });
  }

 private:
  asio::io_context& ioc_;
  tcp::acceptor acceptor_;
  EchoOptions options_;
};

bool parseArgs(int argc, char** argv, EchoOptions& options) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (i + 1 >= argc) {
      return false;
    }
    const std::string_view value = argv[++i];
    if (arg == "--name") {
      options.name = value;
    } else if (arg == "--delay") {
      options.delay = value;
    } else if (arg == "--status") {
      const auto [end, ec] =
          std::from_chars(value.data(), value.data() + value.size(), options.status);
      if (ec != std::errc{} || end != value.data() + value.size() || options.status < 100 ||
          options.status > 999) {
        return false;
      }
    } else if (arg == "--address") {
      options.address = value;
    } else if (arg == "--port") {
      unsigned port = 0;
      const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), port);
      if (ec != std::errc{} || end != value.data() + value.size() || port > 65535) {
        return false;
      }
      options.port = static_cast<std::uint16_t>(port);
    } else {
      return false;
    }
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  EchoOptions options;
  if (!parseArgs(argc, argv, options)) {
    std::cerr << "usage: gw-echo --name NAME [--address 127.0.0.1] [--port P] [--status N] "
                 "[--delay D]\n";
    return 2;
  }
  try {
    asio::io_context ioc{2};
    EchoServer server(ioc, tcp::endpoint(asio::ip::make_address(options.address), options.port),
                      options);
    server.accept();
    asio::signal_set signals(ioc, SIGINT, SIGTERM);
    signals.async_wait([&](beast::error_code, int) { server.stop(); });
    std::cout << "listening " << options.address << ':' << server.port() << std::endl;

    std::thread second([&ioc] { ioc.run(); });
    ioc.run();
    second.join();
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "gw-echo: " << e.what() << '\n';
    return 1;
  }
}
