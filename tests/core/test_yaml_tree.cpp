// The YAML tree the decoder reads: the same YAML as yaml-cpp accepts, in a compact form.
#include <yaml-cpp/exceptions.h>

#include <catch2/catch.hpp>

#include "core/config/yaml_tree.hpp"

namespace gw::core::yaml {

TEST_CASE("block and flow collections keep their order, kinds and positions", "[yaml]") {
  const Tree tree = Tree::parse(
      "name: shop\n"
      "ports: [80, \"443\"]\n"
      "match: {path: /, type: exact}\n"
      "items:\n"
      "  - a\n"
      "  - b: 1\n"
      "empty:\n");
  const Node root = tree.root();
  REQUIRE(root.isMap());
  REQUIRE(root.size() == 5);
  CHECK(root.key(0).scalar() == "name");
  CHECK(root.value(0).scalar() == "shop");
  CHECK(root.key(1).mark().line == 1);
  CHECK(root.key(1).mark().column == 0);

  const Node ports = root.value(1);
  REQUIRE(ports.isSequence());
  REQUIRE(ports.size() == 2);
  CHECK(ports.item(0).isPlain());
  CHECK_FALSE(ports.item(1).isPlain());  // quoted: a string, never a number
  CHECK(ports.item(1).scalar() == "443");

  const Node match = root.value(2);
  REQUIRE(match.isMap());
  CHECK(match.key(1).scalar() == "type");
  CHECK(match.value(1).scalar() == "exact");

  const Node items = root.value(3);
  REQUIRE(items.size() == 2);
  CHECK(items.item(0).scalar() == "a");
  REQUIRE(items.item(1).isMap());
  CHECK(items.item(1).value(0).scalar() == "1");
  CHECK(items.item(1).mark().line == 5);

  CHECK(root.value(4).isNull());
}

TEST_CASE("an alias reads as the node its anchor names", "[yaml]") {
  const Tree tree = Tree::parse(
      "base: &b {service: app, weight: 50}\n"
      "copy: *b\n");
  const Node copy = tree.root().value(1);
  REQUIRE(copy.isMap());
  CHECK(copy.value(0).scalar() == "app");
  CHECK(copy.value(1).scalar() == "50");
}

TEST_CASE("an empty document is one null node, and only the first document is read", "[yaml]") {
  CHECK(Tree::parse("").root().isNull());
  CHECK(Tree::parse("# just a comment\n").root().isNull());
  const Tree two = Tree::parse("a: 1\n---\nb: 2\n");
  REQUIRE(two.root().size() == 1);
  CHECK(two.root().key(0).scalar() == "a");
}

TEST_CASE("repeated keys are kept for the decoder to report", "[yaml]") {
  const Tree tree = Tree::parse("a: 1\na: 2\n");
  REQUIRE(tree.root().size() == 2);
  CHECK(tree.root().value(1).scalar() == "2");
}

TEST_CASE("invalid YAML throws with the position of the problem", "[yaml]") {
  try {
    (void)Tree::parse("a: [1, 2\nb: 3\n");
    FAIL("no exception");
  } catch (const YAML::Exception& e) {
    CHECK_FALSE(e.mark.is_null());
  }
  CHECK_THROWS_AS(Tree::parse("a: *nowhere\n"), YAML::Exception);
}

}  // namespace gw::core::yaml
