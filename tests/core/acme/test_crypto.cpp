// The certificate toolkit: encodings, keys, JWK and JWS as RFC 7515/7518/7638 define them,
// certificate requests and chains, and the refusals of bad input, checked against the
// openssl command line where a second opinion exists.

#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <sys/stat.h>

#include <catch2/catch.hpp>

#include "core/acme/certificate.hpp"
#include "core/acme/encoding.hpp"
#include "core/acme/internal_issuer.hpp"
#include "core/acme/jws.hpp"
#include "core/acme/key.hpp"
#include "tests/support/process.hpp"

using namespace gw::acme;
using gw::test::readText;
using gw::test::run;
using gw::test::TempDir;
using gw::test::writeText;

namespace {

PrivateKey makeKey(KeyType type) {
  auto key = PrivateKey::generate(type);
  REQUIRE(key);
  return std::move(*key);
}

std::string decoded(const std::string& text) {
  auto bytes = base64urlDecode(text);
  REQUIRE(bytes);
  return *bytes;
}

// Verifies a JWS signature with OpenSSL's own verifier; ECDSA's raw r||s goes back to DER.
bool verifies(const PrivateKey& key, const std::string& input, std::string sig) {
  if (key.type() == KeyType::kEcdsaP256 || key.type() == KeyType::kEcdsaP384) {
    const std::size_t half = sig.size() / 2;
    ECDSA_SIG* ecdsa = ECDSA_SIG_new();
    const auto* raw = reinterpret_cast<const unsigned char*>(sig.data());
    ECDSA_SIG_set0(ecdsa, BN_bin2bn(raw, static_cast<int>(half), nullptr),
                   BN_bin2bn(raw + half, static_cast<int>(half), nullptr));
    unsigned char* der = nullptr;
    const int size = i2d_ECDSA_SIG(ecdsa, &der);
    sig.assign(reinterpret_cast<const char*>(der), static_cast<std::size_t>(size));
    OPENSSL_free(der);
    ECDSA_SIG_free(ecdsa);
  }
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  const EVP_MD* md = key.type() == KeyType::kEcdsaP384 ? EVP_sha384() : EVP_sha256();
  const bool ok =
      EVP_DigestVerifyInit(ctx, nullptr, md, nullptr, key.native()) == 1 &&
      EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char*>(sig.data()), sig.size(),
                       reinterpret_cast<const unsigned char*>(input.data()), input.size()) == 1;
  EVP_MD_CTX_free(ctx);
  return ok;
}

}  // namespace

TEST_CASE("base64url follows RFC 4648's vectors without padding", "[acme][encoding]") {
  CHECK(base64url("").empty());
  CHECK(base64url("f") == "Zg");
  CHECK(base64url("fo") == "Zm8");
  CHECK(base64url("foo") == "Zm9v");
  CHECK(base64url("foob") == "Zm9vYg");
  CHECK(base64url("fooba") == "Zm9vYmE");
  CHECK(base64url("foobar") == "Zm9vYmFy");
  CHECK(base64url(std::string("\xfb\xff", 2)) == "-_8");
  CHECK(decoded("-_8") == std::string("\xfb\xff", 2));
  CHECK(decoded("Zm9vYmE") == "fooba");

  const auto padded = base64urlDecode("Zg==");
  REQUIRE_FALSE(padded);
  CHECK(padded.error().message == "not base64url: unexpected character '='");
  CHECK_FALSE(base64urlDecode("Zm9v+A"));
  CHECK_FALSE(base64urlDecode("Z"));
}

