// The internal issuer: a root made once in the folder given (key 0600), leaves that verify
// against it with openssl, and folders it will not use.

#include <sys/stat.h>

#include <catch2/catch.hpp>

#include "core/acme/certificate.hpp"
#include "core/acme/internal_issuer.hpp"
#include "tests/support/process.hpp"

using namespace gw::acme;
using gw::test::readText;
using gw::test::run;
using gw::test::TempDir;
using gw::test::writeText;

namespace {

unsigned modeOf(const std::filesystem::path& path) {
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  return st.st_mode & 0777;
}

}  // namespace

TEST_CASE("the internal CA is made on first use and kept", "[acme][internal]") {
  const TempDir dir;
  const auto folder = dir.path() / "ca";
  auto first = InternalIssuer::open(folder);
  REQUIRE(first);
  CHECK(first->created());
  CHECK(first->rootCertificatePath() == folder / "root.pem");
  CHECK(modeOf(folder / "root-key.pem") == 0600);
  CHECK(modeOf(folder) == 0700);
  CHECK(readText(folder / "root.pem") == first->rootPem());

  auto root = parseCertificateChain(first->rootPem());
  REQUIRE(root);
  CHECK(root->front().is_ca);
  CHECK(root->front().not_after - root->front().not_before >= std::chrono::hours(24 * 3650));

  auto again = InternalIssuer::open(folder);
  REQUIRE(again);
  CHECK_FALSE(again->created());
  CHECK(again->rootPem() == first->rootPem());
}

TEST_CASE("a leaf from the internal CA verifies against its root", "[acme][internal]") {
  const TempDir dir;
  auto ca = InternalIssuer::open(dir.path() / "ca");
  REQUIRE(ca);
  auto issued = ca->issue({"shop.test", "www.shop.test"});
  REQUIRE(issued);
  writeText(dir.path() / "leaf.pem", issued->chain_pem);
  const auto verified = run({"openssl", "verify", "-CAfile", ca->rootCertificatePath().string(),
                             "-purpose", "sslserver", (dir.path() / "leaf.pem").string()});
  INFO(verified.out << verified.err);
  CHECK(verified.exit_code == 0);

  auto chain = parseCertificateChain(issued->chain_pem);
  REQUIRE(chain);
  CHECK(chain->front().dns_names == std::vector<std::string>{"shop.test", "www.shop.test"});
  const auto lifetime = chain->front().not_after - std::chrono::system_clock::now();
  CHECK(lifetime > std::chrono::hours(24 * 90 - 1));
  CHECK(lifetime <= std::chrono::hours(24 * 90));
  CHECK(issued->not_after == chain->front().not_after);
  auto key = PrivateKey::fromPem(issued->key_pem);
  REQUIRE(key);
  CHECK(certificateMatchesKey(issued->chain_pem, *key));

  auto short_lived =
      ca->issue({"api.test"}, InternalIssueOptions{std::chrono::hours(24), KeyType::kRsa2048});
  REQUIRE(short_lived);
  auto short_chain = parseCertificateChain(short_lived->chain_pem);
  REQUIRE(short_chain);
  CHECK(short_chain->front().not_after - std::chrono::system_clock::now() <=
        std::chrono::hours(24));
  CHECK(PrivateKey::fromPem(short_lived->key_pem)->type() == KeyType::kRsa2048);
}

TEST_CASE("the internal CA refuses a half-made folder, a foreign root and bad names",
          "[acme][internal][refusals]") {
  const TempDir dir;
  const auto folder = dir.path() / "ca";
  SECTION("a root without its key") {
    std::filesystem::create_directories(folder);
    writeText(folder / "root.pem", "x");
    const auto ca = InternalIssuer::open(folder);
    REQUIRE_FALSE(ca);
    CHECK(ca.error().message == "the internal CA in " + folder.string() +
                                    " is incomplete (root-key.pem is missing); move the folder "
                                    "away to start a new CA");
  }
  SECTION("a root that does not match the key") {
    REQUIRE(InternalIssuer::open(folder));
    auto other = InternalIssuer::open(dir.path() / "other");
    REQUIRE(other);
    writeText(folder / "root.pem", other->rootPem());
    const auto ca = InternalIssuer::open(folder);
    REQUIRE_FALSE(ca);
    CHECK(ca.error().message == "the internal CA in " + folder.string() + ": " +
                                    (folder / "root.pem").string() +
                                    ": the certificate does not match the private key");
  }
  SECTION("a name with a space") {
    auto ca = InternalIssuer::open(folder);
    REQUIRE(ca);
    const auto issued = ca->issue({"shop test"});
    REQUIRE_FALSE(issued);
    CHECK(issued.error().message == "'shop test' is not a valid domain name: it contains a space");
  }
}
