#include "pipeline/state.h"

#include <sqlite3.h>

namespace pingcha {
namespace {

struct StmtDeleter {
  void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using Stmt = std::unique_ptr<sqlite3_stmt, StmtDeleter>;

Stmt Prepare(sqlite3* db, const char* sql) {
  sqlite3_stmt* s = nullptr;
  if (sqlite3_prepare_v2(db, sql, -1, &s, nullptr) != SQLITE_OK) return Stmt();
  return Stmt(s);
}

void Bind(sqlite3_stmt* s, int i, const std::string& v) {
  sqlite3_bind_text(s, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
}

std::optional<std::string> Column(sqlite3_stmt* s, int i) {
  const unsigned char* t = sqlite3_column_text(s, i);
  if (!t) return std::nullopt;
  return std::string(reinterpret_cast<const char*>(t), static_cast<std::size_t>(sqlite3_column_bytes(s, i)));
}

}  // namespace

State::State(sqlite3* db) : db_(db) {}
State::~State() { sqlite3_close(db_); }

Status State::Exec(const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "unknown error";
    sqlite3_free(err);
    return Status("io_error", "state database: " + msg);
  }
  return Status::Ok();
}

Result<std::unique_ptr<State>> State::Open(const std::string& path) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, nullptr) !=
      SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : "cannot open";
    sqlite3_close(db);
    return Status("io_error", path + ": " + msg);
  }
  std::unique_ptr<State> state(new State(db));
  sqlite3_busy_timeout(db, 10000);
  for (const char* sql : {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL",
                          "CREATE TABLE IF NOT EXISTS cases (case_id TEXT NOT NULL, input_sha TEXT NOT NULL, "
                          "config TEXT NOT NULL, report_sha TEXT NOT NULL, PRIMARY KEY (case_id))",
                          "CREATE TABLE IF NOT EXISTS pages (key TEXT PRIMARY KEY, value BLOB NOT NULL)"}) {
    auto st = state->Exec(sql);
    if (!st.ok()) return Status(st.code(), path + ": " + st.message());
  }
  return state;
}

std::optional<std::string> State::FinishedReport(const std::string& case_id, const std::string& input_sha,
                                                 const std::string& config) const {
  std::lock_guard<std::mutex> lock(mu_);
  Stmt s = Prepare(db_, "SELECT report_sha FROM cases WHERE case_id = ?1 AND input_sha = ?2 AND config = ?3");
  if (!s) return std::nullopt;
  Bind(s.get(), 1, case_id);
  Bind(s.get(), 2, input_sha);
  Bind(s.get(), 3, config);
  if (sqlite3_step(s.get()) != SQLITE_ROW) return std::nullopt;
  return Column(s.get(), 0);
}

Status State::RecordFinished(const std::string& case_id, const std::string& input_sha, const std::string& config,
                             const std::string& report_sha) {
  std::lock_guard<std::mutex> lock(mu_);
  Stmt s = Prepare(db_, "INSERT OR REPLACE INTO cases (case_id, input_sha, config, report_sha) VALUES (?1, ?2, ?3, ?4)");
  if (!s) return Status("io_error", std::string("state database: ") + sqlite3_errmsg(db_));
  Bind(s.get(), 1, case_id);
  Bind(s.get(), 2, input_sha);
  Bind(s.get(), 3, config);
  Bind(s.get(), 4, report_sha);
  if (sqlite3_step(s.get()) != SQLITE_DONE) return Status("io_error", std::string("state database: ") + sqlite3_errmsg(db_));
  return Status::Ok();
}

std::optional<std::string> State::CachedPage(const std::string& key) const {
  std::lock_guard<std::mutex> lock(mu_);
  Stmt s = Prepare(db_, "SELECT value FROM pages WHERE key = ?1");
  if (!s) return std::nullopt;
  Bind(s.get(), 1, key);
  if (sqlite3_step(s.get()) != SQLITE_ROW) return std::nullopt;
  return std::string(static_cast<const char*>(sqlite3_column_blob(s.get(), 0)),
                     static_cast<std::size_t>(sqlite3_column_bytes(s.get(), 0)));
}

Status State::PutPage(const std::string& key, const std::string& value) {
  std::lock_guard<std::mutex> lock(mu_);
  Stmt s = Prepare(db_, "INSERT OR REPLACE INTO pages (key, value) VALUES (?1, ?2)");
  if (!s) return Status("io_error", std::string("state database: ") + sqlite3_errmsg(db_));
  Bind(s.get(), 1, key);
  sqlite3_bind_blob(s.get(), 2, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT);
  if (sqlite3_step(s.get()) != SQLITE_DONE) return Status("io_error", std::string("state database: ") + sqlite3_errmsg(db_));
  return Status::Ok();
}

}  // namespace pingcha
