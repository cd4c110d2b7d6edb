#include "pipeline/merge.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "stages/report/report.h"

namespace pingcha {
namespace {

namespace fs = std::filesystem;

Result<std::string> Slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return Status("io_error", p.string() + ": cannot read");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

Result<BatchResult> MergeOutputs(const std::vector<std::string>& shard_outs, const std::string& out,
                                 const Standard& standard) {
  std::map<std::string, std::pair<std::string, Case>> by_id;  // case id → (json, case)
  for (const auto& dir : shard_outs) {
    fs::path cases = fs::path(dir) / "cases";
    if (!fs::is_directory(cases)) return Status("bad_argument", dir + ": no cases/ folder (not a pingcha output)");
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(cases))
      if (e.path().extension() == ".json") files.push_back(e.path());
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
      auto json = Slurp(f);
      if (!json.ok()) return json.status();
      auto c = report::FromJson(*json, f.string());
      if (!c.ok()) return c.status();
      auto [it, inserted] = by_id.emplace(c->case_id, std::pair{*json, *c});
      if (!inserted && it->second.first != *json)
        return Status("bad_argument", f.string() + ": case " + c->case_id + " differs from another shard's report");
    }
    std::error_code ec;
    fs::path evidence = fs::path(dir) / "evidence";
    if (fs::is_directory(evidence) && fs::weakly_canonical(dir) != fs::weakly_canonical(out)) {
      fs::copy(evidence, fs::path(out) / "evidence",
               fs::copy_options::recursive | fs::copy_options::overwrite_existing, ec);
      if (ec) return Status("io_error", out + "/evidence: " + ec.message());
    }
  }
  BatchResult result;
  for (auto& [id, entry] : by_id) {
    PINGCHA_RETURN_IF_ERROR(report::WriteAtomic(out + "/cases/" + id + ".json", entry.first));
    (entry.second.status == "ok" ? result.reviewed : result.failed)++;
    result.cases.push_back(std::move(entry.second));
  }
  PINGCHA_RETURN_IF_ERROR(WriteWorkbooksFor(result.cases, standard, out));
  return result;
}

Status Explain(const std::string& out, const std::string& case_id, const std::string& item, std::ostream& os) {
  fs::path path = fs::path(out) / "cases" / (case_id + ".json");
  auto json = Slurp(path);
  if (!json.ok()) return Status("bad_argument", path.string() + ": no report for case '" + case_id + "'");
  auto c = report::FromJson(*json, path.string());
  if (!c.ok()) return c.status();
  os << c->case_id << "  (" << c->source.path << ", sha256 " << c->source.sha256.substr(0, 12) << "…)\n";
  if (c->status != "ok") {
    os << "  not reviewed: " << c->error->code << " — " << c->error->message << "\n";
    return Status::Ok();
  }
  os << "  " << c->case_type << " / " << c->procedure << ", " << c->agency << "; score " << c->score.score << " "
     << c->score.grade << (c->score.veto ? " (veto)" : "") << ", " << c->score.manual_pending << " manual\n";
  os << "  rubric " << c->provenance.rubric << "\n";
  int shown = 0;
  for (const auto& f : c->findings) {
    bool wanted = item.empty() ? (f.status == "deduct" || f.status == "manual") : f.item == item;
    if (!wanted) continue;
    ++shown;
    os << "\n" << f.item << "  " << f.status;
    if (f.status == "deduct") os << "  −" << f.deducted << " of " << f.points;
    os << "\n  " << f.reason << "\n";
    for (const auto& e : f.evidence) {
      os << "  第" << e.page << "页";
      if (!e.bbox.empty()) os << " [" << e.bbox.x0 << ", " << e.bbox.y0 << ", " << e.bbox.x1 << ", " << e.bbox.y1 << "]";
      if (!e.text.empty()) os << " “" << e.text << "”";
      os << "\n";
    }
    if (!f.crop_png.empty()) os << "  image: " << (fs::path(out) / f.crop_png).string() << "\n";
  }
  if (!item.empty() && shown == 0) return Status("bad_argument", "case " + case_id + " has no item '" + item + "'");
  // The documents the findings cite.
  os << "\ndocuments:\n";
  for (const auto& d : c->documents) {
    os << "  p" << d.first_page << (d.last_page != d.first_page ? "–" + std::to_string(d.last_page) : "") << "  " << d.type;
    if (d.doc_number) os << "  " << d.doc_number->value;
    if (d.date) os << "  " << d.date->value;
    if (!d.seals.empty()) os << "  seals:" << d.seals.size();
    os << "\n";
  }
  return Status::Ok();
}

}  // namespace pingcha
