// Stage "workbook": writes the annex workbooks (附件3, 附件4 with one 附件5/6/7
// 评分表 sheet per case) from reviewed cases, with libxlsxwriter.
//
// Reads: the cases (ok and error), the rubric for each case type.
// Writes: OUT/workbooks/附件3_行政执法案卷统计表.xlsx and
//         OUT/workbooks/<agency>/附件4_自查自评情况表.xlsx, each atomically
//         (temporary file in the same folder, then rename). On failure nothing
//         is left half-written and the Status names the file and the reason.
// Deterministic: the same cases give byte-identical files (fixed creation
// time from Options, cases in case_id order, agencies in pinyin order).
// Not thread-safe: call from one thread.
#pragma once

#include <ctime>
#include <map>
#include <string>
#include <vector>

#include "models/case.h"
#include "models/rubric.h"
#include "models/status.h"

namespace pingcha::workbook {

struct Options {
  std::string out_dir;          // OUT; workbooks go to OUT/workbooks/
  std::string year;             // reviewed year, e.g. "2021" (from the cases)
  std::time_t created = 0;      // fixed document time (e.g. newest input mtime or 0);
                                // 0 is written as 1980-01-01T00:00:00Z, never "now"
  std::string review_date;      // 自查时间 / 评查时间 printed, ISO; may be empty
};

// rubrics: keyed by case type ("penalty", "license", "coercion", "levy", ...).
// Agencies are ordered by `agency_order` (pinyin order computed by the caller);
// agencies missing from it come after, in byte order.
Status WriteWorkbooks(const std::vector<Case>& cases,
                      const std::map<std::string, Rubric>& rubrics,
                      const std::vector<std::string>& agency_order,
                      const Options& options);

// libxlsxwriter version ("1.1.4"), for provenance.
std::string XlsxwriterVersion();

}  // namespace pingcha::workbook
