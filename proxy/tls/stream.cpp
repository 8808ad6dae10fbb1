#include "proxy/tls/stream.hpp"

#include <sys/socket.h>

#include <array>
#include <boost/asio/ssl/error.hpp>
#include <cerrno>

namespace gw::proxy::tls {

char* Stream::staging() {
  thread_local std::array<char, kRecord> record;
  return record.data();
}

error_code Stream::failure(int result) {
  const int reason = SSL_get_error(ssl_.get(), result);
  if (reason == SSL_ERROR_WANT_READ || reason == SSL_ERROR_WANT_WRITE) {
    return {};
  }
  broken_ = reason != SSL_ERROR_ZERO_RETURN;
  if (reason == SSL_ERROR_ZERO_RETURN) {  // close_notify, or a close without one
    return asio::error::eof;
  }
  if (reason == SSL_ERROR_SYSCALL) {
    const int err = errno;
    ERR_clear_error();
    return err != 0 ? error_code(err, boost::system::system_category())
                    : error_code(asio::error::connection_reset);
  }
  const unsigned long code = ERR_get_error();
  ERR_clear_error();
  return {static_cast<int>(code != 0 ? code : 1), asio::error::get_ssl_category()};
}

Socket::wait_type Stream::waitFor() const {
  return ssl_ && SSL_want_write(ssl_.get()) ? Socket::wait_write : Socket::wait_read;
}

ssize_t Stream::tryRead(asio::mutable_buffer space) {
  if (!ssl_) {
    return ::recv(socket_.native_handle(), space.data(), space.size(), MSG_DONTWAIT);
  }
  ERR_clear_error();
  std::size_t n = 0;
  const int result = SSL_read_ex(ssl_.get(), space.data(), space.size(), &n);
  if (result == 1) {
    return static_cast<ssize_t>(n);
  }
  const error_code ec = failure(result);
  if (!ec) {
    errno = EAGAIN;
    return -1;
  }
  if (ec == asio::error::eof) {
    return 0;
  }
  errno = ECONNRESET;
  return -1;
}

void Stream::shutdownSend(error_code& ec) {
  if (ssl_ && !broken_ && SSL_is_init_finished(ssl_.get()) == 1) {
    SSL_shutdown(ssl_.get());  // the close_notify, sent when the socket takes it
    ERR_clear_error();
  }
  socket_.shutdown(Socket::shutdown_send, ec);
}

void Stream::close(error_code& ec) {
  if (ssl_ && !broken_ && SSL_is_init_finished(ssl_.get()) == 1 &&
      (SSL_get_shutdown(ssl_.get()) & SSL_SENT_SHUTDOWN) == 0) {
    SSL_shutdown(ssl_.get());
    ERR_clear_error();
  }
  socket_.close(ec);
}

}  // namespace gw::proxy::tls
