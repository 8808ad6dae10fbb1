#pragma once
// Metered usage in SQLite: <home>/usage.db, WAL, one row per (day, consumer, route, status
// class). A batch is one transaction, all of it or nothing (a failed one is rolled back, so
// retrying it cannot count twice); `gw usage` reads while the proxy writes.

#include "core/usage/store.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace gw::usage {

class SqliteStore final : public Store {
 public:
  // kWrite creates the file (mode 0600) and its table; kRead of a missing file gives a
  // store that reads as empty.
  static core::Result<std::unique_ptr<SqliteStore>> open(const std::string& path, Mode mode);
  ~SqliteStore() override;
  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;

  core::Status add(const Batch& batch) override;
  core::Result<std::int64_t> admitted(const std::string& consumer, const std::string& from,
                                      const std::string& to) override;
  core::Result<std::vector<Summary>> summarize(const Query& query) override;
  std::string where() const override { return path_; }

 private:
  SqliteStore(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  core::Error failure(const std::string& doing) const;

  sqlite3* db_ = nullptr;           // null: a missing file read as empty
  sqlite3_stmt* upsert_ = nullptr;  // kWrite: prepared once
  std::string path_;
};

}  // namespace gw::usage
