#pragma once
// gw-echo's WebSocket side: an accepted upgrade whose every message is sent back as it came
// (text or binary) until the client closes.

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <memory>

namespace gw::echo {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;

class WebSocketEcho : public std::enable_shared_from_this<WebSocketEcho> {
 public:
  explicit WebSocketEcho(beast::tcp_stream stream) : ws_(std::move(stream)) {}

  void start(http::request<http::string_body> upgrade) {
    beast::get_lowest_layer(ws_).expires_never();  // the WebSocket keeps its own timeouts
    ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
    ws_.async_accept(upgrade, [self = shared_from_this()](beast::error_code ec) {
      if (!ec) {
        self->read();
      }
    });
  }

 private:
  void read() {
    ws_.async_read(buffer_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) {
        return;  // closed by the client, or gone
      }
      self->ws_.text(self->ws_.got_text());
      self->ws_.async_write(self->buffer_.data(), [self](beast::error_code write_ec, std::size_t) {
        self->buffer_.consume(self->buffer_.size());
        if (!write_ec) {
          self->read();
        }
      });
    });
  }

  websocket::stream<beast::tcp_stream> ws_;
  beast::flat_buffer buffer_;
};

}  // namespace gw::echo
