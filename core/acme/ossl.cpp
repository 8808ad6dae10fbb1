#include "core/acme/ossl.hpp"

#include <openssl/err.h>
#include <openssl/rand.h>

#include <array>
#include <climits>

namespace gw::acme::ossl {

Bio readBio(std::string_view data) {
  const int size = data.size() > INT_MAX ? INT_MAX : static_cast<int>(data.size());
  return Bio(BIO_new_mem_buf(data.data(), size));
}

Bio writeBio() { return Bio(BIO_new(BIO_s_mem())); }

std::string bioText(BIO* bio) {
  char* data = nullptr;
  // BIO_get_mem_data, without the C cast its macro hides.
  const long size = BIO_ctrl(bio, BIO_CTRL_INFO, 0, static_cast<void*>(&data));
  return size > 0 ? std::string(data, static_cast<std::size_t>(size)) : std::string();
}

core::Error error(const std::string& what, core::ErrorKind kind) {
  std::string reason;
  // The earliest error is the root cause; later ones are the callers' wrappers.
  const unsigned long code = ERR_get_error();
  if (code != 0) {
    const char* text = ERR_reason_error_string(code);
    reason = text != nullptr ? text : "error " + std::to_string(code);
  }
  ERR_clear_error();
  return core::makeError(kind, reason.empty() ? what : what + ": " + reason);
}

std::string bignumBytes(const BIGNUM* bn, int width) {
  const int natural = BN_num_bytes(bn);
  const int size = width > natural ? width : natural;
  std::string out(static_cast<std::size_t>(size), '\0');
  auto* dest = reinterpret_cast<unsigned char*>(out.data());
  if (width > 0) {
    BN_bn2binpad(bn, dest, size);
  } else {
    BN_bn2bin(bn, dest);
  }
  return out;
}

Asn1Integer randomSerial() {
  std::array<unsigned char, 16> bytes{};
  RAND_bytes(bytes.data(), static_cast<int>(bytes.size()));
  bytes[0] &= 0x7f;  // positive
  bytes[0] |= 0x40;  // and never shorter than 16 bytes
  Bignum bn(BN_bin2bn(bytes.data(), static_cast<int>(bytes.size()), nullptr));
  return Asn1Integer(BN_to_ASN1_INTEGER(bn.get(), nullptr));
}

}  // namespace gw::acme::ossl
