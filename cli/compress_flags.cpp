#include "cli/compress_flags.hpp"

#include <sstream>

namespace gw::cli {

void addCompressFlags(CLI::App* sub, CompressFlags& o) {
  sub->add_flag("--compress", o.on,
                "Compress answers of compressible types for clients that accept it: zstd, br "
                "or gzip (--compress=false turns it off)");
  sub->add_option("--compress-encodings", o.encodings,
                  "The encodings offered, in the gateway's order of preference, e.g. br,gzip "
                  "(turns --compress on)")
      ->type_name("LIST");
  sub->add_option("--compress-min-size", o.min_size,
                  "Leave answers shorter than this as they are (default 1KiB; turns --compress on)")
      ->type_name("SIZE");
  sub->add_option("--compress-type", o.types,
                  "A content type to compress, such as application/json or text/*; repeat for "
                  "more (default: text, JSON, JavaScript, XML, SVG...; turns --compress on)")
      ->type_name("TYPE");
}

core::Status applyCompressFlags(std::optional<core::Compress>& compress, const CompressFlags& o,
                                const std::set<std::string>& given) {
  if (given.contains("compress")) {
    if (!o.on) {
      compress.reset();
    } else if (!compress) {
      compress = core::Compress{};
    }
  }
  const auto ensure = [&]() -> core::Compress& {
    if (!compress) {
      compress = core::Compress{};
    }
    return *compress;
  };
  if (given.contains("compress-encodings")) {
    std::vector<core::Compress::Encoding> encodings;
    std::istringstream items(o.encodings);
    for (std::string item; std::getline(items, item, ',');) {
      const auto encoding = core::parseEncoding(item);
      if (!encoding) {
        return core::makeError(core::ErrorKind::kUsage, "--compress-encodings: \"" + item +
                                                            "\" is not one of zstd, br, gzip");
      }
      encodings.push_back(*encoding);
    }
    ensure().encodings = std::move(encodings);
  }
  if (given.contains("compress-min-size")) {
    const auto size = core::parseByteSize(o.min_size);
    if (!size) {
      return core::makeError(
          core::ErrorKind::kUsage,
          "--compress-min-size: must be a size such as 1KiB or 512 (got \"" + o.min_size + "\")");
    }
    ensure().min_size = *size;
  }
  if (given.contains("compress-type")) {
    ensure().types = o.types;
  }
  return core::Ok{};
}

}  // namespace gw::cli
