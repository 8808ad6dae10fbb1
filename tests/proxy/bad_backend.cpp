#include "tests/proxy/bad_backend.hpp"

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/write.hpp>
#include <thread>

namespace gw::test {

struct BadBackend::Impl {
  boost::asio::io_context ioc;
  boost::asio::ip::tcp::acceptor acceptor{ioc, {boost::asio::ip::make_address("127.0.0.1"), 0}};
  std::atomic<bool> stop{false};
  std::thread thread;
};

BadBackend::BadBackend(std::string answer, int connections) : impl_(std::make_unique<Impl>()) {
  impl_->thread = std::thread([impl = impl_.get(), answer = std::move(answer), connections] {
    for (int i = 0; i < connections; ++i) {
      boost::system::error_code ec;
      boost::asio::ip::tcp::socket socket(impl->ioc);
      impl->acceptor.accept(socket, ec);
      if (ec || impl->stop) {
        return;
      }
      std::string request;
      boost::asio::read_until(socket, boost::asio::dynamic_buffer(request), "\r\n\r\n", ec);
      boost::asio::write(socket, boost::asio::buffer(answer), ec);
      socket.close(ec);
    }
  });
}

BadBackend::~BadBackend() {
  // A blocking accept may still wait for connections the test never made: wake it with one
  // of our own (closing the acceptor from this thread would not).
  impl_->stop = true;
  boost::system::error_code ec;
  boost::asio::io_context ioc;
  boost::asio::ip::tcp::socket socket(ioc);
  socket.connect(impl_->acceptor.local_endpoint(), ec);
  impl_->thread.join();
}

std::string BadBackend::endpoint() const {
  return "127.0.0.1:" + std::to_string(impl_->acceptor.local_endpoint().port());
}

}  // namespace gw::test
