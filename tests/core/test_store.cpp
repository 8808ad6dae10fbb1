#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "core/config/document.hpp"
#include "core/config/validate.hpp"
#include "core/store/home.hpp"
#include "core/store/testing.hpp"

using namespace gw::core;
namespace fs = std::filesystem;

namespace {

class TempDir {
 public:
  TempDir() {
    std::random_device rd;
    path_ = fs::temp_directory_path() /
            ("gw-store-" + std::to_string(::getpid()) + "-" + std::to_string(rd()));
    fs::create_directories(path_);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// Restores an environment variable when the test ends.
class EnvVar {
 public:
  EnvVar(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) {
      old_ = old;
    }
    set(value);
  }
  EnvVar(const EnvVar&) = delete;
  EnvVar& operator=(const EnvVar&) = delete;
  ~EnvVar() { set(old_ ? old_->c_str() : nullptr); }

 private:
  void set(const char* value) {
    if (value == nullptr) {
      ::unsetenv(name_);
    } else {
      ::setenv(name_, value, 1);
    }
  }
  const char* name_;
  std::optional<std::string> old_;
};

unsigned modeOf(const fs::path& p) {
  struct stat st {};
  REQUIRE(::stat(p.c_str(), &st) == 0);
  return static_cast<unsigned>(st.st_mode) & 0777U;
}

std::string slurp(const fs::path& p) {
  auto text = readFile(p);
  REQUIRE(text.ok());
  return *text;
}

Service service(const std::string& name, int port) {
  Service s;
  s.name = name;
  s.endpoints = {{"127.0.0.1:" + std::to_string(port), 1}};
  return s;
}

// Saves documents with 1..n services so each revision is recognisable by its size.
void saveMany(const Home& home, int n) {
  Config c;
  for (int i = 1; i <= n; ++i) {
    c.services.push_back(service("svc-" + std::to_string(i), 9000 + i));
    auto saved = home.save(c);
    REQUIRE(saved.ok());
    REQUIRE(*saved == static_cast<std::uint64_t>(i));
  }
}

std::vector<std::string> listing(const fs::path& folder) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(folder)) {
    names.push_back(e.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace

TEST_CASE("the home is the flag, else GW_HOME, else XDG_STATE_HOME, else ~/.local/state",
          "[store]") {
  EnvVar home("HOME", "/home/someone");
  SECTION("flag wins") {
    EnvVar gw("GW_HOME", "/env/gw");
    CHECK(defaultHome("/flag/gw") == fs::path("/flag/gw"));
  }
  SECTION("GW_HOME next") {
    EnvVar gw("GW_HOME", "/env/gw");
    EnvVar xdg("XDG_STATE_HOME", "/xdg");
    CHECK(defaultHome("") == fs::path("/env/gw"));
  }
  SECTION("XDG_STATE_HOME next") {
    EnvVar gw("GW_HOME", nullptr);
    EnvVar xdg("XDG_STATE_HOME", "/xdg");
    CHECK(defaultHome("") == fs::path("/xdg/gw"));
  }
  SECTION("then the home folder") {
    EnvVar gw("GW_HOME", nullptr);
    EnvVar xdg("XDG_STATE_HOME", nullptr);
    CHECK(defaultHome("") == fs::path("/home/someone/.local/state/gw"));
  }
}

TEST_CASE("writeFileAtomic replaces a file whole, with the mode asked for", "[store]") {
  TempDir dir;
  const fs::path file = dir.path() / "data.txt";
  REQUIRE(writeFileAtomic(file, "first", 0600).ok());
  CHECK(slurp(file) == "first");
  CHECK(modeOf(file) == 0600);
  REQUIRE(writeFileAtomic(file, "second, longer", 0644).ok());
  CHECK(slurp(file) == "second, longer");
  CHECK(modeOf(file) == 0644);
  CHECK(listing(dir.path()) == std::vector<std::string>{"data.txt"});  // no temp files left
}

TEST_CASE("reading or writing where there is no folder fails with the path in the message",
          "[store]") {
  TempDir dir;
  auto written = writeFileAtomic(dir.path() / "missing" / "x.yaml", "x");
  REQUIRE_FALSE(written.ok());
  CHECK(written.error().message.find((dir.path() / "missing").string()) != std::string::npos);
  auto read = readFile(dir.path() / "nothing.yaml");
  REQUIRE_FALSE(read.ok());
  CHECK(read.error().kind == ErrorKind::kNotFound);
}

TEST_CASE("a new home loads as an empty document", "[store]") {
  TempDir dir;
  Home home(dir.path() / "home");
  auto loaded = home.load();
  REQUIRE(loaded.ok());
  CHECK(loaded->api_version == "gw/v1");
  CHECK(loaded->revision == 0);
  CHECK(loaded->services.empty());
}

TEST_CASE("save writes the next revision as config.yaml, 0600, and load reads it back", "[store]") {
  TempDir dir;
  Home home(dir.path() / "home");
  Config c;
  c.services.push_back(service("frontend", 9001));
  auto first = home.save(c);
  REQUIRE(first.ok());
  CHECK(*first == 1);
  CHECK(c.revision == 1);
  CHECK(modeOf(home.configPath()) == 0600);
  CHECK(modeOf(home.root()) == 0700);
  CHECK(slurp(home.configPath()) == encodeYaml(c));

  c.services.push_back(service("frontendv2", 9002));
  auto second = home.save(c);
  REQUIRE(second.ok());
  CHECK(*second == 2);
  auto loaded = home.load();
  REQUIRE(loaded.ok());
  CHECK(loaded->revision == 2);
  CHECK(loaded->services.size() == 2);
  // The previous document is kept under its own revision number.
  auto kept = loadDocument(slurp(home.root() / "revisions" / "00000001.yaml"), "r1");
  REQUIRE(kept.ok());
  CHECK(kept->services.size() == 1);
}

TEST_CASE("an invalid document is not saved and every problem is reported", "[store]") {
  TempDir dir;
  Home home(dir.path());
  saveMany(home, 1);
  const std::string before = slurp(home.configPath());
  Config c = *home.load();
  c.services.push_back(service("Bad_Name", 9002));
  c.services.back().endpoints = {{"nowhere", 1}};
  auto saved = home.save(c);
  REQUIRE_FALSE(saved.ok());
  CHECK(saved.error().kind == ErrorKind::kValidation);
  CHECK(saved.error().message == "invalid configuration: 2 errors");
  CHECK(saved.error().details ==
        std::vector<std::string>{"services[1].name: must be lower-case letters, digits, '.' and "
                                 R"('-', starting with a letter or digit (got "Bad_Name"))",
                                 R"(services[1].endpoints[0]: must be HOST:PORT (got "nowhere"))"});
  CHECK(c.revision == 1);
  CHECK(slurp(home.configPath()) == before);
  CHECK(listing(home.root() / "revisions").empty());
}

TEST_CASE("a hand-broken config.yaml fails to load with its path, line and column", "[store]") {
  TempDir dir;
  Home home(dir.path());
  REQUIRE(home.ensure().ok());
  REQUIRE(writeFileAtomic(home.configPath(), "apiVersion: gw/v1\nservice: []\n").ok());
  auto loaded = home.load();
  REQUIRE_FALSE(loaded.ok());
  CHECK(loaded.error().kind == ErrorKind::kValidation);
  CHECK(loaded.error().details ==
        std::vector<std::string>{home.configPath().string() +
                                 R"(:2:1: service: unknown field (did you mean "services"?))"});
}

TEST_CASE("21 saves keep the 20 previous revisions", "[store]") {
  TempDir dir;
  Home home(dir.path());
  saveMany(home, 21);
  const auto kept = listing(home.root() / "revisions");
  REQUIRE(kept.size() == 20);
  CHECK(kept.front() == "00000001.yaml");
  CHECK(kept.back() == "00000020.yaml");
}

TEST_CASE("older revisions beyond the newest 20 are removed", "[store]") {
  TempDir dir;
  Home home(dir.path());
  saveMany(home, 25);
  const auto kept = listing(home.root() / "revisions");
  REQUIRE(kept.size() == 20);
  CHECK(kept.front() == "00000005.yaml");
  CHECK(kept.back() == "00000024.yaml");
  CHECK(home.load()->revision == 25);
}

TEST_CASE("restore puts an earlier document back, and later saves number on", "[store]") {
  TempDir dir;
  Home home(dir.path());
  saveMany(home, 3);
  REQUIRE(home.restore(1).ok());
  auto loaded = home.load();
  REQUIRE(loaded.ok());
  CHECK(loaded->revision == 1);
  CHECK(loaded->services.size() == 1);
  // The replaced document is kept, so nothing is lost.
  CHECK(fs::exists(home.root() / "revisions" / "00000003.yaml"));

  Config c = *loaded;
  c.services.push_back(service("after-restore", 9100));
  auto saved = home.save(c);
  REQUIRE(saved.ok());
  CHECK(*saved == 4);  // never reuses a number that names another document

  auto missing = home.restore(99);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().kind == ErrorKind::kNotFound);
}

TEST_CASE("a crash between write and rename leaves the old document intact", "[store]") {
  TempDir dir;
  Home home(dir.path());
  saveMany(home, 2);
  const std::string before = slurp(home.configPath());

  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    testing::before_rename = [](const fs::path& target) {
      if (target.filename() == "config.yaml") {
        ::_exit(42);
      }
    };
    Config c = *home.load();
    c.services.push_back(service("never-saved", 9100));
    (void)home.save(c);
    ::_exit(0);  // the hook did not run: the parent sees the wrong status
  }
  int status = 0;
  REQUIRE(::waitpid(child, &status, 0) == child);
  REQUIRE(WIFEXITED(status));
  REQUIRE(WEXITSTATUS(status) == 42);

  CHECK(slurp(home.configPath()) == before);
  auto loaded = home.load();
  REQUIRE(loaded.ok());
  CHECK(loaded->revision == 2);
  CHECK(loaded->findService("never-saved") == nullptr);

  // The half-done write is a hidden temp file beside it; nothing reads it as the document,
  // and the next save goes through.
  bool stray = false;
  for (const auto& name : listing(home.root())) {
    stray = stray || name.rfind(".config.yaml.tmp.", 0) == 0;
  }
  CHECK(stray);
  Config c = *loaded;
  c.services.push_back(service("saved", 9101));
  auto saved = home.save(c);
  REQUIRE(saved.ok());
  CHECK(*saved == 3);
  CHECK(home.load()->findService("saved") != nullptr);
}

TEST_CASE("20 concurrent writers holding the lock lose no change", "[store]") {
  TempDir dir;
  Home home(dir.path());
  constexpr int kWriters = 20;
  std::vector<pid_t> children;
  for (int i = 0; i < kWriters; ++i) {
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
      int code = 1;
      {
        auto lock = Lock::acquire(home);
        if (lock.ok()) {
          auto c = home.load();
          if (c.ok()) {
            c->services.push_back(service("writer-" + std::to_string(i), 10000 + i));
            code = home.save(*c).ok() ? 0 : 2;
          }
        }
      }
      ::_exit(code);
    }
    children.push_back(child);
  }
  for (const pid_t child : children) {
    int status = 0;
    REQUIRE(::waitpid(child, &status, 0) == child);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
  }
  auto loaded = home.load();
  REQUIRE(loaded.ok());
  CHECK(loaded->services.size() == kWriters);
  CHECK(loaded->revision == kWriters);
  for (int i = 0; i < kWriters; ++i) {
    CHECK(loaded->findService("writer-" + std::to_string(i)) != nullptr);
  }
}

TEST_CASE("the lock is released when its holder goes away", "[store]") {
  TempDir dir;
  Home home(dir.path());
  {
    auto first = Lock::acquire(home);
    REQUIRE(first.ok());
    Lock moved(std::move(*first));
  }
  auto again = Lock::acquire(home);
  CHECK(again.ok());
}

TEST_CASE("the admin token is 64 hex characters in a 0600 file, made once", "[store]") {
  TempDir dir;
  Home home(dir.path() / "home");
  CHECK_FALSE(home.token());
  auto token = home.ensureToken();
  REQUIRE(token.ok());
  CHECK(token->size() == 64);
  CHECK(token->find_first_not_of("0123456789abcdef") == std::string::npos);
  CHECK(modeOf(home.file("admin.token")) == 0600);
  CHECK(slurp(home.file("admin.token")) == *token);
  CHECK(home.token() == *token);
  auto again = home.ensureToken();
  REQUIRE(again.ok());
  CHECK(*again == *token);

  Home other(dir.path() / "other");
  CHECK(*other.ensureToken() != *token);
}
