// Run state in SQLite (OUT/state.sqlite): which case files are finished, by
// content hash and configuration, and a per-page OCR cache.
//
// A case is finished when its report was written (atomically) and recorded
// here afterwards, so a crash between the two only redoes that case. WAL
// journal, one transaction per write: kill -9 at any moment leaves either
// the old or the new row. Thread-safe (one connection behind a mutex).
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "models/status.h"

struct sqlite3;

namespace pingcha {

class State {
 public:
  static Result<std::unique_ptr<State>> Open(const std::string& path);
  ~State();
  State(const State&) = delete;
  State& operator=(const State&) = delete;

  // sha256 of the report recorded for this (case, input, configuration).
  std::optional<std::string> FinishedReport(const std::string& case_id, const std::string& input_sha,
                                            const std::string& config) const;
  Status RecordFinished(const std::string& case_id, const std::string& input_sha, const std::string& config,
                        const std::string& report_sha);

  // Page cache: an opaque value (serialised OCR result) by key.
  std::optional<std::string> CachedPage(const std::string& key) const;
  Status PutPage(const std::string& key, const std::string& value);

 private:
  explicit State(sqlite3* db);
  Status Exec(const char* sql);
  sqlite3* db_;
  mutable std::mutex mu_;
};

}  // namespace pingcha