TEST_CASE("SHA-256 and HMAC-SHA256 match the published vectors", "[acme][encoding]") {
  CHECK(hex(sha256("abc")) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  // RFC 4231 test case 1.
  CHECK(hex(hmacSha256(std::string(20, '\x0b'), "Hi There")) ==
        "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  // RFC 7638 section 3.1: the thumbprint of its example RSA key's canonical JWK.
  const std::string canonical =
      R"({"e":"AQAB","kty":"RSA","n":"0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw"})";
  CHECK(base64url(sha256(canonical)) == "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs");
}

TEST_CASE("keys of every type are made, written as PEM and read back", "[acme][key]") {
  const auto type = GENERATE(KeyType::kEcdsaP256, KeyType::kEcdsaP384, KeyType::kRsa2048);
  const PrivateKey key = makeKey(type);
  const std::string pem = key.pem();
  CHECK(pem.starts_with("-----BEGIN PRIVATE KEY-----"));
  auto again = PrivateKey::fromPem(pem);
  REQUIRE(again);
  CHECK(again->type() == type);
  CHECK(again->publicKeyPem() == key.publicKeyPem());
  CHECK(parseKeyType(keyTypeName(type)).value() == type);
}

TEST_CASE("a key file is written atomically with mode 0600", "[acme][key]") {
  const TempDir dir;
  const auto path = dir.path() / "acme" / "account.key";
  const PrivateKey key = makeKey(KeyType::kEcdsaP256);
  REQUIRE(writeKeyFile(path, key.pem()));
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  CHECK(readText(path) == key.pem());
  auto loaded = PrivateKey::load(path);
  REQUIRE(loaded);
  CHECK(loaded->publicKeyPem() == key.publicKeyPem());
  std::size_t files = 0;
  for ([[maybe_unused]] const auto& entry :
       std::filesystem::directory_iterator(path.parent_path())) {
    ++files;
  }
  CHECK(files == 1);  // no temporary file left behind
}

TEST_CASE("the JWK of an EC key holds its public point, as openssl prints it", "[acme][jws]") {
  const TempDir dir;
  const PrivateKey key = makeKey(KeyType::kEcdsaP256);
  writeText(dir.path() / "key.pem", key.pem());
  // The raw X and Y are the last 64 bytes of the SubjectPublicKeyInfo DER.
  const auto der = run({"sh", "-c",
                        "openssl pkey -in '" + (dir.path() / "key.pem").string() +
                            "' -pubout -outform DER | tail -c 64 | od -An -tx1 | tr -d ' \\n'"});
  REQUIRE(der.exit_code == 0);
  const auto j = jwk(key);
  CHECK(j["kty"] == "EC");
  CHECK(j["crv"] == "P-256");
  CHECK(hex(decoded(j["x"]) + decoded(j["y"])) == der.out);
  CHECK(j.dump().starts_with(R"({"crv":"P-256","kty":"EC","x":")"));
  CHECK(jwkThumbprint(key) == base64url(sha256(j.dump())));
}

TEST_CASE("JWS signatures verify, with raw r||s for ECDSA", "[acme][jws]") {
  const auto type = GENERATE(KeyType::kEcdsaP256, KeyType::kEcdsaP384, KeyType::kRsa2048);
  const PrivateKey key = makeKey(type);
  auto jws = signJws(key, {{"nonce", "n1"}, {"url", "https://ca.test/x"}}, R"({"a":1})");
  REQUIRE(jws);
  const std::string input =
      (*jws)["protected"].get<std::string>() + "." + (*jws)["payload"].get<std::string>();
  const std::string sig = decoded((*jws)["signature"]);
  if (type == KeyType::kEcdsaP256) {
    CHECK(sig.size() == 64);
  } else if (type == KeyType::kEcdsaP384) {
    CHECK(sig.size() == 96);
  }
  CHECK(verifies(key, input, sig));
  CHECK_FALSE(verifies(key, input + "x", sig));
  const auto header = nlohmann::json::parse(decoded((*jws)["protected"]));
  CHECK(header["alg"] == std::string(jwsAlgorithm(key)));
  CHECK(decoded((*jws)["payload"]) == R"({"a":1})");

  auto get = signJws(key, {{"nonce", "n2"}}, "");
  REQUIRE(get);
  CHECK((*get)["payload"].get<std::string>().empty());  // POST-as-GET
}

TEST_CASE("External Account Binding is an HS256 JWS of the account JWK", "[acme][jws]") {
  const PrivateKey key = makeKey(KeyType::kEcdsaP256);
  const std::string mac_key = "secret-mac-key-of-32-bytes-long!";
  auto eab = externalAccountBinding(key, "kid-1", base64url(mac_key), "https://ca.test/new-acct");
  REQUIRE(eab);
  const auto header = nlohmann::json::parse(decoded((*eab)["protected"]));
  CHECK(header ==
        nlohmann::json{{"alg", "HS256"}, {"kid", "kid-1"}, {"url", "https://ca.test/new-acct"}});
  CHECK(nlohmann::json::parse(decoded((*eab)["payload"])) == jwk(key));
  const std::string input =
      (*eab)["protected"].get<std::string>() + "." + (*eab)["payload"].get<std::string>();
  CHECK((*eab)["signature"] == base64url(hmacSha256(mac_key, input)));

  const auto bad = externalAccountBinding(key, "kid-1", "not base64url!", "https://ca.test/a");
  REQUIRE_FALSE(bad);
  CHECK(bad.error().message == "the External Account Binding HMAC key is not base64url");
}

TEST_CASE("a CSR names every domain in its subjectAltName and verifies", "[acme][csr]") {
  const TempDir dir;
  const PrivateKey key = makeKey(KeyType::kEcdsaP256);
  auto csr = makeCsr(key, {"shop.test", "www.shop.test"});
  REQUIRE(csr);
  writeText(dir.path() / "csr.der", *csr);
  const auto text = run({"openssl", "req", "-inform", "DER", "-in",
                         (dir.path() / "csr.der").string(), "-noout", "-verify", "-text"});
  INFO(text.out << text.err);
  REQUIRE(text.exit_code == 0);
  CHECK(text.out.find("DNS:shop.test, DNS:www.shop.test") != std::string::npos);
  CHECK(text.out.find("CN = shop.test") != std::string::npos);
}

TEST_CASE("a chain is parsed into names, dates, serial and issuer", "[acme][certificate]") {
  const TempDir dir;
  auto ca = InternalIssuer::open(dir.path() / "ca");
  REQUIRE(ca);
  auto issued = ca->issue({"shop.test", "www.shop.test"});
  REQUIRE(issued);
  auto chain = parseCertificateChain(issued->chain_pem + ca->rootPem());
  REQUIRE(chain);
  REQUIRE(chain->size() == 2);
  const CertificateInfo& leaf = chain->front();
  CHECK(leaf.dns_names == std::vector<std::string>{"shop.test", "www.shop.test"});
  CHECK(leaf.subject == "CN=shop.test");
  CHECK(leaf.issuer == chain->back().subject);
  CHECK_FALSE(leaf.is_ca);
  CHECK(chain->back().is_ca);
  CHECK(leaf.not_after - leaf.not_before > std::chrono::hours(24 * 89));
  writeText(dir.path() / "leaf.pem", leaf.pem);
  const auto serial =
      run({"openssl", "x509", "-in", (dir.path() / "leaf.pem").string(), "-noout", "-serial"});
  CHECK(serial.out == "serial=" + leaf.serial_hex + "\n");
  auto key = PrivateKey::fromPem(issued->key_pem);
  REQUIRE(key);
  CHECK(certificateMatchesKey(issued->chain_pem, *key));
}

TEST_CASE("bad keys, certificates and names are refused with a clear sentence",
          "[acme][refusals]") {
  const TempDir dir;
  SECTION("a file that is not a key") {
    writeText(dir.path() / "key.pem", "hello, I am not a key\n");
    const auto key = PrivateKey::load(dir.path() / "key.pem");
    REQUIRE_FALSE(key);
    CHECK(key.error().message ==
          (dir.path() / "key.pem").string() + ": not a private key in PEM form");
  }
  SECTION("a key on a curve gw does not use") {
    const auto made =
        run({"openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:secp256k1"});
    REQUIRE(made.exit_code == 0);
    const auto key = PrivateKey::fromPem(made.out);
    REQUIRE_FALSE(key);
    CHECK(key.error().message == "the EC key is on curve secp256k1; gw uses P-256 or P-384");
  }
  SECTION("a certificate that does not match its key") {
    auto ca = InternalIssuer::open(dir.path() / "ca");
    REQUIRE(ca);
    auto issued = ca->issue({"shop.test"});
    REQUIRE(issued);
    const PrivateKey other = makeKey(KeyType::kEcdsaP256);
    const auto status = certificateMatchesKey(issued->chain_pem, other);
    REQUIRE_FALSE(status);
    CHECK(status.error().message == "the certificate does not match the private key");
  }
  SECTION("text that holds no certificate") {
    const auto chain = parseCertificateChain("hello");
    REQUIRE_FALSE(chain);
    CHECK(chain.error().message == "no certificate in PEM form found");
  }
  SECTION("an unknown key type") {
    const auto type = parseKeyType("dsa1024");
    REQUIRE_FALSE(type);
    CHECK(type.error().message ==
          "unknown key type 'dsa1024' (use ecdsa-p256, ecdsa-p384, rsa2048 or rsa4096)");
  }
}
