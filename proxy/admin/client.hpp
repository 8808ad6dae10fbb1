#pragma once
// The client side of the admin API (see proxy.hpp): plain HTTP/1.1 on loopback with the
// home's bearer token and a deadline on the whole exchange, so a hung proxy cannot hang a
// command. No Beast or Asio in this header.

#include <chrono>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace gw::proxy {

struct AdminResponse {
  long status = 0;
  std::string body;
};

class AdminClient {
 public:
  // `address` is HOST:PORT as kept in the home's admin.address.
  AdminClient(std::string address, std::string token);

  // Any HTTP answer is a value (check .status); only transport failures are errors.
  core::Result<AdminResponse> get(std::string_view path,
                                  std::chrono::milliseconds timeout = kDefaultTimeout) const;
  core::Result<AdminResponse> post(std::string_view path,
                                   std::chrono::milliseconds timeout = kDefaultTimeout) const;

  // GET /ready answered 200.
  bool ready() const;

  static constexpr std::chrono::milliseconds kDefaultTimeout{5000};
  // A reload builds a new snapshot and may open listeners: give it longer.
  static constexpr std::chrono::milliseconds kReloadTimeout{15000};

 private:
  core::Result<AdminResponse> request(bool post, std::string_view path,
                                      std::chrono::milliseconds timeout) const;

  std::string address_;
  std::string token_;
};

}  // namespace gw::proxy
