#pragma once
// Short names for the Asio and Beast types the data plane uses. Internal to proxy/: the
// public interface (proxy.hpp) stays free of Asio.
//
// Sockets carry the io_context's own executor type rather than any_io_executor: every
// operation on the request path then avoids the type-erased executor's copies.

#include <boost/asio/basic_socket_acceptor.hpp>
#include <boost/asio/basic_stream_socket.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/error.hpp>
#include <chrono>

namespace gw::proxy {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;
using Clock = std::chrono::steady_clock;
using Executor = asio::io_context::executor_type;
using Socket = asio::basic_stream_socket<tcp, Executor>;
using Acceptor = asio::basic_socket_acceptor<tcp, Executor>;

// "No deadline": connections not waiting on I/O hold this.
inline constexpr Clock::time_point kNever = Clock::time_point::max();

}  // namespace gw::proxy
