#pragma once
// core::Reloader over the admin API: what the change pipeline calls to have the running
// proxy serve a revision it just saved.

#include <cstdint>
#include <string>

#include "core/change/reloader.hpp"
#include "proxy/admin/client.hpp"

namespace gw::proxy {

class AdminReloader final : public core::Reloader {
 public:
  // `address` is HOST:PORT as kept in the home's admin.address; `token` the home's token.
  AdminReloader(std::string address, std::string token);

  // POST /v1/reload. Errors say which way it failed: "the proxy did not answer the reload of
  // revision N: ...", "the proxy refused revision N: <its error>" (its details kept), or
  // "unexpected answer to the reload of revision N: <body>".
  core::Result<std::uint64_t> reload(std::uint64_t revision) override;

 private:
  AdminClient client_;
};

}  // namespace gw::proxy
