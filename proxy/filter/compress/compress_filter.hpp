#pragma once
// Compression of a route's answers (core::Compress, the route's or its gateway's): the
// encoding is negotiated here, from the request's Accept-Encoding, and the request then asks
// the upstream for that one encoding only (or identity), so an answer stored by the cache
// varies by encoding, not by every way of spelling Accept-Encoding. The relay compresses
// an answer that qualifies as it streams it (compress/negotiate.hpp says which do).
// Before the cache in the chain: the cache's key sees the negotiated field.

#include <memory>

#include "core/config/model.hpp"
#include "proxy/filter/build_context.hpp"
#include "proxy/filter/filter.hpp"

namespace gw::proxy::filter {

class CompressFilter final : public Filter {
 public:
  explicit CompressFilter(core::Compress spec) : spec_(std::move(spec)) {}
  unsigned hooks() const override { return kOnRequest; }
  Status onRequest(Exchange& exchange, FilterHost& host) const override;

 private:
  core::Compress spec_;
};

std::unique_ptr<Filter> build(const core::Compress& spec, const BuildContext& ctx);

}  // namespace gw::proxy::filter
