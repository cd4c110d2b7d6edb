#include "pipeline/batch.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
#include <mutex>
#include <set>
#include <fstream>
#include <optional>
#include <sstream>
#include <thread>

#include "models/cpu_clock.h"
#include "stages/catalogue/catalogue.h"
#include "stages/checks/digest.h"
#include "stages/report/report.h"
#include "stages/workbook/workbook.h"

namespace pingcha {

namespace {

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The finished report of an unchanged case, if the state has one and the
// report on disk is the one recorded.
std::optional<Case> ReuseFinished(const BatchOptions& options, const CaseInput& input, const std::string& report_path) {
  if (!options.state || input.input_sha.empty()) return std::nullopt;
  auto recorded = options.state->FinishedReport(input.case_id, input.input_sha, options.config_key);
  if (!recorded) return std::nullopt;
  std::string json = Slurp(report_path);
  if (json.empty() || checks::Sha256Hex(json) != *recorded) return std::nullopt;
  auto c = report::FromJson(json, report_path);
  if (!c.ok()) return std::nullopt;
  return std::move(c).value();
}

// How much reading a case file holds, roughly: its bytes (a folder: its
// files'). Scanned pages dominate both the bytes and the time; a
// born-digital file is small on both. 0 when it cannot be told.
std::uintmax_t ExpectedWork(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(path, ec)) {
    const std::uintmax_t size = fs::file_size(path, ec);
    return ec ? 0 : size;
  }
  std::uintmax_t total = 0;
  for (fs::directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code size_ec;
    const std::uintmax_t size = it->is_regular_file(size_ec) ? it->file_size(size_ec) : 0;
    if (!size_ec) total += size;
  }
  return total;
}

// A bug in one case must not stop the batch: anything thrown becomes that
// case's error report.
Case ReviewGuarded(CaseRunner& runner, const CaseInput& input) {
  try {
    return runner.Review(input);
  } catch (const std::exception& e) {
    Case c;
    c.case_id = input.case_id;
    c.source.path = input.rel_path;
    c.source.sha256 = input.input_sha;
    c.status = "error";
    std::string what = Relativise(e.what(), input.path, input.rel_path);
    c.error = CaseError{"internal_error", input.rel_path + ": pingcha failed on this file (" + what +
                                              "); please report it with the file"};
    return c;
  }
}

}  // namespace

std::string ConfigKey(const Standard& standard, const RunOptions& run) {
  std::string all = run.provenance.pingcha + "\n" + run.provenance.ocr_model + "\n" + standard.catalogue.sha256 + "\n" +
                    std::to_string(run.dpi) + "\n";
  for (const auto& [type, rubric] : standard.rubrics) all += type + ":" + rubric.sha256 + "\n";
  all += std::to_string(standard.calendar.holidays.size()) + "/" + std::to_string(standard.calendar.workdays.size());
  for (const auto& d : standard.calendar.holidays) all += d;
  for (const auto& d : standard.calendar.workdays) all += d;
  return checks::Sha256Hex(all);
}

