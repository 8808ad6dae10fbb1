#include "tests/proxy/support/early_backend.hpp"

#include <algorithm>
#include <boost/asio/read_until.hpp>
#include <boost/asio/write.hpp>
#include <cctype>

namespace gw::test {
namespace {

using boost::asio::ip::tcp;

// The Content-Length of a request head, 0 when it has none.
std::size_t contentLength(std::string head) {
  std::transform(head.begin(), head.end(), head.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  const auto at = head.find("\r\ncontent-length:");
  return at == std::string::npos ? 0 : std::stoul(head.substr(at + 17));
}

void serve(tcp::socket& socket, const std::atomic<bool>& stop, const std::string& early,
           const EarlyBackend::Then& then) {
  boost::system::error_code ec;
  std::string request;
  const std::size_t head_end =
      boost::asio::read_until(socket, boost::asio::dynamic_buffer(request), "\r\n\r\n", ec);
  if (ec) {
    return;
  }
  boost::asio::write(socket, boost::asio::buffer(early), ec);
  if (!then) {
    stop.wait(false);  // open, and reading nothing, until the test ends
    return;
  }
  const std::size_t length = contentLength(request.substr(0, head_end));
  std::size_t got = request.size() - head_end;
  std::string piece(64 * 1024, '\0');
  while (got < length && !ec) {
    got += socket.read_some(boost::asio::buffer(piece), ec);
  }
  boost::asio::write(socket, boost::asio::buffer(then(got)), ec);
}

}  // namespace

EarlyBackend::EarlyBackend(std::string early, int connections, Then then)
    : backend_(connections, [early = std::move(early), then = std::move(then)](
                                tcp::socket& socket, const std::atomic<bool>& stop) {
        serve(socket, stop, early, then);
      }) {}

EarlyBackend::Then answerCount(unsigned status) {
  return [status](std::size_t body_bytes) {
    const std::string body = std::to_string(body_bytes);
    return "HTTP/1.1 " + std::to_string(status) +
           " Done\r\nContent-Length: " + std::to_string(body.size()) +
           "\r\nConnection: close\r\n\r\n" + body;
  };
}

}  // namespace gw::test
