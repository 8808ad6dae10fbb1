#include "core/usage/sqlite_store.hpp"

#include <sqlite3.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>

namespace gw::usage {
namespace {

constexpr const char* kSchema =
    "CREATE TABLE IF NOT EXISTS usage ("
    " day TEXT NOT NULL, consumer TEXT NOT NULL, route TEXT NOT NULL,"
    " status_class INTEGER NOT NULL,"
    " requests INTEGER NOT NULL DEFAULT 0, refused INTEGER NOT NULL DEFAULT 0,"
    " bytes_in INTEGER NOT NULL DEFAULT 0, bytes_out INTEGER NOT NULL DEFAULT 0,"
    " latency_us INTEGER NOT NULL DEFAULT 0, latency_max_us INTEGER NOT NULL DEFAULT 0,"
    " CHECK (requests >= 0 AND refused >= 0 AND refused <= requests),"
    " PRIMARY KEY (day, consumer, route, status_class)) WITHOUT ROWID;"
    "CREATE INDEX IF NOT EXISTS usage_by_consumer ON usage (consumer, day);";

constexpr const char* kUpsert =
    "INSERT INTO usage (day, consumer, route, status_class, requests, refused, bytes_in,"
    " bytes_out, latency_us, latency_max_us) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
    " ON CONFLICT (day, consumer, route, status_class) DO UPDATE SET"
    " requests = requests + excluded.requests, refused = refused + excluded.refused,"
    " bytes_in = bytes_in + excluded.bytes_in, bytes_out = bytes_out + excluded.bytes_out,"
    " latency_us = latency_us + excluded.latency_us,"
    " latency_max_us = max(latency_max_us, excluded.latency_max_us)";

// A prepared statement, finalized on every path.
class Statement {
 public:
  Statement(sqlite3* db, const char* sql) { sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr); }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  sqlite3_stmt* get() const { return stmt_; }
  explicit operator bool() const { return stmt_ != nullptr; }
  void text(int i, const std::string& value) const {
    sqlite3_bind_text(stmt_, i, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT);
  }
  void number(int i, std::int64_t value) const { sqlite3_bind_int64(stmt_, i, value); }
  std::string columnText(int i) const {
    const auto* text = sqlite3_column_text(stmt_, i);
    return text == nullptr ? std::string() : std::string(reinterpret_cast<const char*>(text));
  }
  std::int64_t columnNumber(int i) const { return sqlite3_column_int64(stmt_, i); }

 private:
  sqlite3_stmt* stmt_ = nullptr;
};

bool hasUsageTable(sqlite3* db) {
  const Statement table(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'usage'");
  return table && sqlite3_step(table.get()) == SQLITE_ROW;
}

}  // namespace

core::Result<std::unique_ptr<SqliteStore>> SqliteStore::open(const std::string& path, Mode mode) {
  std::error_code ec;
  if (mode == Mode::kRead && !std::filesystem::exists(path, ec)) {
    return std::unique_ptr<SqliteStore>(new SqliteStore(nullptr, path));
  }
  const int flags =
      mode == Mode::kWrite ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE : SQLITE_OPEN_READONLY;
  const mode_t old_mask = ::umask(077);  // the file and its -wal and -shm: 0600
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &db, flags | SQLITE_OPEN_NOMUTEX, nullptr);
  ::umask(old_mask);
  std::unique_ptr<SqliteStore> store(new SqliteStore(db, path));
  if (rc != SQLITE_OK) {
    return store->failure("opening");
  }
  sqlite3_busy_timeout(db, 2000);
  if (mode == Mode::kRead && !hasUsageTable(db)) {
    // Made by a proxy that has not created its table yet (or by something else): empty.
    return std::unique_ptr<SqliteStore>(new SqliteStore(nullptr, path));
  }
  if (mode == Mode::kWrite) {
    // WAL with synchronous=NORMAL: a committed flush survives the process being killed.
    const char* setup = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;";
    if (sqlite3_exec(db, setup, nullptr, nullptr, nullptr) != SQLITE_OK ||
        sqlite3_exec(db, kSchema, nullptr, nullptr, nullptr) != SQLITE_OK) {
      return store->failure("creating the usage table in");
    }
    if (sqlite3_prepare_v3(db, kUpsert, -1, SQLITE_PREPARE_PERSISTENT, &store->upsert_, nullptr) !=
        SQLITE_OK) {
      return store->failure("preparing the usage update of");
    }
  }
  return store;
}

SqliteStore::~SqliteStore() {
  sqlite3_finalize(upsert_);
  sqlite3_close_v2(db_);
}

core::Error SqliteStore::failure(const std::string& doing) const {
  const char* why = db_ != nullptr ? sqlite3_errmsg(db_) : "out of memory";
  return core::makeError(core::ErrorKind::kRuntime, doing + " " + path_ + ": " + why);
}

