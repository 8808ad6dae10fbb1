#pragma once
// One ACME server as the client talks to it: the directory (RFC 8555 section 7.1.1), a pool
// of nonces (section 7.2: every answer's Replay-Nonce is kept, newNonce only when the pool is
// empty) and signed requests (section 6.2) that retry a badNonce rejection with the fresh
// nonce it carried (section 6.5), a bounded number of times.
//
// Not thread-safe: the nonce pool and the HTTP handle belong to one caller at a time.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/acme/http.hpp"
#include "core/acme/key.hpp"
#include "core/acme/problem.hpp"
#include "core/result.hpp"

namespace gw::acme {

struct Directory {
  std::string new_nonce;
  std::string new_account;
  std::string new_order;
  std::string revoke_cert;
  std::string key_change;
  std::string renewal_info;  // RFC 9773; empty when the CA has no ARI
  std::string terms_of_service;
  std::string website;
  bool external_account_required = false;
  std::vector<std::string> profiles;  // meta.profiles' names; empty when none
};

// The directory document's members gw uses; an error when it lacks newNonce, newAccount or
// newOrder. `url` names it in errors.
core::Result<Directory> parseDirectory(const nlohmann::json& doc, const std::string& url);

// What a signed request is signed with: the account key, and the account URL once known
// (before that the request carries the JWK, RFC 8555 section 6.2).
struct Signer {
  const PrivateKey* key = nullptr;
  std::string kid;
};

class AcmeTransport {
 public:
  AcmeTransport(std::string directory_url, HttpSettings http, int bad_nonce_retries);

  // Fetched once, then kept.
  core::Result<const Directory*> directory();

  // A signed POST of `payload` (JSON text), or a POST-as-GET when nullopt. Any HTTP status
  // is returned except a badNonce rejection, which is retried with the nonce it carried.
  core::Result<HttpResponse> post(const std::string& url, const std::optional<std::string>& payload,
                                  const Signer& signer, std::string_view accept = "");
  core::Result<HttpResponse> get(const std::string& url);

  const std::string& directoryUrl() const { return directory_url_; }
  // How many badNonce rejections were retried so far (for tests and logs).
  int badNonceRetries() const { return bad_nonce_count_; }

 private:
  core::Result<std::string> nonce();
  void keepNonce(const HttpResponse& response);

  std::string directory_url_;
  HttpClient http_;
  int max_bad_nonce_retries_;
  int bad_nonce_count_ = 0;
  std::optional<Directory> directory_;
  std::vector<std::string> nonces_;
};

// The error for an answer that is not the success expected: the CA's problem in words
// ("the CA's rate limit was reached (...); try again after <time>"), else the status and
// URL. `what` says what was being done: "creating the account".
core::Error answerError(const std::string& what, const HttpResponse& response);

// Whether the answer is a problem of ACME type `short_type` ("accountDoesNotExist").
bool isProblem(const HttpResponse& response, std::string_view short_type);

// The JSON body of a response; an error naming `what` when it is not JSON.
core::Result<nlohmann::json> jsonBody(const HttpResponse& response, const std::string& what);

}  // namespace gw::acme
