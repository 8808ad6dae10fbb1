#include "proxy/filter/compress/compress_filter.hpp"

#include "proxy/compress/negotiate.hpp"

namespace gw::proxy::filter {

Status CompressFilter::onRequest(Exchange& exchange, FilterHost& /*host*/) const {
  auto& req = exchange.request();
  exchange.facts.compress = &spec_;
  const auto chosen = compress::negotiate(req[http::field::accept_encoding], spec_.encodings);
  if (chosen) {
    exchange.facts.encode = true;
    exchange.facts.encoding = *chosen;
    req.set(http::field::accept_encoding, core::toString(*chosen));
  } else {
    req.set(http::field::accept_encoding, "identity");
  }
  return Status::kContinue;
}

std::unique_ptr<Filter> build(const core::Compress& spec, const BuildContext& /*ctx*/) {
  return std::make_unique<CompressFilter>(spec);
}

}  // namespace gw::proxy::filter
