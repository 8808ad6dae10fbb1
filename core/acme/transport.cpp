#include "core/acme/transport.hpp"

#include <chrono>
#include <utility>

#include "core/acme/jws.hpp"

namespace gw::acme {

namespace {

using core::ErrorKind;
using core::makeError;

std::string stringMember(const nlohmann::json& doc, const char* name) {
  const auto it = doc.find(name);
  return it != doc.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// meta.profiles is an object of name -> description (draft-aaron-acme-profiles).
std::vector<std::string> profileNames(const nlohmann::json& meta) {
  std::vector<std::string> names;
  const auto it = meta.find("profiles");
  if (it != meta.end() && it->is_object()) {
    for (const auto& item : it->items()) {
      names.push_back(item.key());
    }
  }
  return names;
}

}  // namespace

core::Result<Directory> parseDirectory(const nlohmann::json& doc, const std::string& url) {
  Directory d;
  d.new_nonce = stringMember(doc, "newNonce");
  d.new_account = stringMember(doc, "newAccount");
  d.new_order = stringMember(doc, "newOrder");
  d.revoke_cert = stringMember(doc, "revokeCert");
  d.key_change = stringMember(doc, "keyChange");
  d.renewal_info = stringMember(doc, "renewalInfo");
  if (const auto meta = doc.find("meta"); meta != doc.end() && meta->is_object()) {
    d.terms_of_service = stringMember(*meta, "termsOfService");
    d.website = stringMember(*meta, "website");
    d.external_account_required = meta->value("externalAccountRequired", false);
    d.profiles = profileNames(*meta);
  }
  if (d.new_nonce.empty() || d.new_account.empty() || d.new_order.empty()) {
    return makeError(ErrorKind::kRuntime,
                     url + " is not an ACME directory (no newNonce, newAccount or newOrder)");
  }
  return d;
}

AcmeTransport::AcmeTransport(std::string directory_url, HttpSettings http, int bad_nonce_retries)
    : directory_url_(std::move(directory_url)),
      http_(std::move(http)),
      max_bad_nonce_retries_(bad_nonce_retries) {}

core::Result<const Directory*> AcmeTransport::directory() {
  if (directory_) {
    return &*directory_;
  }
  auto response = get(directory_url_);
  if (!response) {
    return std::move(response).error();
  }
  if (response->status != 200) {
    return answerError("fetching the ACME directory " + directory_url_, *response);
  }
  auto doc = jsonBody(*response, "the ACME directory " + directory_url_);
  if (!doc) {
    return std::move(doc).error();
  }
  auto parsed = parseDirectory(*doc, directory_url_);
  if (!parsed) {
    return std::move(parsed).error();
  }
  directory_ = std::move(*parsed);
  return &*directory_;
}

core::Result<HttpResponse> AcmeTransport::get(const std::string& url) {
  auto response = http_.send(HttpRequest{"GET", url, "", "", ""});
  if (response) {
    keepNonce(*response);
  }
  return response;
}

void AcmeTransport::keepNonce(const HttpResponse& response) {
  std::string fresh = response.header("replay-nonce");
  if (!fresh.empty()) {
    nonces_.push_back(std::move(fresh));
  }
}

core::Result<std::string> AcmeTransport::nonce() {
  if (nonces_.empty()) {
    auto dir = directory();
    if (!dir) {
      return std::move(dir).error();
    }
    auto response = http_.send(HttpRequest{"HEAD", (*dir)->new_nonce, "", "", ""});
    if (!response) {
      return std::move(response).error();
    }
    keepNonce(*response);
    if (nonces_.empty()) {
      return makeError(ErrorKind::kRuntime, (*dir)->new_nonce + " gave no Replay-Nonce (HTTP " +
                                                std::to_string(response->status) + ")");
    }
  }
  std::string n = std::move(nonces_.back());
  nonces_.pop_back();
  return n;
}

core::Result<HttpResponse> AcmeTransport::post(const std::string& url,
                                               const std::optional<std::string>& payload,
                                               const Signer& signer, std::string_view accept) {
  for (int attempt = 0;; ++attempt) {
    auto n = nonce();
    if (!n) {
      return std::move(n).error();
    }
    nlohmann::json header{{"nonce", *n}, {"url", url}};
    if (signer.kid.empty()) {
      header["jwk"] = jwk(*signer.key);
    } else {
      header["kid"] = signer.kid;
    }
    auto jws = signJws(*signer.key, std::move(header), payload.value_or(""));
    if (!jws) {
      return std::move(jws).error();
    }
    auto response = http_.send(
        HttpRequest{"POST", url, jws->dump(), "application/jose+json", std::string(accept)});
    if (!response) {
      return response;
    }
    keepNonce(*response);
    // A rejected nonce is the server's to refuse at any time (section 6.5); the answer
    // carries a fresh one, which the next attempt takes from the pool.
    if (isProblem(*response, "badNonce") && attempt < max_bad_nonce_retries_) {
      ++bad_nonce_count_;
      continue;
    }
    return response;
  }
}

bool isProblem(const HttpResponse& response, std::string_view short_type) {
  if (response.status < 400) {
    return false;
  }
  const auto problem = parseProblemText(response.body);
  return problem && problem->shortType() == short_type;
}

core::Result<nlohmann::json> jsonBody(const HttpResponse& response, const std::string& what) {
  auto doc = nlohmann::json::parse(response.body, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) {
    return makeError(ErrorKind::kRuntime, what + " answered with something that is not JSON");
  }
  return doc;
}

core::Error answerError(const std::string& what, const HttpResponse& response) {
  const auto problem = parseProblemText(response.body);
  if (!problem) {
    return makeError(ErrorKind::kRuntime,
                     what + ": the CA answered HTTP " + std::to_string(response.status));
  }
  std::string message = what + ": " + problemWords(*problem);
  if (problem->shortType() == "rateLimited") {
    const auto now = std::chrono::system_clock::now();
    const auto when = parseRetryAfter(response.header("retry-after"), now);
    message += when ? "; try again after " + formatUtc(*when) : "; try again later";
  }
  return makeError(ErrorKind::kRuntime, message);
}

}  // namespace gw::acme
