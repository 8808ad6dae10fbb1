#include "cli/dashboard/jobs.hpp"

#include <algorithm>

#include "cli/dashboard/child.hpp"

namespace gw::dashboard {
namespace {

std::vector<std::string> gwArgv(const Environment& env, const std::vector<std::string>& args) {
  std::vector<std::string> argv = {env.gw_binary.string(), "--home", env.home.root().string(),
                                   "--no-color",           "-o",     "json"};
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

int statusOf(int exit_code) {
  switch (exit_code) {
    case 2:
      return 422;
    case 3:
      return 404;
    default:
      return 500;
  }
}

}  // namespace

std::string errorSentence(const std::vector<std::string>& err_lines) {
  for (const std::string& line : err_lines) {
    if (line.starts_with("error: ")) {
      return line.substr(7);
    }
  }
  const auto last = std::find_if(err_lines.rbegin(), err_lines.rend(),
                                 [](const std::string& line) { return !line.empty(); });
  if (last != err_lines.rend()) {
    return *last;
  }
  return "the command failed without saying why";
}

Response runGw(const Environment& env, const std::vector<std::string>& args,
               std::chrono::milliseconds timeout) {
  const ChildRun run = runChild(gwArgv(env, args), timeout);
  if (run.timed_out) {
    return errorAnswer(504, "gw " + args.front() + " did not finish in time");
  }
  if (run.exit_code != 0) {
    Json details = Json::array();
    for (const std::string& line : run.err_lines) {
      if (line.starts_with("  ")) {
        details.push_back({{"path", ""}, {"field", ""}, {"message", line.substr(2)}});
      }
    }
    return errorAnswer(statusOf(run.exit_code), errorSentence(run.err_lines),
                       {{"details", std::move(details)}});
  }
  Json body = Json::parse(run.out, nullptr, false);
  if (body.is_discarded()) {
    body = {{"output", run.out}};
  }
  return jsonAnswer(200, body);
}

Jobs::Jobs(const Environment& env) : env_(env) {}

Jobs::~Jobs() {
  std::list<std::thread> threads;
  {
    const std::lock_guard lock(mutex_);
    threads.swap(threads_);
  }
  for (std::thread& thread : threads) {
    thread.join();
  }
}

Response Jobs::start(const std::string& title, const std::vector<std::string>& args) {
  const std::lock_guard lock(mutex_);
  std::size_t running = 0;
  for (const auto& [id, job] : jobs_) {
    running += job->state == "running" ? 1 : 0;
  }
  if (running >= kMaxRunning) {
    return errorAnswer(429, std::to_string(running) + " actions are running; wait for one");
  }
  auto job = std::make_shared<Job>();
  job->id = std::to_string(next_id_++);
  job->title = title;
  jobs_[job->id] = job;
  threads_.emplace_back([this, job, args] { run(job, args); });
  return jsonAnswer(202, {{"job", job->id}});
}

void Jobs::run(const std::shared_ptr<Job>& job, const std::vector<std::string>& args) {
  const ChildRun run = runChild(gwArgv(env_, args), kTimeout, [&](const std::string& line) {
    const std::lock_guard lock(mutex_);
    job->log.push_back(line);
  });
  Json result = Json::parse(run.out, nullptr, false);
  const std::lock_guard lock(mutex_);
  if (run.exit_code == 0) {
    job->state = "succeeded";
    job->result = result.is_discarded() ? Json{{"output", run.out}} : result;
  } else {
    job->state = "failed";
    job->error =
        run.timed_out ? "it did not finish within 10 minutes" : errorSentence(run.err_lines);
  }
}

Response Jobs::get(const std::string& id) const {
  const std::lock_guard lock(mutex_);
  const auto it = jobs_.find(id);
  if (it == jobs_.end()) {
    return errorAnswer(404, "no job " + id);
  }
  const Job& job = *it->second;
  return jsonAnswer(200, {{"id", job.id},
                          {"title", job.title},
                          {"state", job.state},
                          {"log", job.log},
                          {"error", job.error.empty() ? Json(nullptr) : Json(job.error)},
                          {"result", job.result}});
}

}  // namespace gw::dashboard
