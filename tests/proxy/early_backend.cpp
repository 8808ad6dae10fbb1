#include "tests/proxy/early_backend.hpp"

#include <algorithm>
#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/write.hpp>
#include <cctype>
#include <chrono>
#include <thread>
#include <vector>

namespace gw::test {
namespace {

// The Content-Length of a request head, 0 when it has none.
std::size_t contentLength(std::string head) {
  std::transform(head.begin(), head.end(), head.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  const auto at = head.find("\r\ncontent-length:");
  return at == std::string::npos ? 0 : std::stoul(head.substr(at + 17));
}

}  // namespace

struct EarlyBackend::Impl {
  boost::asio::io_context ioc;
  boost::asio::ip::tcp::acceptor acceptor{ioc, {boost::asio::ip::make_address("127.0.0.1"), 0}};
  std::atomic<bool> stop{false};
  std::thread thread;
  std::vector<std::thread> served;  // one per connection, written only by `thread`

  void serve(boost::asio::ip::tcp::socket& socket, const std::string& early, unsigned then_status) {
    boost::system::error_code ec;
    std::string request;
    const std::size_t head_end =
        boost::asio::read_until(socket, boost::asio::dynamic_buffer(request), "\r\n\r\n", ec);
    if (ec) {
      return;
    }
    boost::asio::write(socket, boost::asio::buffer(early), ec);
    if (then_status == 0) {
      while (!stop) {  // open, and reading nothing, until the test ends
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
      return;
    }
    const std::size_t length = contentLength(request.substr(0, head_end));
    std::size_t got = request.size() - head_end;
    std::string piece(64 * 1024, '\0');
    while (got < length && !ec) {
      got += socket.read_some(boost::asio::buffer(piece), ec);
    }
    const std::string body = std::to_string(got);
    const std::string answer = "HTTP/1.1 " + std::to_string(then_status) +
                               " Done\r\nContent-Length: " + std::to_string(body.size()) +
                               "\r\nConnection: close\r\n\r\n" + body;
    boost::asio::write(socket, boost::asio::buffer(answer), ec);
  }
};

EarlyBackend::EarlyBackend(std::string early, int connections, unsigned then_status)
    : impl_(std::make_unique<Impl>()) {
  impl_->thread = std::thread([impl = impl_.get(), early = std::move(early), connections,
                               then_status] {
    for (int i = 0; i < connections; ++i) {
      boost::system::error_code ec;
      boost::asio::ip::tcp::socket socket(impl->ioc);
      impl->acceptor.accept(socket, ec);
      if (ec || impl->stop) {
        return;
      }
      // A held connection must not keep the next one waiting.
      impl->served.emplace_back([impl, early, then_status, socket = std::move(socket)]() mutable {
        impl->serve(socket, early, then_status);
        boost::system::error_code close_ec;
        socket.close(close_ec);
      });
    }
  });
}

EarlyBackend::~EarlyBackend() {
  // A blocking accept may still wait for connections the test never made: wake it with one
  // of our own (closing the acceptor from this thread would not).
  impl_->stop = true;
  boost::system::error_code ec;
  boost::asio::io_context ioc;
  boost::asio::ip::tcp::socket socket(ioc);
  socket.connect(impl_->acceptor.local_endpoint(), ec);
  impl_->thread.join();
  for (auto& served : impl_->served) {
    served.join();
  }
}

std::string EarlyBackend::endpoint() const {
  return "127.0.0.1:" + std::to_string(impl_->acceptor.local_endpoint().port());
}

}  // namespace gw::test
