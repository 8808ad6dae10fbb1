#include "proxy/compress/whole.hpp"

#include "proxy/compress/encoder.hpp"
#include "proxy/compress/negotiate.hpp"

namespace gw::proxy::compress {

void compressWhole(http::response<http::string_body>& res, const core::Compress& spec,
                   std::optional<core::Compress::Encoding> encoding) {
  if (res.body().size() < static_cast<std::size_t>(spec.min_size) ||
      !eligible(res.result_int(), res.base(), spec)) {
    return;
  }
  addVary(res.base());
  if (!encoding) {
    return;
  }
  std::string encoded;
  const auto encoder = makeEncoder(*encoding);
  if (encoder && encoder->write(res.body(), encoded, false) && encoder->finish(encoded)) {
    res.body() = std::move(encoded);
    markEncoded(res.base(), *encoding);
  }
}

}  // namespace gw::proxy::compress