Result<BatchResult> RunBatch(const std::vector<CaseInput>& inputs, const Standard& standard,
                             const BatchOptions& options, const std::atomic<bool>& stop) {
  const int jobs = std::max(1, std::min<int>(options.jobs, static_cast<int>(std::max<std::size_t>(inputs.size(), 1))));
  std::vector<std::unique_ptr<CaseRunner>> runners;
  for (int i = 0; i < jobs; ++i) {
    runners.push_back(std::make_unique<CaseRunner>(standard, options.run, nullptr));
  }
  std::vector<std::optional<Case>> results(inputs.size());
  // The largest case files first: the last ones to start are then the
  // shortest, and no worker waits long at the end for another (measured on
  // bench/throughput's archive, in input order: one worker idle for the
  // last 14 s of 45). Reports and workbooks keep the input order.
  std::vector<std::size_t> order(inputs.size());
  {
    std::vector<std::uintmax_t> work(inputs.size());
    for (std::size_t i = 0; i < inputs.size(); ++i) {
      order[i] = i;
      work[i] = jobs > 1 ? ExpectedWork(inputs[i].path) : 0;
    }
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return work[a] > work[b]; });
  }
  std::atomic<std::size_t> next{0};
  std::mutex mu;
  int done = 0;
  double worker_seconds = 0;
  Status first_write_error;
  std::atomic<bool> write_failed{false};  // the output is broken (disk full …): start no more cases
  auto work = [&](CaseRunner& runner) {
    for (;;) {
      if (stop.load() || write_failed.load()) return;
      const std::size_t k = next.fetch_add(1);
      if (k >= inputs.size()) return;
      const std::size_t i = order[k];
      auto t0 = std::chrono::steady_clock::now();
      const double cpu0 = ThreadCpuSeconds();
      CaseInput input = inputs[i];
      const std::string report_path = options.run.out_dir + "/cases/" + input.case_id + ".json";
      if (auto h = HashInput(input.path); h.ok()) input.input_sha = *h;
      std::optional<Case> reused = ReuseFinished(options, input, report_path);
      Case c = reused ? std::move(*reused) : ReviewGuarded(runner, input);
      if (c.error && c.error->code == "interrupted") return;  // not finished: nothing written
      Status st;
      if (!reused) {
        std::string json = report::ToJson(c);
        // Keep what the report says, nothing more: workbooks built from a
        // fresh review, a reused report or a merge of shards are then identical.
        if (auto back = report::FromJson(json, report_path); back.ok()) c = std::move(back).value();
        st = report::WriteAtomic(report_path, json);
        if (st.ok() && options.state && !input.input_sha.empty())
          st = options.state->RecordFinished(input.case_id, input.input_sha, options.config_key,
                                             checks::Sha256Hex(json));
      }
      double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      const double cpu = ThreadCpuSeconds() - cpu0;
      std::lock_guard<std::mutex> lock(mu);
      worker_seconds += cpu;
      if (!st.ok()) {
        write_failed.store(true);
        if (first_write_error.ok()) first_write_error = st;
      }
      ++done;
      if (options.on_case) options.on_case(c, done, static_cast<int>(inputs.size()), secs, reused.has_value());
      results[i] = std::move(c);
    }
  };
  std::vector<std::thread> threads;
  for (int i = 1; i < jobs; ++i) threads.emplace_back(work, std::ref(*runners[static_cast<std::size_t>(i)]));
  work(*runners[0]);
  for (auto& t : threads) t.join();
  if (!first_write_error.ok()) return first_write_error;

  BatchResult result;
  result.interrupted = stop.load();
  result.worker_seconds = worker_seconds;
  for (const auto& r : runners) {
    result.ocr_seconds += r->ocr_seconds();
    for (const auto& [phase, secs] : r->phase_seconds()) result.phase_seconds[phase] += secs;
  }
  for (auto& r : results) {
    if (!r) { ++result.skipped; continue; }
    (r->status == "ok" ? result.reviewed : result.failed)++;
    result.cases.push_back(std::move(*r));
  }
  std::sort(result.cases.begin(), result.cases.end(),
            [](const Case& a, const Case& b) { return a.case_id < b.case_id; });
  if (options.workbooks && !result.interrupted)
    result.workbooks = WriteWorkbooksFor(result.cases, standard, options.run.out_dir);
  return result;
}

Status WriteWorkbooksFor(const std::vector<Case>& cases, const Standard& standard, const std::string& out_dir) {
  std::set<std::string> agencies;
  std::map<std::string, int> years;
  for (const auto& c : cases) {
    if (!c.agency.empty()) agencies.insert(c.agency);
    for (const auto& d : c.documents)
      if (d.date && d.date->value.size() >= 4) ++years[d.date->value.substr(0, 4)];
  }
  workbook::Options wo;
  wo.out_dir = out_dir;
  // The reviewed year: the year most documents are dated in.
  int best = 0;
  for (const auto& [y, n] : years)
    if (n > best) { wo.year = y; best = n; }
  wo.created = 0;  // fixed: the workbook writer stamps a constant time
  return workbook::WriteWorkbooks(cases, standard.rubrics,
                                  catalogue::SortPinyin({agencies.begin(), agencies.end()}), wo);
}

}  // namespace pingcha
