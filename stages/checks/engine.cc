#include "stages/checks/engine.h"

#include <unicode/regex.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <cmath>

namespace pingcha::checks {
namespace {

bool Has(const Case& c, const std::vector<std::string>& types) {
  return std::any_of(c.documents.begin(), c.documents.end(), [&](const Document& d) {
    return std::find(types.begin(), types.end(), d.type) != types.end();
  });
}

bool AnyTextMatches(const Case& c, const std::string& pattern) {
  UErrorCode status = U_ZERO_ERROR;
  icu::RegexPattern* raw = icu::RegexPattern::compile(icu::UnicodeString::fromUTF8(pattern), 0, status);
  std::unique_ptr<icu::RegexPattern> re(raw);
  if (U_FAILURE(status) || !re) return false;
  for (const auto& d : c.documents) {
    icu::UnicodeString text = icu::UnicodeString::fromUTF8(d.text);
    std::unique_ptr<icu::RegexMatcher> m(re->matcher(text, status));
    if (U_SUCCESS(status) && m && m->find(status)) return true;
  }
  return false;
}

bool Contains(const std::vector<std::string>& v, const std::string& s) {
  return v.empty() || std::find(v.begin(), v.end(), s) != v.end();
}

// Why a check does not apply to this case, or "" when it does.
std::string NotApplicableBecause(const CheckSpec& s, const Case& c) {
  if (!s.procedure.empty() && s.procedure != c.procedure) return "不适用于本程序";
  if (!s.when_present.empty() && !Has(c, s.when_present)) return "案卷未显示适用情形";
  if (!s.unless_present.empty() && Has(c, s.unless_present)) return "案卷已有相应文书";
  if (!s.when_text.empty() && !AnyTextMatches(c, s.when_text)) return "案卷未显示适用情形";
  return "";
}

std::string FormatPoints(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

}  // namespace

std::vector<Finding> RunChecks(const Case& c, const Context& ctx) {
  std::vector<Finding> out;
  for (const auto& item : ctx.rubric.items) {
    Finding f;
    f.item = item.id;
    f.points = item.points;
    if (!Contains(item.procedures, c.procedure) || !Contains(item.case_types, c.case_type)) {
      f.status = "not_applicable";
      f.reason = "本案卷类型或程序不适用";
      out.push_back(std::move(f));
      continue;
    }
    if (item.manual) {
      f.status = "manual";
      f.reason = "需人工评查";
      out.push_back(std::move(f));
      continue;
    }
    std::vector<Hit> hits;
    std::vector<std::string> manual, passed;
    bool any_applicable = false;
    for (const auto& spec : item.checks) {
      if (std::string why = NotApplicableBecause(spec, c); !why.empty()) continue;
      Outcome o = RunCheck(spec, item.points, c, ctx);
      switch (o.kind) {
        case Outcome::Kind::kHit:
          any_applicable = true;
          hits.insert(hits.end(), o.hits.begin(), o.hits.end());
          break;
        case Outcome::Kind::kManual:
          any_applicable = true;
          manual.push_back(o.reason);
          break;
        case Outcome::Kind::kPass:
          any_applicable = true;
          if (!o.reason.empty()) passed.push_back(o.reason);
          break;
        case Outcome::Kind::kNotApplicable:
          break;
      }
    }
    if (!hits.empty()) {
      f.status = "deduct";
      double sum = 0;
      for (const auto& h : hits) {
        sum += h.deduct;
        f.reason += (f.reason.empty() ? "" : "；") + h.reason;
        f.evidence.insert(f.evidence.end(), h.evidence.begin(), h.evidence.end());
        if (f.crop_png.empty()) f.crop_png = h.crop_png;
      }
      f.deducted = item.veto ? 0 : std::min(item.points, sum);
      if (!item.veto) f.reason += "，扣" + FormatPoints(f.deducted) + "分";
      else f.reason += "（否决项）";
    } else if (!manual.empty()) {
      f.status = "manual";
      for (const auto& m : manual) f.reason += (f.reason.empty() ? "" : "；") + m;
    } else if (!any_applicable) {
      f.status = "not_applicable";
      f.reason = "案卷未显示适用情形";
    } else {
      f.status = "pass";
    }
    // Evidence in page order, for a stable report.
    std::stable_sort(f.evidence.begin(), f.evidence.end(),
                     [](const Evidence& a, const Evidence& b) { return a.page < b.page; });
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace pingcha::checks
