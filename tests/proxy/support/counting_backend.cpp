#include "tests/proxy/support/counting_backend.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

namespace gw::test {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

}  // namespace

struct CountingBackend::Impl {
  asio::io_context ioc;
  tcp::acceptor acceptor{ioc, {asio::ip::make_address("127.0.0.1"), 0}};
  unsigned status = 200;
  std::chrono::milliseconds delay{};
  std::atomic<int>* requests = nullptr;
  mutable std::mutex mutex;
  http::request<http::string_body> last;

  struct Conn : std::enable_shared_from_this<Conn> {
    Conn(Impl& impl, tcp::socket s) : owner(impl), socket(std::move(s)), timer(impl.ioc) {}
    Impl& owner;
    tcp::socket socket;
    asio::steady_timer timer;
    beast::flat_buffer buffer;
    http::request<http::string_body> req;
    http::response<http::string_body> res;

    void read() {
      req = {};
      http::async_read(socket, buffer, req,
                       [self = shared_from_this()](beast::error_code ec, std::size_t) {
                         if (ec) {
                           return;
                         }
                         ++*self->owner.requests;
                         {
                           const std::lock_guard lock(self->owner.mutex);
                           self->owner.last = self->req;
                         }
                         self->timer.expires_after(self->owner.delay);
                         self->timer.async_wait([self](beast::error_code) { self->answer(); });
                       });
    }
    void answer() {
      res = {};
      res.version(11);
      res.result(owner.status);
      res.keep_alive(req.keep_alive());
      res.prepare_payload();
      http::async_write(socket, res,
                        [self = shared_from_this()](beast::error_code ec, std::size_t) {
                          if (!ec && self->res.keep_alive()) {
                            self->read();
                          }
                        });
    }
  };

  void accept() {
    acceptor.async_accept([this](beast::error_code ec, tcp::socket socket) {
      if (ec) {
        return;
      }
      std::make_shared<Conn>(*this, std::move(socket))->read();
      accept();
    });
  }
};

CountingBackend::CountingBackend(unsigned status, std::chrono::milliseconds delay)
    : impl_(std::make_unique<Impl>()) {
  impl_->status = status;
  impl_->delay = delay;
  impl_->requests = &requests_;
  impl_->accept();
  thread_ = std::thread([this] { impl_->ioc.run(); });
}

CountingBackend::~CountingBackend() {
  impl_->ioc.stop();
  thread_.join();
}

std::string CountingBackend::endpoint() const {
  return "127.0.0.1:" + std::to_string(impl_->acceptor.local_endpoint().port());
}

std::string CountingBackend::lastHeader(const std::string& name) const {
  const std::lock_guard lock(impl_->mutex);
  const auto it = impl_->last.find(name);
  return it == impl_->last.end() ? std::string() : std::string(it->value());
}

std::string CountingBackend::lastMethod() const {
  const std::lock_guard lock(impl_->mutex);
  return std::string(impl_->last.method_string());
}

std::string CountingBackend::lastTarget() const {
  const std::lock_guard lock(impl_->mutex);
  return std::string(impl_->last.target());
}

}  // namespace gw::test
