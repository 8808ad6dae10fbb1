#include "proxy/web/server.hpp"

#include <poll.h>
#include <sys/socket.h>

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <list>
#include <mutex>
#include <thread>

namespace gw::proxy::web {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr int kIdleSeconds = 60;
constexpr std::size_t kMaxBody = 8 * 1024 * 1024;
constexpr std::size_t kMaxConnections = 64;

// Whether the client sends something within `seconds` (a keep-alive connection left idle
// longer is closed). Asio's blocking reads ignore SO_RCVTIMEO, hence the poll.
bool readable(tcp::socket& socket, int seconds) {
  pollfd fd{socket.native_handle(), POLLIN, 0};
  return ::poll(&fd, 1, seconds * 1000) > 0;
}

Request toRequest(const http::request<http::string_body>& in, const std::string& peer) {
  Request out;
  out.method = std::string(in.method_string());
  out.target = std::string(in.target());
  for (const auto& field : in) {
    std::string name(field.name_string());
    for (char& c : name) {
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    out.headers.emplace(std::move(name), std::string(field.value()));
  }
  out.body = in.body();
  out.peer = peer;
  return out;
}

http::response<http::string_body> toBeast(const Response& in, unsigned version, bool keep_alive) {
  http::response<http::string_body> out{static_cast<http::status>(in.status), version};
  out.set(http::field::server, "gw-dashboard");
  out.set(http::field::content_type, in.content_type);
  for (const auto& [name, value] : in.headers) {
    out.insert(name, value);
  }
  out.body() = in.body;
  out.keep_alive(keep_alive);
  out.prepare_payload();
  return out;
}

Response plain(int status, std::string text) {
  return Response{status, "text/plain; charset=utf-8", {}, std::move(text)};
}

}  // namespace

struct Server::Impl {
  asio::io_context io;
  tcp::acceptor acceptor{io};
  Handler handler;
  std::thread accept_thread;
  std::mutex mutex;
  struct Connection {
    tcp::socket socket;
    std::thread thread;
    std::atomic<bool> done{false};
    explicit Connection(tcp::socket s) : socket(std::move(s)) {}
  };
  std::list<Connection> connections;  // under `mutex`
  std::atomic<bool> stopping{false};

  void acceptLoop();
  void serve(Connection& connection) const;
  void reapFinished();  // under `mutex`
};

void Server::Impl::serve(Connection& connection) const {
  tcp::socket& socket = connection.socket;
  boost::system::error_code ec;
  const auto remote = socket.remote_endpoint(ec);
  const std::string peer = ec ? std::string("?") : remote.address().to_string();
  boost::beast::flat_buffer buffer;
  while (!stopping) {
    if (buffer.size() == 0 && !readable(socket, kIdleSeconds)) {
      break;
    }
    http::request_parser<http::string_body> parser;
    parser.body_limit(kMaxBody);
    parser.header_limit(64 * 1024);
    http::read(socket, buffer, parser, ec);
    if (ec == http::error::end_of_stream || ec == asio::error::connection_reset ||
        ec == asio::error::eof) {
      break;
    }
    Response response;
    bool keep_alive = true;
    unsigned version = 11;
    if (ec) {
      // A malformed request, or one too large: answered, then the connection closes.
      response = plain(ec == http::error::body_limit ? 413 : 400, "bad request: " + ec.message());
      keep_alive = false;
    } else {
      const auto& request = parser.get();
      version = request.version();
      keep_alive = request.keep_alive();
      response = handler(toRequest(request, peer));
    }
    auto out = toBeast(response, version, keep_alive);
    http::write(socket, out, ec);
    if (ec || !keep_alive) {
      break;
    }
  }
  socket.shutdown(tcp::socket::shutdown_both, ec);
  connection.done = true;
}

void Server::Impl::reapFinished() {
  for (auto it = connections.begin(); it != connections.end();) {
    if (it->done) {
      it->thread.join();
      it = connections.erase(it);
    } else {
      ++it;
    }
  }
}

void Server::Impl::acceptLoop() {
  while (!stopping) {
    boost::system::error_code ec;
    tcp::socket socket(io);
    acceptor.accept(socket, ec);
    if (ec) {
      if (stopping) {
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));  // e.g. out of descriptors
      continue;
    }
    const std::lock_guard lock(mutex);
    reapFinished();
    if (connections.size() >= kMaxConnections) {
      socket.close(ec);
      continue;
    }
    Connection& connection = connections.emplace_back(std::move(socket));
    connection.thread = std::thread([this, &connection] { serve(connection); });
  }
}

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Server::~Server() { stop(); }

core::Result<std::unique_ptr<Server>> Server::start(const std::string& address, std::uint16_t port,
                                                    Handler handler) {
  auto impl = std::make_unique<Impl>();
  impl->handler = std::move(handler);
  const std::string where = address + ":" + std::to_string(port);
  boost::system::error_code ec;
  const auto ip = asio::ip::make_address(address == "localhost" ? "127.0.0.1" : address, ec);
  if (ec) {
    return core::makeError(core::ErrorKind::kUsage, "--address " + address + ": not an IP address");
  }
  const tcp::endpoint endpoint(ip, port);
  impl->acceptor.open(endpoint.protocol(), ec);
  if (!ec) {
    impl->acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
    impl->acceptor.bind(endpoint, ec);
  }
  if (!ec) {
    impl->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  }
  if (ec) {
    return core::makeError(core::ErrorKind::kRuntime,
                           "cannot listen on " + where + ": " + ec.message());
  }
  Impl* raw = impl.get();
  impl->accept_thread = std::thread([raw] { raw->acceptLoop(); });
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

std::uint16_t Server::port() const { return impl_->acceptor.local_endpoint().port(); }

void Server::stop() {
  if (!impl_ || impl_->stopping.exchange(true)) {
    return;
  }
  boost::system::error_code ec;
  // Wakes the blocking accept: shutdown makes it fail at once.
  ::shutdown(impl_->acceptor.native_handle(), SHUT_RDWR);
  if (impl_->accept_thread.joinable()) {
    impl_->accept_thread.join();
  }
  impl_->acceptor.close(ec);
  const std::lock_guard lock(impl_->mutex);
  for (auto& connection : impl_->connections) {
    ::shutdown(connection.socket.native_handle(), SHUT_RDWR);
  }
  for (auto& connection : impl_->connections) {
    connection.thread.join();
  }
  impl_->connections.clear();
}

}  // namespace gw::proxy::web
