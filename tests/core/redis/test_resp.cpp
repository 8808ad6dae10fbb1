// RESP2: commands as Redis reads them, replies parsed from bytes as they arrive.

#include <catch2/catch.hpp>
#include <string>

#include "core/redis/resp.hpp"

namespace gw::redis {

TEST_CASE("a command is an array of bulk strings", "[redis]") {
  std::string out;
  appendCommand(out, {"EVALSHA", "abc", "1", "k\r\ney"});
  CHECK(out == "*4\r\n$7\r\nEVALSHA\r\n$3\r\nabc\r\n$1\r\n1\r\n$5\r\nk\r\ney\r\n");
}

TEST_CASE("replies come whole, however the bytes are cut", "[redis]") {
  const std::string bytes =
      "+OK\r\n-NOSCRIPT No matching script\r\n:42\r\n$5\r\nhe\r\nl\r\n$-1\r\n"
      "*4\r\n:1\r\n:9\r\n:0\r\n:600000\r\n*2\r\n*1\r\n+a\r\n$0\r\n\r\n";
  for (std::size_t cut = 1; cut < bytes.size(); cut += 7) {
    ReplyParser parser;
    std::vector<Reply> replies;
    for (std::size_t at = 0; at < bytes.size(); at += cut) {
      parser.feed(std::string_view(bytes).substr(at, cut));
      while (auto reply = parser.next()) {
        replies.push_back(std::move(*reply));
      }
    }
    INFO("cut every " << cut << " bytes");
    REQUIRE(replies.size() == 7);
    CHECK(replies[0].type == Reply::Type::kString);
    CHECK(replies[0].text == "OK");
    CHECK(replies[1].type == Reply::Type::kError);
    CHECK(replies[1].text.rfind("NOSCRIPT", 0) == 0);
    CHECK(replies[2].integer == 42);
    CHECK(replies[3].text == "he\r\nl");
    CHECK(replies[4].type == Reply::Type::kNil);
    REQUIRE(replies[5].elements.size() == 4);
    CHECK(replies[5].elements[3].integer == 600000);
    CHECK(replies[6].elements[0].elements[0].text == "a");
    CHECK(replies[6].elements[1].text.empty());
    CHECK_FALSE(parser.failed());
  }
}

TEST_CASE("what is not RESP fails the parser for good", "[redis]") {
  for (const std::string bad : {"?what\r\n", ":12x\r\n", "$-5\r\n", "*99999999\r\n",
                                "*1\r\n*1\r\n*1\r\n*1\r\n*1\r\n:1\r\n"}) {
    ReplyParser parser;
    parser.feed(bad);
    INFO(bad);
    CHECK_FALSE(parser.next().has_value());
    CHECK(parser.failed());
  }
}

}  // namespace gw::redis
