#include "stages/score/score.h"

#include <algorithm>
#include <map>

namespace pingcha::score {

std::string GradeFor(double score, const Rubric& rubric) {
  for (const auto& b : rubric.bands)  // sorted by descending min on load
    if (score >= b.min) return b.grade;
  return rubric.bands.empty() ? "" : rubric.bands.back().grade;
}

Score Compute(const std::vector<Finding>& findings, const Rubric& rubric) {
  std::map<std::string, const RubricItem*> items;
  for (const auto& it : rubric.items) items[it.id] = &it;
  std::map<std::string, double> weight;
  for (const auto& c : rubric.categories) weight[c.id] = c.weight;

  Score s;
  s.max = rubric.max;
  std::map<std::string, double> by_category;
  for (const auto& f : findings) {
    auto it = items.find(f.item);
    const RubricItem* item = it == items.end() ? nullptr : it->second;
    if (f.status == "manual") ++s.manual_pending;
    if (f.status != "deduct") continue;
    if (item && item->veto) s.veto = true;
    double d = std::min(f.deducted, f.points);
    by_category[item ? item->category : ""] += d;
  }
  for (const auto& [cat, sum] : by_category) {
    auto w = weight.find(cat);
    s.deducted += w == weight.end() || w->second <= 0 ? sum : std::min(sum, w->second);
  }
  s.score = std::max(0.0, s.max - s.deducted);
  s.grade = GradeFor(s.score, rubric);
  if (s.veto) {
    if (rubric.veto_mode == "not_excellent") {
      // The veto only bars the top band.
      if (!rubric.bands.empty() && s.grade == rubric.bands.front().grade && rubric.bands.size() > 1)
        s.grade = rubric.bands[1].grade;
    } else {
      s.grade = rubric.veto_grade;
    }
  }
  return s;
}

}  // namespace pingcha::score
