// What the CA says, said for people: problem documents in words, Retry-After in both forms,
// the directory's optional parts (profiles, ARI) and the ARI certificate identifier.

#include <catch2/catch.hpp>
#include <regex>

#include "core/acme/certificate.hpp"
#include "core/acme/client.hpp"
#include "core/acme/encoding.hpp"
#include "core/acme/internal_issuer.hpp"
#include "core/acme/problem.hpp"
#include "core/acme/transport.hpp"
#include "tests/support/process.hpp"

using namespace gw::acme;
using gw::test::run;
using gw::test::TempDir;
using gw::test::writeText;

namespace {

SystemTime at(std::time_t t) { return std::chrono::system_clock::from_time_t(t); }

// "AB:CD" or "ABCD" -> the bytes.
std::string bytes(const std::string& hex_text) {
  std::string digits;
  for (const char c : hex_text) {
    if (c != ':') {
      digits += c;
    }
  }
  std::string out;
  for (std::size_t i = 0; i + 1 < digits.size(); i += 2) {
    out += static_cast<char>(std::stoi(digits.substr(i, 2), nullptr, 16));
  }
  return out;
}

}  // namespace

TEST_CASE("a connection problem names the address and the reason", "[acme][problem]") {
  const auto problem = parseProblemText(std::string_view(
      R"({"type":"urn:ietf:params:acme:error:connection","detail":"127.0.0.1: Fetching http://shop.test:5002/.well-known/acme-challenge/abc: Connecting to 127.0.0.1:5002: dial tcp 127.0.0.1:5002: connect: connection refused","status":400})"));
  REQUIRE(problem);
  CHECK(problem->shortType() == "connection");
  CHECK(problemWords(*problem) ==
        "the CA could not connect to 127.0.0.1:5002 (connection refused)");
}

TEST_CASE("known problem types are said in words, unknown ones shown as they are",
          "[acme][problem]") {
  Problem p;
  p.type = "urn:ietf:params:acme:error:unauthorized";
  p.detail = "The key authorization file from the server did not match.";
  CHECK(problemWords(p) ==
        "the CA refused the answer (The key authorization file from the server did not match)");
  p.type = "urn:ietf:params:acme:error:externalAccountRequired";
  p.detail = "";
  CHECK(problemWords(p) ==
        "the CA requires External Account Binding: give the key id and HMAC key it hands out "
        "(gw cert issue --eab-kid --eab-hmac-key, or gw gateway update --tls-eab-kid "
        "--tls-eab-hmac-key)");
  p.type = "urn:example:weird";
  p.detail = "odd";
  CHECK(problemWords(p) == "the CA reported urn:example:weird (odd)");
  const auto compound = parseProblemText(std::string_view(R"({
      "type": "urn:ietf:params:acme:error:compound", "detail": "two names failed",
      "subproblems": [
        {"type": "urn:ietf:params:acme:error:caa", "identifier": {"type": "dns", "value": "a.test"}},
        {"type": "urn:ietf:params:acme:error:dns", "detail": "NXDOMAIN",
         "identifier": {"type": "dns", "value": "b.test"}}]})"));
  REQUIRE(compound);
  CHECK(problemWords(*compound) ==
        "the CA found several problems; a.test: a CAA record forbids this CA to issue for the "
        "name; b.test: the CA could not look the name up in DNS (NXDOMAIN)");
  CHECK_FALSE(parseProblemText(std::string_view("not json")));
  CHECK_FALSE(parseProblemText(std::string_view(R"({"status":"valid"})")));
}

TEST_CASE("a rate limit says when to try again", "[acme][problem]") {
  HttpResponse response;
  response.status = 429;
  response.headers = {{"retry-after", "Mon, 30 Nov 2026 05:00:00 GMT"}};
  response.body =
      R"({"type":"urn:ietf:params:acme:error:rateLimited","detail":"too many certificates already issued for shop.test"})";
  const auto error = answerError("ordering a certificate for shop.test", response);
  CHECK(error.message ==
        "ordering a certificate for shop.test: the CA's rate limit was reached (too many "
        "certificates already issued for shop.test); try again after 2026-11-30 05:00:00 UTC");
  response.headers.clear();
  response.body = R"({"type":"urn:ietf:params:acme:error:rateLimited"})";
  CHECK(answerError("x", response).message ==
        "x: the CA's rate limit was reached; try again later");
  response.body = "<html>";
  response.status = 502;
  CHECK(answerError("x", response).message == "x: the CA answered HTTP 502");
}

TEST_CASE("Retry-After is read as seconds or as an HTTP date", "[acme][problem]") {
  const SystemTime now = at(1'800'000'000);
  CHECK(parseRetryAfter("120", now) == now + std::chrono::seconds(120));
  CHECK(parseRetryAfter("Sun, 06 Nov 1994 08:49:37 GMT", now) == at(784111777));
  CHECK_FALSE(parseRetryAfter("", now));
  CHECK_FALSE(parseRetryAfter("soon", now));
  CHECK_FALSE(parseRetryAfter("12abc", now));
  CHECK(parseRfc3339("2026-11-30T05:00:00Z") == at(1796014800));
  CHECK(parseRfc3339("2026-11-30T06:00:00.123+01:00") == at(1796014800));
  CHECK_FALSE(parseRfc3339("2026-11-30 05:00"));
  CHECK(formatUtc(at(1796014800)) == "2026-11-30 05:00:00 UTC");
}

TEST_CASE("the directory's profiles and renewalInfo are read when the CA has them",
          "[acme][directory]") {
  const auto doc = nlohmann::json::parse(R"({
    "newNonce": "https://ca.test/nonce", "newAccount": "https://ca.test/acct",
    "newOrder": "https://ca.test/order", "revokeCert": "https://ca.test/revoke",
    "renewalInfo": "https://ca.test/ari",
    "meta": {"termsOfService": "https://ca.test/tos", "externalAccountRequired": true,
             "profiles": {"classic": "the usual", "tlsserver": "short-lived"}}})");
  auto dir = parseDirectory(doc, "https://ca.test/dir");
  REQUIRE(dir);
  CHECK(dir->renewal_info == "https://ca.test/ari");
  CHECK(dir->profiles == std::vector<std::string>{"classic", "tlsserver"});
  CHECK(dir->external_account_required);
  CHECK(dir->terms_of_service == "https://ca.test/tos");

  const auto broken =
      parseDirectory(nlohmann::json::parse(R"({"newNonce": "x"})"), "https://ca.test/dir");
  REQUIRE_FALSE(broken);
  CHECK(broken.error().message ==
        "https://ca.test/dir is not an ACME directory (no newNonce, newAccount or newOrder)");
}

TEST_CASE("an ARI answer gives the suggested window", "[acme][ari]") {
  const auto doc = nlohmann::json::parse(R"({"suggestedWindow":
      {"start": "2026-11-30T05:00:00Z", "end": "2026-12-01T05:00:00Z"},
      "explanationURL": "https://ca.test/why"})");
  auto window = parseRenewalInfo(doc, at(1796000000), "asking");
  REQUIRE(window);
  CHECK(window->start == at(1796014800));
  CHECK(window->end == at(1796014800 + 86400));
  CHECK(window->explanation_url == "https://ca.test/why");
  CHECK(window->retry_after == at(1796000000));
  const auto backwards = parseRenewalInfo(nlohmann::json::parse(R"({"suggestedWindow":
      {"start": "2026-12-01T05:00:00Z", "end": "2026-11-30T05:00:00Z"}})"),
                                          std::nullopt, "asking");
  REQUIRE_FALSE(backwards);
  CHECK(backwards.error().message == "asking: the suggested window is not a time range");
}

