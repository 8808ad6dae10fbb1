// Compression of answers: Accept-Encoding negotiated with its q-values, and answers compressed
// through a running proxy from a gw-echo origin, each encoding decoded by its standard tool
// (gzip, brotli, zstd) back to the origin's bytes; what is left alone, left alone; the
// cache keeping one answer per encoding; and an upstream that pauses mid-answer still getting
// what it sent so far to the client.

#include <zlib.h>

#include <atomic>
#include <boost/asio/read_until.hpp>
#include <boost/asio/write.hpp>
#include <catch2/catch.hpp>
#include <thread>

#include "proxy/compress/negotiate.hpp"
#include "tests/proxy/balancer/balancer_support.hpp"
#include "tests/proxy/support/scripted_backend.hpp"
#include "tests/proxy/support/wire.hpp"

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

// The data of the whole chunks of a chunked body (what follows the head in `answer`).
std::string dechunked(const std::string& answer) {
  std::string data;
  std::size_t at = answer.find("\r\n\r\n");
  if (at == std::string::npos) {
    return data;
  }
  at += 4;
  for (;;) {
    const std::size_t line_end = answer.find("\r\n", at);
    if (line_end == std::string::npos) {
      return data;
    }
    const std::size_t size = std::stoul(answer.substr(at, line_end - at), nullptr, 16);
    if (size == 0 || line_end + 2 + size + 2 > answer.size()) {
      return data;
    }
    data.append(answer, line_end + 2, size);
    at = line_end + 2 + size + 2;
  }
}

// What the gzip stream `body` (whole or a beginning) inflates to.
std::string gunzipped(const std::string& body) {
  z_stream z{};
  REQUIRE(inflateInit2(&z, 15 + 16) == Z_OK);
  std::string out;
  std::string step(64 * 1024, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(body.data()));  // NOLINT
  z.avail_in = static_cast<uInt>(body.size());
  int rc = Z_OK;
  do {
    z.next_out = reinterpret_cast<Bytef*>(step.data());  // NOLINT
    z.avail_out = static_cast<uInt>(step.size());
    rc = inflate(&z, Z_SYNC_FLUSH);
    out.append(step.data(), step.size() - z.avail_out);
  } while (rc == Z_OK && z.avail_out == 0);
  inflateEnd(&z);
  return out;
}

// JSON-like text of `records` records from `first` on: compresses, as an API's answers do.
std::string records(int first, int count) {
  std::string text;
  for (int i = first; i < first + count; ++i) {
    text += R"({"id":)" + std::to_string(i) + R"(,"name":"item )" +
            std::to_string(i * 7919 % 1000) + R"(","price":)" + std::to_string(i % 97) + "},";
  }
  return text;
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

TEST_CASE("a compressed answer's first part reaches the client while the upstream pauses",
          "[compress]") {
  const std::string first = records(0, 600);
  const std::string rest = records(600, 600);
  std::atomic<bool> go{false};
  ScriptedBackend origin(
      1, [&](boost::asio::ip::tcp::socket& socket, const std::atomic<bool>& stop) {
        boost::system::error_code ec;
        std::string request;
        boost::asio::read_until(socket, boost::asio::dynamic_buffer(request), "\r\n\r\n", ec);
        const std::string head =
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
            "Content-Length: " +
            std::to_string(first.size() + rest.size()) + "\r\n\r\n";
        boost::asio::write(socket, boost::asio::buffer(head + first), ec);
        for (int i = 0; i < 1000 && !go && !stop; ++i) {  // until the client has the first part
          std::this_thread::sleep_for(10ms);
        }
        boost::asio::write(socket, boost::asio::buffer(rest), ec);
        stop.wait(false);
      });
  const std::uint16_t port = freePort();
  core::Config config = singleRoute(port, "app", origin.endpoint(), "shop.test");
  config.routes[0].compress = core::Compress{};
  ProxyUnderTest proxy(config);

  RawConnection client(port);
  REQUIRE(client.send("GET /slow HTTP/1.1\r\nHost: shop.test\r\nAccept-Encoding: gzip\r\n\r\n"));
  std::string got;
  for (int i = 0; i < 50 && got != first; ++i) {
    client.readUntil("\r\n0\r\n\r\n", 100ms);
    got = gunzipped(dechunked(client.received()));
  }
  CHECK(client.received().find("Content-Encoding: gzip") != std::string::npos);
  CHECK(got == first);  // all of it, before the upstream sends the rest
  go = true;
  REQUIRE(client.readUntil("\r\n0\r\n\r\n", 5s));
  CHECK(gunzipped(dechunked(client.received())) == first + rest);
}

}  // namespace gw::test
