#include "proxy/tls/acme_tls_alpn.hpp"

#include <openssl/err.h>
#include <openssl/tls1.h>

#include "proxy/tls/context.hpp"

namespace gw::proxy::tls {
namespace {

constexpr std::string_view kAcmeTls = "acme-tls/1";
constexpr unsigned char kHostName = 0;  // NameType host_name (RFC 6066 section 3)

std::size_t bigEndian16(const unsigned char* bytes) {
  return static_cast<std::size_t>(bytes[0]) << 8 | bytes[1];
}

std::string_view bytesAt(const unsigned char* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// A ClientHello extension whose body is a list with a 16-bit length: the list, or nothing
// when the extension is absent or its length is wrong.
std::optional<std::string_view> helloList(SSL* ssl, unsigned int type) {
  const unsigned char* data = nullptr;
  std::size_t size = 0;
  if (SSL_client_hello_get0_ext(ssl, type, &data, &size) != 1 || size < 2 ||
      bigEndian16(data) != size - 2) {
    return std::nullopt;
  }
  return bytesAt(data + 2, size - 2);
}

// The CA offers acme-tls/1 alone (RFC 8737 section 3); nothing else is ever chosen here.
int selectAcmeTls(SSL* /*ssl*/, const unsigned char** out, unsigned char* outlen,
                  const unsigned char* in, unsigned int inlen, void* /*arg*/) {
  unsigned char* chosen = nullptr;
  if (SSL_select_next_proto(&chosen, outlen, kAlpnAcmeTls, sizeof kAlpnAcmeTls, in, inlen) !=
      OPENSSL_NPN_NEGOTIATED) {
    return SSL_TLSEXT_ERR_ALERT_FATAL;
  }
  *out = chosen;
  return SSL_TLSEXT_ERR_OK;
}

// OpenSSL calls the current context's SNI callback before the first one's: this one keeps the
// challenge certificate, where the gateway's would switch to one of its own.
int keepContext(SSL* /*ssl*/, int* /*alert*/, void* /*arg*/) { return SSL_TLSEXT_ERR_OK; }

}  // namespace

bool offersAcmeTls(SSL* ssl) {
  const auto list = helloList(ssl, TLSEXT_TYPE_application_layer_protocol_negotiation);
  if (!list) {
    return false;
  }
  // ProtocolNameList: each name a length byte and its bytes (RFC 7301 section 3.1).
  for (std::size_t at = 0; at < list->size();) {
    const std::size_t size = static_cast<unsigned char>((*list)[at]);
    if (size == 0 || at + 1 + size > list->size()) {
      return false;
    }
    if (list->substr(at + 1, size) == kAcmeTls) {
      return true;
    }
    at += 1 + size;
  }
  return false;
}

std::optional<std::string> helloServerName(SSL* ssl) {
  const auto list = helloList(ssl, TLSEXT_TYPE_server_name);
  if (!list) {
    return std::nullopt;
  }
  // ServerNameList: each entry a type byte, a 16-bit length and the name.
  for (std::size_t at = 0; at + 3 <= list->size();) {
    const auto* entry = reinterpret_cast<const unsigned char*>(list->data() + at);
    const std::size_t size = bigEndian16(entry + 1);
    if (at + 3 + size > list->size()) {
      return std::nullopt;
    }
    if (entry[0] == kHostName) {
      std::string name = normalizeName(list->substr(at + 3, size));
      if (!isDnsName(name)) {
        return std::nullopt;
      }
      return name;
    }
    at += 3 + size;
  }
  return std::nullopt;
}

bool isDnsName(std::string_view name) {
  constexpr std::size_t kMaxName = 253;
  constexpr std::size_t kMaxLabel = 63;
  if (name.empty() || name.size() > kMaxName) {
    return false;
  }
  std::size_t label = 0;
  for (const char c : name) {
    if (c == '.') {
      if (label == 0) {
        return false;
      }
      label = 0;
      continue;
    }
    const bool allowed =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
    if (!allowed || ++label > kMaxLabel) {
      return false;
    }
  }
  return label > 0;
}

CtxPtr challengeContext(const std::string& pem_file) {
  CtxPtr ctx(SSL_CTX_new(TLS_server_method()));
  if (!ctx) {
    ERR_clear_error();
    return nullptr;
  }
  SSL_CTX_set_default_passwd_cb(ctx.get(), refusePassword);
  if (SSL_CTX_set_min_proto_version(ctx.get(), TLS1_2_VERSION) != 1 ||
      SSL_CTX_use_certificate_chain_file(ctx.get(), pem_file.c_str()) != 1 ||
      SSL_CTX_use_PrivateKey_file(ctx.get(), pem_file.c_str(), SSL_FILETYPE_PEM) != 1 ||
      SSL_CTX_check_private_key(ctx.get()) != 1) {
    ERR_clear_error();  // a missing file is the common case: no challenge pending
    return nullptr;
  }
  SSL_CTX_set_alpn_select_cb(ctx.get(), selectAcmeTls, nullptr);
  // OpenSSL's macro for this casts in C style; the call it stands for:
  SSL_CTX_callback_ctrl(ctx.get(), SSL_CTRL_SET_TLSEXT_SERVERNAME_CB,
                        reinterpret_cast<void (*)()>(keepContext));
  return ctx;
}

bool answeredChallenge(const SSL* ssl) {
  const unsigned char* protocol = nullptr;
  unsigned int size = 0;
  SSL_get0_alpn_selected(ssl, &protocol, &size);
  return protocol != nullptr && bytesAt(protocol, size) == kAcmeTls;
}

}  // namespace gw::proxy::tls
