#include "proxy/filter/ip_lists/ip_lists.hpp"

namespace gw::proxy::filter {

Status IpListFilter::onRequest(Exchange& exchange, FilterHost& /*host*/) const {
  exchange.facts.access_checked = true;
  if (!allowsClient(exchange.client_ip)) {
    return refuse(exchange, Reason::kIpDenied);
  }
  return Status::kContinue;
}

std::unique_ptr<Filter> build(const core::IpLists& spec, const BuildContext& /*ctx*/) {
  return std::make_unique<IpListFilter>(spec);
}

}  // namespace gw::proxy::filter
