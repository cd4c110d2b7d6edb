#include "pipeline/standard.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include "stages/checks/loader.h"

#ifndef PINGCHA_SOURCE_RUBRICS
#define PINGCHA_SOURCE_RUBRICS ""
#endif

namespace pingcha {

Result<Standard> Standard::Load(const std::string& dir) {
  namespace fs = std::filesystem;
  Standard s;
  s.dir = dir;
  if (!fs::is_directory(dir)) return Status("bad_argument", dir + ": rubrics folder not found");
  auto cat = checks::LoadCatalogue(dir + "/doctypes.toml");
  if (!cat.ok()) return cat.status();
  s.catalogue = std::move(cat).value();
  auto cal = checks::LoadCalendar(dir + "/calendar.toml");
  if (!cal.ok()) return cal.status();
  s.calendar = std::move(cal).value();
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir)) {
    std::string name = e.path().filename().string();
    if (e.path().extension() == ".toml" && name != "doctypes.toml" && name != "calendar.toml") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    auto r = checks::LoadRubric(f.string());
    if (!r.ok()) return r.status();
    PINGCHA_RETURN_IF_ERROR(checks::ValidateAgainst(*r, s.catalogue));
    for (const auto& ct : r->case_types) {
      if (s.rubrics.count(ct))
        return Status("invalid_rubric", f.string() + ":1: case type '" + ct + "' already has a rubric");
      s.rubrics[ct] = *r;
    }
  }
  if (s.rubrics.empty()) return Status("invalid_rubric", dir + ": no rubric files");
  return s;
}

std::string Standard::FindDir(const std::string& flag, const std::string& argv0) {
  namespace fs = std::filesystem;
  if (!flag.empty()) return flag;
  if (const char* env = std::getenv("PINGCHA_RUBRICS"); env && *env) return env;
  std::error_code ec;
  fs::path exe = fs::canonical("/proc/self/exe", ec);
  if (ec) exe = fs::absolute(argv0, ec);
  for (const fs::path& cand : {exe.parent_path() / ".." / "rubrics", exe.parent_path() / "rubrics",
                               exe.parent_path() / ".." / "share" / "pingcha" / "rubrics"}) {
    if (fs::exists(cand / "doctypes.toml")) return fs::weakly_canonical(cand).string();
  }
  return PINGCHA_SOURCE_RUBRICS;
}

}  // namespace pingcha
