#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "proxy/observe/access_log.hpp"
#include "tests/support/process.hpp"

namespace gw::test {

TEST_CASE("access log lines stay valid JSON whatever the request carried", "[proxy][access-log]") {
  TempDir dir;
  const auto path = dir.path() / "access.log";
  {
    auto file = proxy::AccessLogFile::open(path.string());
    REQUIRE(file);
    proxy::AccessLogWriter writer(*file.value());
    proxy::AccessRecord record;
    record.client = "127.0.0.1";
    record.method = "GET";
    record.host = "evil\"host\\\n\x01";
    record.path = "/p\"a\tth";
    record.status = 502;
    record.bytes = 12345678901ULL;
    record.duration = std::chrono::microseconds(1234567);
    record.error = "upstream_reset";
    writer.append(record);
  }  // the writer flushes when it goes
  const auto entry = nlohmann::json::parse(readText(path));
  CHECK(entry["host"] == "evil\"host\\\n\x01");
  CHECK(entry["path"] == "/p\"a\tth");
  CHECK(entry["status"] == 502);
  CHECK(entry["bytes"] == 12345678901ULL);
  CHECK(entry["durationMs"].get<double>() == Approx(1234.567));
  CHECK(entry["error"] == "upstream_reset");
}

TEST_CASE("an access log that cannot be opened is reported", "[proxy][access-log]") {
  const auto opened = proxy::AccessLogFile::open("/nonexistent-dir/access.log");
  REQUIRE_FALSE(opened);
  CHECK(opened.error().message.find("cannot open access log /nonexistent-dir/access.log") == 0);
}

}  // namespace gw::test
