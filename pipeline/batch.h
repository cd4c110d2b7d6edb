// The batch runner: reviews many cases with N workers (one OCR engine each),
// writes each case report as soon as it is done, then the workbooks.
//
// Output does not depend on N or on scheduling: reports are per case and
// deterministic; workbooks are built from all cases in case_id order.
// Interrupt() (e.g. from SIGINT) stops taking new cases; finished reports
// stay. One bad case never stops the batch.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "models/case.h"
#include "models/status.h"
#include "pipeline/archive.h"
#include "pipeline/case_runner.h"
#include "pipeline/standard.h"
#include "pipeline/state.h"

namespace pingcha {

struct BatchResult {
  int reviewed = 0;      // status ok
  int failed = 0;        // status error
  int skipped = 0;       // not started (interrupted)
  bool interrupted = false;
  std::vector<Case> cases;  // finished cases, in case_id order
  Status workbooks;         // outcome of writing the workbooks
  double worker_seconds = 0;  // processor time the workers spent on cases (ThreadCpuSeconds)
  double ocr_seconds = 0;     // of which inside Tesseract's recognition
  std::map<std::string, double> phase_seconds;  // the rest, by phase of the case run (CaseRunner::phase_seconds)
};

struct BatchOptions {
  RunOptions run;
  int jobs = 1;
  bool workbooks = true;
  // Incremental runs: finished cases whose input and configuration are
  // unchanged are not reviewed again (their reports are reused).
  State* state = nullptr;
  std::string config_key;  // hash of everything a report depends on besides the input
  // Called under a lock after each case; `reused` when taken from the state.
  std::function<void(const Case&, int done, int total, double seconds, bool reused)> on_case;
};

// The configuration hash: pingcha version, OCR model, rubrics, catalogue,
// calendar and rendering parameters.
std::string ConfigKey(const Standard& standard, const RunOptions& run);

// Creates an OCR engine per worker; fails only when no engine can be made.
Result<BatchResult> RunBatch(const std::vector<CaseInput>& inputs, const Standard& standard,
                             const BatchOptions& options, const std::atomic<bool>& stop);

// Writes the workbooks of `cases` under out_dir (agencies in pinyin order,
// year and creation time taken from the cases).
Status WriteWorkbooksFor(const std::vector<Case>& cases, const Standard& standard, const std::string& out_dir);

}  // namespace pingcha
