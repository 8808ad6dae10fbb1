#pragma once
// The dashboard's actions: gw's own commands run as child processes (child.hpp), so that a
// certificate issued from the page is issued exactly as `gw cert issue` issues it. Long ones
// (an ACME order) run as jobs the page polls: their progress is the command's standard
// error, line by line, and their end its JSON answer or its one-sentence error.

#include <chrono>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "cli/dashboard/answers.hpp"
#include "cli/dashboard/environment.hpp"

namespace gw::dashboard {

// `gw --home H --no-color -o json ARGS`, waited for: 200 with the command's JSON answer,
// or its error with the status its exit code means (2: 422, 3: 404, else 500).
Response runGw(const Environment& env, const std::vector<std::string>& args,
               std::chrono::milliseconds timeout = std::chrono::seconds(30));

// The command's one-sentence error from its standard error ("error: " left out).
std::string errorSentence(const std::vector<std::string>& err_lines);

class Jobs {
 public:
  explicit Jobs(const Environment& env);
  ~Jobs();
  Jobs(const Jobs&) = delete;
  Jobs& operator=(const Jobs&) = delete;

  // 202 {"job": id}, or 429 when kMaxRunning jobs run already.
  Response start(const std::string& title, const std::vector<std::string>& args);
  // GET /api/v1/jobs/{id}.
  Response get(const std::string& id) const;

  static constexpr std::size_t kMaxRunning = 4;
  static constexpr std::chrono::minutes kTimeout{10};

 private:
  struct Job {
    std::string id;
    std::string title;
    std::string state = "running";  // then "succeeded" or "failed"
    std::vector<std::string> log;
    Json result;
    std::string error;
  };
  void run(const std::shared_ptr<Job>& job, const std::vector<std::string>& args);

  const Environment& env_;
  mutable std::mutex mutex_;
  std::map<std::string, std::shared_ptr<Job>> jobs_;
  std::list<std::thread> threads_;
  std::size_t next_id_ = 1;
};

}  // namespace gw::dashboard
