#pragma once
// Runs a command of gw's own (`gw --home H -o json cert issue ...`) for the dashboard's
// actions, so that they do exactly what the CLI does. Its standard input is /dev/null; its
// standard output is collected, its standard error handed over line by line (the progress
// of an ACME order); it is killed, with its process group, past `timeout`.

#include <chrono>
#include <functional>
#include <string>
#include <vector>

namespace gw::dashboard {

struct ChildRun {
  int exit_code = -1;  // -1: did not start, was killed or timed out
  bool timed_out = false;
  std::string out;                     // standard output
  std::vector<std::string> err_lines;  // standard error, each line without its newline
};

ChildRun runChild(const std::vector<std::string>& argv, std::chrono::milliseconds timeout,
                  const std::function<void(const std::string&)>& on_err_line = {});

}  // namespace gw::dashboard
