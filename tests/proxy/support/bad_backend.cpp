#include "tests/proxy/support/bad_backend.hpp"

#include <boost/asio/read_until.hpp>
#include <boost/asio/write.hpp>

namespace gw::test {

BadBackend::BadBackend(std::string answer, int connections)
    : backend_(connections, [answer = std::move(answer)](boost::asio::ip::tcp::socket& socket,
                                                         const std::atomic<bool>&) {
        boost::system::error_code ec;
        std::string request;
        boost::asio::read_until(socket, boost::asio::dynamic_buffer(request), "\r\n\r\n", ec);
        boost::asio::write(socket, boost::asio::buffer(answer), ec);
      }) {}

}  // namespace gw::test
