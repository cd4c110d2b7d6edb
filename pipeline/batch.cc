#include "pipeline/batch.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "stages/catalogue/catalogue.h"
#include "stages/report/report.h"
#include "stages/workbook/workbook.h"

namespace pingcha {

Result<BatchResult> RunBatch(const std::vector<CaseInput>& inputs, const Standard& standard,
                             const BatchOptions& options, const std::atomic<bool>& stop) {
  const int jobs = std::max(1, std::min<int>(options.jobs, static_cast<int>(std::max<std::size_t>(inputs.size(), 1))));
  std::vector<std::unique_ptr<CaseRunner>> runners;
  for (int i = 0; i < jobs; ++i) {
    auto engine = ocr::Engine::Create(ocr::Options{});
    if (!engine.ok()) return engine.status();
    runners.push_back(std::make_unique<CaseRunner>(standard, options.run, std::move(engine).value()));
  }
  std::vector<std::optional<Case>> results(inputs.size());
  std::atomic<std::size_t> next{0};
  std::mutex mu;
  int done = 0;
  Status first_write_error;
  auto work = [&](CaseRunner& runner) {
    for (;;) {
      if (stop.load()) return;
      std::size_t i = next.fetch_add(1);
      if (i >= inputs.size()) return;
      auto t0 = std::chrono::steady_clock::now();
      Case c = runner.Review(inputs[i]);
      auto st = report::WriteAtomic(options.run.out_dir + "/cases/" + c.case_id + ".json", report::ToJson(c));
      double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      std::lock_guard<std::mutex> lock(mu);
      if (!st.ok() && first_write_error.ok()) first_write_error = st;
      ++done;
      if (options.on_case) options.on_case(c, done, static_cast<int>(inputs.size()), secs);
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