TEST_CASE("the ARI identifier is the AKI key id and the serial, as openssl prints them",
          "[acme][ari]") {
  const TempDir dir;
  auto ca = InternalIssuer::open(dir.path() / "ca");
  REQUIRE(ca);
  auto issued = ca->issue({"shop.test"});
  REQUIRE(issued);
  writeText(dir.path() / "leaf.pem", issued->chain_pem);
  const auto leaf = (dir.path() / "leaf.pem").string();
  const auto aki =
      run({"openssl", "x509", "-in", leaf, "-noout", "-ext", "authorityKeyIdentifier"});
  const auto serial = run({"openssl", "x509", "-in", leaf, "-noout", "-serial"});
  REQUIRE(aki.exit_code == 0);
  REQUIRE(serial.exit_code == 0);
  // "AB:CD:..." and "serial=0123..." as bytes; a serial whose high bit is set gets a 0x00
  // first, as DER INTEGERs are signed.
  std::smatch keyid;
  REQUIRE(std::regex_search(aki.out, keyid, std::regex("[0-9A-F]{2}(:[0-9A-F]{2})+")));
  std::string serial_hex = serial.out.substr(serial.out.find('=') + 1);
  serial_hex.erase(serial_hex.find_last_not_of('\n') + 1);
  if (std::string("89ABCDEF").find(serial_hex.front()) != std::string::npos) {
    serial_hex = "00" + serial_hex;
  }
  const std::string expected = base64url(bytes(keyid.str())) + "." + base64url(bytes(serial_hex));
  auto id = ariCertificateId(issued->chain_pem);
  REQUIRE(id);
  CHECK(*id == expected);
  const auto none = ariCertificateId(ca->rootPem());
  REQUIRE_FALSE(none);
  CHECK(none.error().message ==
        "the certificate has no authority key identifier, so ARI cannot name it");
}
