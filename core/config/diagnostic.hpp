#pragma once
// Where in a document a field came from, and errors that point there.

#include <map>
#include <string>
#include <vector>

namespace gw::core {

struct Position {
  int line = 0;  // 1-based; 0 = unknown
  int col = 0;
};

// Field path ("routes[1].destinations[0].weight") -> position, filled by decode().
// Documents built by commands have an empty map; errors then carry the path alone.
struct SourceMap {
  std::string file;  // as the user named it ("config.yaml", "-", "/tmp/new.yaml")
  std::map<std::string, Position> positions;

  // The position of `path`, or of its nearest ancestor that has one.
  Position find(const std::string& path) const;
};

struct Diagnostic {
  std::string path;     // field path; "" = the whole document
  std::string message;  // "must be 0..100 (got -2)"
  std::string file;     // "" when not from a file
  Position pos;

  // "file:line:col: path: message", leaving out the parts that are unknown.
  std::string str() const;
};

}  // namespace gw::core
