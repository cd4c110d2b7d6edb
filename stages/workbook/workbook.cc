#include "stages/workbook/workbook.h"

#include <algorithm>
#include <filesystem>
#include <set>

#include <xlsxwriter.h>

#include "stages/workbook/annex.h"

namespace pingcha::workbook {

Status WriteWorkbooks(const std::vector<Case>& cases, const std::map<std::string, Rubric>& rubrics,
                      const std::vector<std::string>& agency_order, const Options& options) {
  namespace fs = std::filesystem;
  std::vector<const Case*> sorted;
  for (const Case& c : cases) sorted.push_back(&c);
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const Case* a, const Case* b) { return a->case_id < b->case_id; });

  std::map<std::string, std::vector<const Case*>> by_agency;  // byte order
  for (const Case* c : sorted) by_agency[c->agency].push_back(c);
  std::vector<AgencyCases> agencies;
  std::set<std::string> listed;
  for (const std::string& a : agency_order) {
    if (!listed.insert(a).second) continue;
    auto it = by_agency.find(a);
    agencies.push_back({a, it == by_agency.end() ? std::vector<const Case*>{} : it->second});
  }
  for (const auto& [a, list] : by_agency)
    if (!listed.count(a)) agencies.push_back({a, list});

  const fs::path dir = fs::path(options.out_dir) / "workbooks";
  Status first = WriteAnnex3(dir / "附件3_行政执法案卷统计表.xlsx", agencies, options);

  // One 附件4 per agency with cases; folder names made legal and unique.
  std::set<std::string> folders;
  for (const AgencyCases& a : agencies) {
    if (a.cases.empty()) continue;
    std::string base = SanitizeFileName(a.agency.empty() ? "未识别单位" : a.agency);
    std::string folder = base;
    for (int n = 2; !folders.insert(folder).second; ++n) folder = base + "_" + std::to_string(n);
    Status st = WriteAnnex4(dir / folder / "附件4_自查自评情况表.xlsx", a, rubrics, options);
    if (first.ok() && !st.ok()) first = st;
  }
  return first;
}

std::string XlsxwriterVersion() { return LXW_VERSION; }

}  // namespace pingcha::workbook
