#pragma once
// IP allow and deny lists (core::IpLists) of a gateway or route: the client address
// (Exchange::client_ip, which honours the gateway's trusted proxies) on a deny range, or off
// every allow range when there are some, gets 403 ip_denied. Deny is checked first.

#include <memory>

#include "core/config/model.hpp"
#include "core/net/cidr.hpp"
#include "proxy/filter/build_context.hpp"
#include "proxy/filter/filter.hpp"

namespace gw::proxy::filter {

class IpListFilter final : public Filter {
 public:
  explicit IpListFilter(const core::IpLists& lists)
      : allow_(core::net::CidrSet::parse(lists.allow)),
        deny_(core::net::CidrSet::parse(lists.deny)) {}
  unsigned hooks() const override { return kOnRequest; }
  Status onRequest(Exchange& exchange, FilterHost& host) const override;

  bool allows(const core::net::IpBytes& ip) const {
    return !deny_.contains(ip) && (allow_.empty() || allow_.contains(ip));
  }
  // The same for an address as text; one that does not parse is on no allow list.
  bool allowsClient(std::string_view client_ip) const {
    const auto ip = core::net::parseIp(client_ip);
    return ip && allows(*ip);
  }

 private:
  core::net::CidrSet allow_;
  core::net::CidrSet deny_;
};

std::unique_ptr<Filter> build(const core::IpLists& spec, const BuildContext& ctx);

}  // namespace gw::proxy::filter
