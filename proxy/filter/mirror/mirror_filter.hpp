#pragma once
// Request mirroring (core::Mirror): a copy of `percent` of a route's requests goes to the
// mirror service, as forwarded (this filter comes last in the chain, after every edit), sent
// fire-and-forget by upstream/mirror.hpp. Only a request whose body was read whole can be
// copied; an upgrade never is (a mirror that accepted it would hold a tunnel nobody feeds).

#include <cstdint>
#include <memory>

#include "core/config/model.hpp"
#include "proxy/filter/build_context.hpp"
#include "proxy/filter/filter.hpp"

namespace gw::proxy::filter {

class MirrorFilter final : public Filter {
 public:
  MirrorFilter(std::uint32_t service, int percent) : service_(service), percent_(percent) {}
  unsigned hooks() const override { return kOnRequest; }
  Status onRequest(Exchange& exchange, FilterHost& host) const override;

 private:
  std::uint32_t service_;  // index into Snapshot::services
  int percent_;
};

std::unique_ptr<Filter> build(const core::Mirror& spec, const BuildContext& ctx);

}  // namespace gw::proxy::filter
