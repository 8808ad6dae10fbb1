#include "tests/proxy/support/scripted_backend.hpp"

#include <boost/asio/io_context.hpp>
#include <thread>
#include <vector>

namespace gw::test {

struct ScriptedBackend::Impl {
  boost::asio::io_context ioc;
  boost::asio::ip::tcp::acceptor acceptor{ioc, {boost::asio::ip::make_address("127.0.0.1"), 0}};
  std::atomic<bool> stop{false};
  std::thread thread;
  std::vector<std::thread> served;  // one per connection, written only by `thread`
  Serve serve;                      // outlives every thread that runs it
};

ScriptedBackend::ScriptedBackend(int connections, Serve serve) : impl_(std::make_unique<Impl>()) {
  impl_->serve = std::move(serve);
  impl_->thread = std::thread([impl = impl_.get(), connections] {
    for (int i = 0; i < connections; ++i) {
      boost::system::error_code ec;
      boost::asio::ip::tcp::socket socket(impl->ioc);
      impl->acceptor.accept(socket, ec);
      if (ec || impl->stop) {
        return;
      }
      impl->served.emplace_back([impl, socket = std::move(socket)]() mutable {
        impl->serve(socket, impl->stop);
        boost::system::error_code close_ec;
        socket.close(close_ec);
      });
    }
  });
}

ScriptedBackend::~ScriptedBackend() {
  // A blocking accept may still wait for connections the test never made: wake it with one
  // of our own (closing the acceptor from this thread would not).
  impl_->stop = true;
  impl_->stop.notify_all();  // scripts holding a connection open wait on it
  boost::system::error_code ec;
  boost::asio::io_context ioc;
  boost::asio::ip::tcp::socket socket(ioc);
  socket.connect(impl_->acceptor.local_endpoint(), ec);
  impl_->thread.join();
  for (auto& served : impl_->served) {
    served.join();
  }
}

std::string ScriptedBackend::endpoint() const {
  return "127.0.0.1:" + std::to_string(impl_->acceptor.local_endpoint().port());
}

}  // namespace gw::test