core::Status SqliteStore::add(const Batch& batch) {
  if (upsert_ == nullptr) {
    return core::makeError(core::ErrorKind::kRuntime, path_ + " is not open for writing");
  }
  if (sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) != SQLITE_OK) {
    return failure("starting a transaction in");
  }
  bool ok = true;
  for (const Delta& d : batch.deltas) {
    sqlite3_bind_text(upsert_, 1, d.day.data(), static_cast<int>(d.day.size()), SQLITE_STATIC);
    sqlite3_bind_text(upsert_, 2, d.consumer.data(), static_cast<int>(d.consumer.size()),
                      SQLITE_STATIC);
    sqlite3_bind_text(upsert_, 3, d.route.data(), static_cast<int>(d.route.size()), SQLITE_STATIC);
    sqlite3_bind_int64(upsert_, 4, d.status_class);
    sqlite3_bind_int64(upsert_, 5, d.counts.requests);
    sqlite3_bind_int64(upsert_, 6, d.counts.refused);
    sqlite3_bind_int64(upsert_, 7, d.counts.bytes_in);
    sqlite3_bind_int64(upsert_, 8, d.counts.bytes_out);
    sqlite3_bind_int64(upsert_, 9, d.counts.latency_us);
    sqlite3_bind_int64(upsert_, 10, d.counts.latency_max_us);
    ok = sqlite3_step(upsert_) == SQLITE_DONE;
    sqlite3_reset(upsert_);
    if (!ok) {
      break;
    }
  }
  sqlite3_clear_bindings(upsert_);
  if (!ok) {
    core::Error error = failure("adding usage to");
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    return error;
  }
  if (sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) {
    core::Error error = failure("committing usage to");
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    return error;
  }
  return core::Ok{};
}

core::Result<std::int64_t> SqliteStore::admitted(const std::string& consumer,
                                                 const std::string& from, const std::string& to) {
  if (db_ == nullptr) {
    return std::int64_t{0};
  }
  const Statement sum(db_,
                      "SELECT COALESCE(SUM(requests - refused), 0) FROM usage"
                      " WHERE consumer = ?1 AND day >= ?2 AND day <= ?3");
  if (!sum) {
    return failure("reading");
  }
  sum.text(1, consumer);
  sum.text(2, from);
  sum.text(3, to);
  if (sqlite3_step(sum.get()) != SQLITE_ROW) {
    return failure("reading");
  }
  return sum.columnNumber(0);
}

core::Result<std::vector<Summary>> SqliteStore::summarize(const Query& query) {
  std::vector<Summary> out;
  if (db_ == nullptr) {
    return out;
  }
  const std::string period = query.by_month ? "substr(day, 1, 7)" : "day";
  const std::string sql =
      "SELECT " + period +
      " AS period, consumer, route, status_class, SUM(requests), SUM(refused), SUM(bytes_in),"
      " SUM(bytes_out), SUM(latency_us), MAX(latency_max_us) FROM usage"
      " WHERE (?1 = '' OR consumer = ?1) AND (?2 = '' OR route = ?2)"
      " AND (?3 = '' OR day >= ?3) AND (?4 = '' OR day <= ?4)"
      " GROUP BY period, consumer, route, status_class ORDER BY period, consumer, route";
  const Statement select(db_, sql.c_str());
  if (!select) {
    return failure("reading");
  }
  select.text(1, query.consumer);
  select.text(2, query.route);
  select.text(3, query.from);
  select.text(4, query.to);
  int rc = SQLITE_ROW;
  while ((rc = sqlite3_step(select.get())) == SQLITE_ROW) {
    const std::string p = select.columnText(0);
    const std::string consumer = select.columnText(1);
    const std::string route = select.columnText(2);
    if (out.empty() || out.back().period != p || out.back().consumer != consumer ||
        out.back().route != route) {
      out.push_back(Summary{p, consumer, route, {}, {}});
    }
    Summary& s = out.back();
    Counts c;
    c.requests = select.columnNumber(4);
    c.refused = select.columnNumber(5);
    c.bytes_in = select.columnNumber(6);
    c.bytes_out = select.columnNumber(7);
    c.latency_us = select.columnNumber(8);
    c.latency_max_us = select.columnNumber(9);
    s.counts.add(c);
    const auto status_class = static_cast<std::size_t>(std::clamp<std::int64_t>(
        select.columnNumber(3), 0, static_cast<std::int64_t>(s.by_class.size()) - 1));
    s.by_class[status_class] += c.requests;
  }
  if (rc != SQLITE_DONE) {
    return failure("reading");
  }
  return out;
}

}  // namespace gw::usage
