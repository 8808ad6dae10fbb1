#include <algorithm>
#include <cstdint>

#include "core/config/document.hpp"

namespace gw::core {
namespace {

constexpr std::size_t kContext = 3;
// Above this many LCS cells the changed middle is shown as removed-then-added, which is
// still a correct diff; documents edited by hand or by commands stay far below it.
constexpr std::size_t kMaxCells = std::size_t{1} << 24;

std::vector<std::string> splitLines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = text.find('\n', start);
    if (end == std::string::npos) {
      lines.push_back(text.substr(start));
      break;
    }
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

struct Edit {
  char op;        // ' ', '-', '+'
  std::size_t a;  // line index in the old text (for ' ' and '-')
  std::size_t b;  // line index in the new text (for ' ' and '+')
};

// The edits between a[offset..offset+n) and b[offset..offset+m), from their longest common
// subsequence; past kMaxCells, all of a removed and all of b added.
void middleEdits(const std::vector<std::string>& a, const std::vector<std::string>& b,
                 std::size_t offset, std::size_t n, std::size_t m, std::vector<Edit>& edits) {
  if (n * m > kMaxCells) {
    for (std::size_t i = 0; i < n; ++i) {
      edits.push_back({'-', offset + i, 0});
    }
    for (std::size_t j = 0; j < m; ++j) {
      edits.push_back({'+', 0, offset + j});
    }
    return;
  }
  // lcs[i][j]: length of the LCS of a[offset+i..] and b[offset+j..].
  std::vector<std::uint32_t> lcs((n + 1) * (m + 1), 0);
  auto at = [&](std::size_t i, std::size_t j) -> std::uint32_t& { return lcs[i * (m + 1) + j]; };
  for (std::size_t i = n; i-- > 0;) {
    for (std::size_t j = m; j-- > 0;) {
      at(i, j) = a[offset + i] == b[offset + j] ? at(i + 1, j + 1) + 1
                                                : std::max(at(i + 1, j), at(i, j + 1));
    }
  }
  std::size_t i = 0;
  std::size_t j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[offset + i] == b[offset + j]) {
      edits.push_back({' ', offset + i++, offset + j++});
    } else if (j < m && (i == n || at(i, j + 1) > at(i + 1, j))) {
      edits.push_back({'+', 0, offset + j++});
    } else {
      edits.push_back({'-', offset + i++, 0});
    }
  }
}

std::vector<Edit> lineEdits(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  std::size_t prefix = 0;
  while (prefix < a.size() && prefix < b.size() && a[prefix] == b[prefix]) {
    ++prefix;
  }
  std::size_t suffix = 0;
  while (suffix < a.size() - prefix && suffix < b.size() - prefix &&
         a[a.size() - 1 - suffix] == b[b.size() - 1 - suffix]) {
    ++suffix;
  }
  std::vector<Edit> edits;
  for (std::size_t i = 0; i < prefix; ++i) {
    edits.push_back({' ', i, i});
  }
  middleEdits(a, b, prefix, a.size() - prefix - suffix, b.size() - prefix - suffix, edits);
  for (std::size_t k = 0; k < suffix; ++k) {
    edits.push_back({' ', a.size() - suffix + k, b.size() - suffix + k});
  }
  return edits;
}

// "-start,count" in unified-diff numbering (1-based; an empty range names the line before).
std::string range(std::size_t first, std::size_t count) {
  const std::size_t start = count == 0 ? first : first + 1;
  return std::to_string(start) + (count == 1 ? "" : "," + std::to_string(count));
}

// Where the hunk whose first change is edits[k] ends: kContext lines after the last change
// that is no more than 2*kContext unchanged lines away.
std::size_t hunkEnd(const std::vector<Edit>& edits, std::size_t k) {
  std::size_t end = k;
  std::size_t same = 0;
  for (std::size_t x = k; x < edits.size(); ++x) {
    if (edits[x].op != ' ') {
      same = 0;
      end = x + 1;
    } else if (++same > 2 * kContext) {
      break;
    }
  }
  return std::min(edits.size(), end + kContext);
}

// One hunk, edits[begin..end), with its "@@ -a +b @@" header.
std::string hunk(const std::vector<std::string>& a, const std::vector<std::string>& b,
                 const std::vector<Edit>& edits, std::size_t begin, std::size_t end) {
  std::size_t a_first = a.size();
  std::size_t b_first = b.size();
  std::size_t a_count = 0;
  std::size_t b_count = 0;
  std::string body;
  for (std::size_t x = begin; x < end; ++x) {
    const Edit& e = edits[x];
    if (e.op != '+') {
      a_first = std::min(a_first, e.a);
      ++a_count;
    }
    if (e.op != '-') {
      b_first = std::min(b_first, e.b);
      ++b_count;
    }
    body += e.op;
    body += (e.op == '+' ? b[e.b] : a[e.a]) + "\n";
  }
  if (a_count == 0) {
    // Pure insertion: the old range is empty and names the line it follows.
    a_first = begin == 0 ? 0 : edits[begin - 1].a + 1;
  }
  if (b_count == 0) {
    b_first = begin == 0 ? 0 : edits[begin - 1].b + 1;
  }
  return "@@ -" + range(a_first, a_count) + " +" + range(b_first, b_count) + " @@\n" + body;
}

std::string unified(const std::vector<std::string>& a, const std::vector<std::string>& b,
                    const std::vector<Edit>& edits) {
  std::string out;
  std::size_t k = 0;
  while (k < edits.size()) {
    while (k < edits.size() && edits[k].op == ' ') {
      ++k;
    }
    if (k == edits.size()) {
      break;
    }
    // A hunk starts kContext lines before its first change.
    const std::size_t begin = k >= kContext ? k - kContext : 0;
    const std::size_t end = hunkEnd(edits, k);
    out += hunk(a, b, edits, begin, end);
    k = end;
  }
  return out;
}

}  // namespace

std::string diff(const Config& before, const Config& after, const std::string& before_name,
                 const std::string& after_name) {
  Config a = before;
  Config b = after;
  a.revision = 0;
  b.revision = 0;
  const auto a_lines = splitLines(encodeYaml(a));
  const auto b_lines = splitLines(encodeYaml(b));
  if (a_lines == b_lines) {
    return "";
  }
  return "--- " + before_name + "\n+++ " + after_name + "\n" +
         unified(a_lines, b_lines, lineEdits(a_lines, b_lines));
}

}  // namespace gw::core
