// Compression of answers: Accept-Encoding negotiated with its q-values, and answers compressed
// through a running proxy from a gw-echo origin, each encoding decoded by its standard tool
// (gzip, brotli, zstd) back to the origin's bytes; what is left alone, left alone; and the
// cache keeping one answer per encoding.

#include <catch2/catch.hpp>

#include "proxy/compress/negotiate.hpp"
#include "tests/proxy/balancer/balancer_support.hpp"

namespace gw::test {
namespace {

using Encoding = core::Compress::Encoding;
const std::vector<Encoding> kAll{Encoding::kZstd, Encoding::kBrotli, Encoding::kGzip};

struct CompressedRoute {
  EchoProcess origin{"origin"};
  std::uint16_t port = freePort();
  ProxyUnderTest proxy;

  explicit CompressedRoute(core::Compress compress = {}, bool cache = false)
      : proxy(configOf(std::move(compress), cache)) {}

  core::Config configOf(core::Compress compress, bool cache) const {
    core::Config config = singleRoute(port, "app", origin.endpoint(), "shop.test");
    config.routes[0].compress = std::move(compress);
    if (cache) {
      config.routes[0].cache = core::RouteCache{};
    }
    return config;
  }

  Reply get(const std::string& target, const std::string& accept) const {
    HttpClient client(port, 10s);
    return client.request("GET", "shop.test", target, {{"Accept-Encoding", accept}});
  }
};

// `body` decoded by the standard tool of `encoding`.
std::string decoded(const std::string& encoding, const std::string& body) {
  const std::vector<std::string> argv = encoding == "gzip" ? std::vector<std::string>{"gzip", "-dc"}
                                        : encoding == "br"
                                            ? std::vector<std::string>{"brotli", "-dc"}
                                            : std::vector<std::string>{"zstd", "-dcq"};
  const RunResult r = run(argv, {}, body, 20s);
  INFO(encoding << " -d: " << r.err);
  REQUIRE(r.exit_code == 0);
  return r.out;
}

}  // namespace

TEST_CASE("Accept-Encoding is negotiated with its q-values", "[compress]") {
  using proxy::compress::negotiate;
  CHECK(negotiate("gzip, br, zstd", kAll) == Encoding::kZstd);  // the gateway's order breaks ties
  CHECK(negotiate("gzip", kAll) == Encoding::kGzip);
  CHECK(negotiate("br;q=0.5, gzip;q=0.8", kAll) == Encoding::kGzip);
  CHECK(negotiate("gzip;q=0, *", kAll) == Encoding::kZstd);
  CHECK(negotiate("*;q=0, br", kAll) == Encoding::kBrotli);
  CHECK(negotiate("identity;q=0, gzip", kAll) == Encoding::kGzip);
  CHECK_FALSE(negotiate("identity", kAll));
  CHECK_FALSE(negotiate("*;q=0", kAll));
  CHECK_FALSE(negotiate("", kAll));
  CHECK_FALSE(negotiate("gzip;q=0", kAll));
  CHECK(negotiate("GZIP ; Q=1.0", {Encoding::kGzip}) == Encoding::kGzip);  // any case
  CHECK(negotiate("x-gzip", kAll) == Encoding::kGzip);
  CHECK(negotiate("zstd, gzip", {Encoding::kGzip}) == Encoding::kGzip);
  CHECK_FALSE(negotiate("br;q=abc", {Encoding::kBrotli}));
}

TEST_CASE("compressible types follow the patterns", "[compress]") {
  using proxy::compress::compressibleType;
  CHECK(compressibleType("text/html; charset=utf-8", {}));
  CHECK(compressibleType("application/json", {}));
  CHECK(compressibleType("application/problem+json", {}));
  CHECK(compressibleType("Application/JSON", {}));
  CHECK_FALSE(compressibleType("image/png", {}));
  CHECK_FALSE(compressibleType("application/octet-stream", {}));
  CHECK_FALSE(compressibleType("", {}));
  CHECK(compressibleType("image/png", {"image/*"}));
  CHECK_FALSE(compressibleType("text/html", {"application/json"}));
}

TEST_CASE("each encoding decoded by its standard tool gives the origin's bytes", "[compress]") {
  CompressedRoute route;
  const std::string target = "/a?size=200000";
  const Reply plain = route.get(target, "identity");
  REQUIRE(plain.body.size() == 200000);
  CHECK(plain.header("content-encoding").empty());
  CHECK(plain.header("vary") == "Accept-Encoding");
  for (const std::string encoding : {"gzip", "br", "zstd"}) {
    CAPTURE(encoding);
    const Reply compressed = route.get(target, encoding);
    CHECK(compressed.status == 200);
    CHECK(compressed.header("content-encoding") == encoding);
    CHECK(compressed.header("vary") == "Accept-Encoding");
    CHECK(compressed.header("content-length").empty());
    CHECK(compressed.body.size() < plain.body.size() / 10);
    CHECK(decoded(encoding, compressed.body) == plain.body);
  }
}

TEST_CASE("a chunked answer is compressed as it streams", "[compress]") {
  CompressedRoute route;
  const Reply compressed = route.get("/a?size=300000&chunked=1", "br");
  CHECK(compressed.header("content-encoding") == "br");
  CHECK(decoded("br", compressed.body) == std::string(300000, 'x'));
}

TEST_CASE("small, encoded, no-transform and other answers pass unchanged", "[compress]") {
  CompressedRoute route;
  const Reply small = route.get("/a?size=100", "gzip");
  CHECK(small.header("content-encoding").empty());
  CHECK(small.body == std::string(100, 'x'));
  const Reply encoded = route.get("/a?size=5000&field=content-encoding", "gzip");
  CHECK(encoded.header("content-encoding") == "upstream");
  CHECK(encoded.body.size() == 5000);
  const Reply no_transform = route.get("/a?size=5000&cc=no-transform", "gzip");
  CHECK(no_transform.header("content-encoding").empty());
  CHECK(no_transform.body.size() == 5000);
  const Reply refused = route.get("/a?size=5000", "gzip;q=0, identity");
  CHECK(refused.header("content-encoding").empty());
  CHECK(refused.body.size() == 5000);
  HttpClient client(route.port, 10s);
  const Reply head =
      client.request("HEAD", "shop.test", "/a?size=5000", {{"Accept-Encoding", "gzip"}});
  CHECK(head.header("content-encoding") == "gzip");
  CHECK(head.body.empty());
}

TEST_CASE("only the route's encodings and types are used", "[compress]") {
  core::Compress compress;
  compress.encodings = {Encoding::kGzip};
  compress.types = {"application/json"};
  CompressedRoute route(compress);
  CHECK(route.get("/a?size=5000", "gzip").header("content-encoding").empty());  // text/plain
  const Reply json = route.get("/_echo?pad=" + std::string(2000, 'p'), "zstd, gzip");
  CHECK(json.header("content-encoding") == "gzip");
  CHECK(nlohmann::json::parse(decoded("gzip", json.body))["headers"]["accept-encoding"] == "gzip");
}

TEST_CASE("the cache keeps one compressed answer per encoding", "[compress][cache]") {
  CompressedRoute route({}, true);
  const std::string target = "/a?size=50000&cc=max-age%3D60&etag=v1";
  const Reply gzip = route.get(target, "gzip, deflate");
  const Reply br = route.get(target, "br");
  CHECK(gzip.header("etag") == "W/\"v1\"");
  const Reply gzip_again = route.get(target, "deflate, gzip;q=0.9");  // spelled otherwise
  const Reply br_again = route.get(target, "br;q=1");
  CHECK(gzip_again.header("cache-status").rfind("gw; hit", 0) == 0);
  CHECK(br_again.header("cache-status").rfind("gw; hit", 0) == 0);
  CHECK(gzip_again.header("content-encoding") == "gzip");
  CHECK(br_again.header("content-encoding") == "br");
  CHECK(decoded("gzip", gzip_again.body) == std::string(50000, 'x'));
  CHECK(decoded("br", br_again.body) == std::string(50000, 'x'));
  CHECK(route.get("/_count", "identity").body == "2\n");
}

}  // namespace gw::test
