#include "tests/integration/gw_home.hpp"

#include <sstream>

namespace gw::test {

std::vector<std::string> fetchMany(std::uint16_t port, const std::string& host,
                                   const std::string& path, int count) {
  // One curl with the URL repeated reuses its connection; -w marks each answer's end.
  std::vector<std::string> argv = {"curl", "-s", "--max-time", "60", "-H", "Host: " + host};
  const auto url = "http://127.0.0.1:" + std::to_string(port) + path;
  for (int i = 0; i < count; ++i) {
    argv.push_back(url);
    argv.emplace_back("-w");
    argv.emplace_back("|%{http_code}\n");
  }
  const auto r = run(argv, {}, "", 90s);
  // Output: BODY|STATUS per request; bodies of gw-echo and gw's own answers are one line.
  std::vector<std::string> answers;
  std::istringstream lines(r.out);
  std::string line;
  std::string body;
  while (std::getline(lines, line)) {
    if (line.starts_with("|")) {
      answers.push_back(body + line);
      body.clear();
    } else if (line.find('|') != std::string::npos) {
      answers.push_back(line);  // a body without a trailing newline
    } else {
      body += line;
    }
  }
  return answers;
}

}  // namespace gw::test
