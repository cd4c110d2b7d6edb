#include "pipeline/seal_owner.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <set>

#include "stages/catalogue/text.h"

namespace pingcha {
namespace {

// Measured on seeds 7, 11, 23 (159 agency seals, 6 others' seals): agency
// seals' best mean rank 0.00–0.40 (three in four ≤ 0.15); other bodies'
// seals ≥ 0.33; agency + unit on agency seals ≥ 0.19, on unit seals 0.08–0.09.
constexpr double kMaxMeanRank = 0.15;
constexpr double kMaxHalfRank = 0.25;
constexpr double kMaxPlaceRank = 0.20;      // the place's core characters, on average
constexpr double kMaxPlaceCharRank = 0.50;  // and each of them
constexpr double kMaxPlaceHiddenRest = 0.05;  // or, one of three or more hidden, each of the others
constexpr double kMaxPointedRank = 0.10;    // another body's characters its ring's reading showed
constexpr int kMaxPrefix = 6;           // 鄂尔多斯市 (5), 呼和浩特市 (5), 巴彦淖尔市 (5) …
constexpr double kMaxUnitMeanRank = 0.10;     // agency + unit: a veto item rides on it
constexpr double kMaxUnitHalfRank = 0.15;
constexpr double kMinAgencyMissForUnit = 0.20;  // and the agency's name alone clearly fails
// The agency's name then hidden characters: the name's best three quarters,
// its first half clear (HiddenTailRank). Measured on seeds 7–41 and 41k
// (other seal fonts): units' seals 0.000–0.050 (two more at 0.087, 0.197);
// the agency's own seals where the name alone fails (32) 0.137 and more,
// where it verifies 0.059 and more.
constexpr double kMaxHiddenUnitTrimmedRank = 0.05;
// Another body of the agency's place, no reading pointing to it: its own
// characters (BodyOwnRank) — at least four, which chance does not line up.
constexpr std::size_t kMinOwnBodyChars = 4;
constexpr double kMaxBodyOwnRank = 0.05;
// A body of another county (OtherCountyBodies): many more names are tried
// (nine counties × the bodies), so a stricter bar. Calibrated on sixteen
// generated sets: the agency's own seals whose name fails (70) 0.065 and
// more; another district's 市场监督管理局 0.000.
constexpr double kMaxCountyOwnRank = 0.03;

using catalogue::HanOnly;
using catalogue::IsHan;

// `form` (a place as printed: 鄂尔多斯市, 内蒙古自治区鄂尔多斯市) spelt as
// `places` lists it: as printed when a listed place ends it; else, when
// exactly one listed place of four or more characters ends it but for one
// character (哪尔多斯市 — OCR misreads a rare character the same way through
// a whole case), with that ending. Shorter places are not corrected: one
// character of three is too little to tell a misreading from another place.
std::u32string AsListedPlace(const std::u32string& form, const std::vector<std::u32string>& places) {
  const std::u32string* fix = nullptr;
  int near = 0;
  for (const std::u32string& place : places) {
    if (place.size() > form.size()) continue;
    const int differ = catalogue::EditDistance(std::u32string_view(form).substr(form.size() - place.size()), place);
    if (differ == 0) return form;
    if (differ == 1 && place.size() >= 4) {
      fix = &place;
      ++near;
    }
  }
  if (near != 1) return form;
  return form.substr(0, form.size() - fix->size()) + *fix;
}

// Whether `form` ends in listed places with something before them that is
// not one (执收单位鄂尔多斯市: a label run into the place by OCR).
bool GluedToAPlace(std::u32string form, const std::vector<std::u32string>& places) {
  bool stripped = false;
  for (bool again = true; again && !form.empty();) {
    again = false;
    for (const std::u32string& place : places)
      if (!place.empty() && place.size() <= form.size() &&
          form.compare(form.size() - place.size(), place.size(), place) == 0) {
        form.resize(form.size() - place.size());
        stripped = again = true;
        break;
      }
  }
  return stripped && !form.empty();
}

// The place the case prints before the agency's name (…市, …盟, …州, …省)
// with about `prefix` characters (the ring's count is ±1): of the forms
// printed (spelt as listed, AsListedPlace), the most frequent one not
// contained in a longer form printed at least half as often — 鄂尔多斯市 over
// 尔多斯市 (inside it) and over a glued 号鄂尔多斯市 (rare; a listed place
// with a word run into it is not a form at all). "" if none.
std::u32string PrintedPrefix(const std::u32string& text, const std::u32string& name, int prefix,
                             const std::vector<std::u32string>& places) {
  // Every place-like form before the name (1–8 characters within a line)…
  std::map<std::u32string, int> forms;
  for (std::size_t at = text.find(name); at != std::u32string::npos; at = text.find(name, at + 1))
    for (std::size_t len = 1; len <= 8 && len <= at; ++len) {
      const char32_t c = text[at - len];
      if (!IsHan(c)) break;  // not across a line's end
      const std::u32string before = text.substr(at - len, len);
      const char32_t last = before.back();
      if (last != U'市' && last != U'盟' && last != U'州' && last != U'省') continue;
      const std::u32string form = AsListedPlace(before, places);
      if (!GluedToAPlace(form, places)) ++forms[form];
    }
  // …the ones not inside a longer form printed at least half as often, then
  // the most frequent of those whose length is the ring's count ±1.
  std::u32string best;
  int best_count = 0;
  for (const auto& [form, count] : forms) {
    if (std::abs(static_cast<int>(form.size()) - prefix) > 1) continue;
    bool inside = false;
    for (const auto& [longer, n] : forms)
      inside = inside || (longer.size() > form.size() && longer.compare(longer.size() - form.size(), form.size(), form) == 0 &&
                          2 * n >= count);
    if (!inside && count > best_count) { best = form; best_count = count; }
  }
  return best;
}

// `full` (the agency's name `name`, or it and a unit) with the place the
// case prints before the agency's name, about `prefix` characters; just
// `full` when prefix is 0 or none is printed.
std::string WithPrintedPlace(const std::u32string& full, const std::u32string& name, const std::string& case_text,
                             int prefix, const std::vector<std::string>& places) {
  if (prefix <= 0) return catalogue::ToU8(full);
  // The case's lines, each without its non-Han characters, one per line.
  std::u32string printed;
  std::size_t start = 0;
  while (start <= case_text.size()) {
    std::size_t end = case_text.find('\n', start);
    if (end == std::string::npos) end = case_text.size();
    printed += HanOnly(std::string_view(case_text).substr(start, end - start));
    printed += U'\n';
    start = end + 1;
  }
  std::vector<std::u32string> listed;
  listed.reserve(places.size());
  for (const std::string& place : places) listed.push_back(HanOnly(place));
  return catalogue::ToU8(PrintedPrefix(printed, name, prefix, listed) + full);
}

// Mean of `ranks` without their worst quarter: print crossing a ring hides
// a few of its characters.
double TrimmedMean(std::vector<double> ranks) {
  std::sort(ranks.begin(), ranks.end());
  ranks.resize(ranks.size() - ranks.size() / 4);
  double mean = 0;
  for (double r : ranks) mean += r;
  return ranks.empty() ? 1 : mean / static_cast<double>(ranks.size());
}

// The ranks of `name`'s characters where a ring of the name and `k`
// characters more (after `prefix` unnamed ones) has them, and how well they
// read as the name with its end hidden: the trimmed mean when the name's
// first half reads clearly (print hides a unit's name and the end of the
// agency's before it, never the start of the agency's), else 1.
double HiddenTailRank(seals::RingComparer& ring, const std::u32string& name, std::size_t k, int prefix,
                      std::vector<double>* ranks) {
  seals::RingMatch m = ring.Match(name + std::u32string(k, name.back()), prefix);
  if (m.ranks.size() != name.size() + k) return 1;
  m.ranks.resize(name.size());
  const std::size_t half = name.size() / 2;
  double first = 0;
  for (std::size_t i = 0; i < half; ++i) first += m.ranks[i];
  if (half == 0 || first / static_cast<double>(half) > kMaxUnitMeanRank) return 1;
  if (ranks) *ranks = m.ranks;
  return TrimmedMean(m.ranks);
}

// Where the agency's place ends in `name`: after its district (…区, …旗,
// …县) within the first twelve characters, else after its city (…市, …盟);
// 0 if neither.
std::size_t PlaceEnd(const std::u32string& name) {
  for (std::size_t i = 1; i < name.size() && i < 12; ++i)
    if (name[i] == U'区' || name[i] == U'旗' || name[i] == U'县') return i + 1;
  for (std::size_t i = 1; i < name.size() && i < 12; ++i)
    if (name[i] == U'市' || name[i] == U'盟') return i + 1;
  return 0;
}

// Another body's name `full` on the ring's glyphs alone: where the ring
// holds it after `prefix` unnamed characters, the mean rank of its own
// characters (those the agency's name lacks) — when it has at least
// kMinOwnBodyChars of them and the name on the whole reads as the agency's
// own would (trimmed: print hides a quarter); else 1.
double OwnCharsRank(seals::RingComparer& ring, const std::u32string& name, const std::u32string& full, int prefix,
                    std::vector<double>* ranks) {
  std::vector<std::size_t> own;
  for (std::size_t i = 0; i < full.size(); ++i)
    if (name.find(full[i]) == std::u32string::npos) own.push_back(i);
  if (own.size() < kMinOwnBodyChars) return 1;
  const seals::RingMatch m = ring.Match(full, prefix);
  if (m.ranks.size() != full.size() || TrimmedMean(m.ranks) > kMaxMeanRank) return 1;
  double sum = 0;
  for (std::size_t i : own) sum += m.ranks[i];
  if (ranks) *ranks = m.ranks;
  return sum / static_cast<double>(own.size());
}

// The same for another body of the agency's place (the name's first
// `place_end` characters, then `body`).
double BodyOwnRank(seals::RingComparer& ring, const std::u32string& name, std::size_t place_end,
                   const std::u32string& body, int prefix, std::vector<double>* ranks) {
  return OwnCharsRank(ring, name, name.substr(0, place_end) + body, prefix, ranks);
}

// The names of bodies of other county-level places than the agency's: each
// listed county but the one in `name`, with the agency's own body (`own`)
// and each listed body.
std::vector<std::u32string> OtherCountyBodies(const std::u32string& name, const std::u32string& own,
                                              const Catalogue& names) {
  std::vector<std::u32string> out;
  for (const std::string& county_u8 : names.counties) {
    const std::u32string county = HanOnly(county_u8);
    if (county.empty() || name.find(county) != std::u32string::npos) continue;
    out.push_back(county + own);
    for (const std::string& body : names.bodies)
      if (HanOnly(body) != own) out.push_back(county + HanOnly(body));
  }
  return out;
}

}  // namespace

std::string PrintedOwner(const std::string& agency, const std::string& case_text, int prefix,
                         const std::vector<std::string>& places) {
  const std::u32string name = HanOnly(agency);
  const std::string owner = WithPrintedPlace(name, name, case_text, prefix, places);
  return owner == catalogue::ToU8(name) ? agency : owner;
}

std::u32string CaseCharacters(const std::string& case_text) {
  std::u32string out;
  std::set<char32_t> seen;
  for (char32_t c : catalogue::ToU32(case_text))
    if (IsHan(c) && seen.insert(c).second) out += c;
  return out;
}

RingVerdict JudgeRing(const std::vector<const Image*>& strips, const std::string& agency, const std::string& case_text,
                      const std::u32string& cohort, const Catalogue& names, seals::GlyphRenderer& glyphs,
                      const std::string& ring_reading) {
  RingVerdict verdict;
  const std::u32string name = HanOnly(agency);
  if (name.size() < 3 || !glyphs.ok()) return verdict;
  std::vector<std::unique_ptr<seals::RingComparer>> rings;
  for (const Image* strip : strips)
    if (strip && !strip->empty()) rings.push_back(std::make_unique<seals::RingComparer>(*strip, cohort, glyphs));
  if (rings.empty()) return verdict;
  // The place's core in the name: between a city (…市, …盟) and the
  // district or county (…区, …旗, …县) within its first ten characters.
  std::size_t core_begin = 0, core_end = 0;
  for (std::size_t i = 1; i < name.size() && i < 10; ++i)
    if (name[i] == U'区' || name[i] == U'旗' || name[i] == U'县') {
      core_end = i;
      break;
    }
  for (std::size_t i = 0; i < core_end; ++i)
    if (name[i] == U'市' || name[i] == U'盟') core_begin = i + 1;
  // `full` with 0–kMaxPrefix unnamed characters before it, on each strip:
  // the prefix count of the best placement passing the thresholds (-1 if
  // none) and, in `mean`, its mean rank — or the lowest mean of all when
  // none passes.
  // The place's own characters (东胜 of 东胜区…) decide between two
  // districts' bodies: each must look like itself.
  // A core of three or more characters may lose one to print crossing the
  // ring (康 of 康巴什 under the 落款's line) when the others read as
  // themselves: another district's name reads in none of them.
  auto core_ok = [&](const std::vector<double>& ranks) {
    if (core_end <= core_begin) return true;
    std::vector<double> core(ranks.begin() + static_cast<std::ptrdiff_t>(core_begin),
                             ranks.begin() + static_cast<std::ptrdiff_t>(core_end));
    double core_sum = 0;
    for (double r : core) core_sum += r;
    const double core_max = *std::max_element(core.begin(), core.end());
    if (core_sum / static_cast<double>(core.size()) <= kMaxPlaceRank && core_max <= kMaxPlaceCharRank) return true;
    if (core.size() < 3) return false;
    std::sort(core.begin(), core.end());
    return core[core.size() - 2] <= kMaxPlaceHiddenRest;
  };
  // Ranks that read as a name: on the whole, in each half, and the place.
  auto passes = [&](const std::vector<double>& ranks, double max_mean, double max_half) {
    const std::size_t half = ranks.size() / 2;
    double first = 0, second = 0;
    for (std::size_t i = 0; i < ranks.size(); ++i) (i < half ? first : second) += ranks[i];
    const double mean = (first + second) / static_cast<double>(ranks.size());
    first /= static_cast<double>(std::max<std::size_t>(1, half));
    second /= static_cast<double>(ranks.size() - half);
    return mean <= max_mean && first <= max_half && second <= max_half && core_ok(ranks);
  };
  auto verify = [&](const std::u32string& full, double max_mean, double max_half, double& mean) {
    int found = -1;
    mean = 1;
    double passed_mean = 2;
    for (auto& ring : rings)
      for (int prefix = 0; prefix <= kMaxPrefix; ++prefix) {
        const seals::RingMatch m = ring->Match(full, prefix);
        if (m.ranks.size() != full.size() || m.ranks.empty()) continue;
        const bool pass = passes(m.ranks, max_mean, max_half);
        mean = std::min(mean, m.mean_rank);
        if (pass && m.mean_rank < passed_mean) {  // any strip's passing placement counts
          passed_mean = m.mean_rank;
          found = prefix;
        }
      }
    if (found >= 0) mean = passed_mean;
    return found;
  };
  double agency_mean = 1;
  if (int prefix = verify(name, kMaxMeanRank, kMaxHalfRank, agency_mean); prefix >= 0) {
    verdict.is_agency = true;
    verdict.owner = PrintedOwner(agency, case_text, prefix, names.places);
    verdict.mean_rank = agency_mean;
    return verdict;
  }
  // Not the agency's name alone, clearly: is it the agency's name and a unit?
  // A unit's seal deducts under a veto item: the agency's name alone must fail clearly.
  if (agency_mean < kMinAgencyMissForUnit) return verdict;
  double best_mean = 1;
  for (const std::string& unit : names.internal_units) {
    const std::u32string full = name + HanOnly(unit);
    double mean = 1;
    const int prefix = verify(full, kMaxUnitMeanRank, kMaxUnitHalfRank, mean);
    if (prefix >= 0 && mean < best_mean) {
      best_mean = mean;
      verdict.is_agency = false;
      verdict.internal_unit = true;
      verdict.owner = WithPrintedPlace(full, name, case_text, prefix, names.places);
      verdict.mean_rank = mean;
    }
  }
  if (verdict.is_agency.has_value()) return verdict;
  // The agency's name and then more characters that no unit's name matches —
  // print crossing the ring's end hides them (…应急管理局 and 办公室 under the
  // 落款's date, which hides 理局 too): the agency's characters stand where a
  // ring of the name and k characters more has them — all but a quarter of
  // them, and those nearly perfectly — while the name alone failed clearly
  // above. Not the agency's own seal; which unit's, the ring does not say:
  // the owner is the name and k unread characters (□).
  std::set<std::size_t> unit_lengths;
  for (const std::string& unit : names.internal_units) unit_lengths.insert(HanOnly(unit).size());
  best_mean = 1;
  for (std::size_t k : unit_lengths) {
    if (k == 0) continue;
    for (auto& ring : rings)
      for (int prefix = 0; prefix <= kMaxPrefix; ++prefix) {
        std::vector<double> ranks;
        const double mean = HiddenTailRank(*ring, name, k, prefix, &ranks);
        if (mean <= kMaxHiddenUnitTrimmedRank && mean < best_mean && core_ok(ranks)) {
          best_mean = mean;
          verdict.is_agency = false;
          verdict.internal_unit = true;
          verdict.owner = WithPrintedPlace(name + std::u32string(k, U'□'), name, case_text, prefix, names.places);
          verdict.mean_rank = mean;
        }
      }
  }
  if (verdict.is_agency.has_value()) return verdict;
  // Another body of the agency's place (东胜区交通运输局 on a 东胜区市场监督
  // 管理局 decision): a body the ring's OCR reading points to — two
  // characters in a row of its name that the agency's lacks (交通) — whose
  // name, after the agency's place, shows on the ring's glyphs: those two
  // characters and the place's clearly, and the name on the whole as the
  // agency's own would — but for a quarter of its characters, which print
  // crossing the ring may hide (运输 of 交通运输局 under a line of text).
  // Neither the reading nor the glyphs alone: readings are garbled, and a
  // ring that fails the agency's name may let another name pass by chance.
  const std::u32string reading = HanOnly(ring_reading);
  const std::size_t place_end = PlaceEnd(name);
  if (!place_end) return verdict;
  const std::u32string place = name.substr(0, place_end), own_body = name.substr(place_end);
  best_mean = 1;
  for (const std::string& body_u8 : names.bodies) {
    const std::u32string body = HanOnly(body_u8);
    if (body.size() < 2 || body == own_body || reading.empty()) continue;
    std::size_t pointed = std::u32string::npos;
    for (std::size_t i = 0; i + 1 < body.size() && pointed == std::u32string::npos; ++i)
      if ((name.find(body[i]) == std::u32string::npos || name.find(body[i + 1]) == std::u32string::npos) &&
          reading.find(body.substr(i, 2)) != std::u32string::npos)
        pointed = place.size() + i;
    if (pointed == std::u32string::npos) continue;
    const std::u32string full = place + body;
    for (auto& ring : rings)
      for (int prefix = 0; prefix <= kMaxPrefix; ++prefix) {
        const seals::RingMatch m = ring->Match(full, prefix);
        if (m.ranks.size() != full.size()) continue;
        if (m.ranks[pointed] > kMaxPointedRank || m.ranks[pointed + 1] > kMaxPointedRank || !core_ok(m.ranks)) continue;
        const double mean = TrimmedMean(m.ranks);
        if (mean <= kMaxMeanRank && mean < best_mean) {
          best_mean = mean;
          verdict.is_agency = false;
          verdict.owner = WithPrintedPlace(full, name, case_text, prefix, names.places);
          verdict.mean_rank = m.mean_rank;
        }
      }
  }
  if (verdict.is_agency.has_value()) return verdict;
  // No reading points to one (the ring's OCR is garbled or empty): a body
  // whose own characters — four or more, the agency's name lacking them —
  // all but read themselves on the ring's glyphs (人民政府办公室 of 东胜区
  // 人民政府办公室 on a 东胜区生态环境局 notice: own characters 0.036).
  for (const std::string& body_u8 : names.bodies) {
    const std::u32string body = HanOnly(body_u8);
    if (body == own_body) continue;
    for (auto& ring : rings)
      for (int prefix = 0; prefix <= kMaxPrefix; ++prefix) {
        std::vector<double> ranks;
        const double own = BodyOwnRank(*ring, name, place_end, body, prefix, &ranks);
        if (own <= kMaxBodyOwnRank && own < best_mean && core_ok(ranks)) {
          best_mean = own;
          verdict.is_agency = false;
          verdict.owner = WithPrintedPlace(place + body, name, case_text, prefix, names.places);
          verdict.mean_rank = own;
        }
      }
  }
  if (verdict.is_agency.has_value()) return verdict;
  // A body of another district or banner of the archive (康巴什区市场监督管理局
  // on a 东胜区生态环境局 notice): the same test on its own characters (康巴什
  // and the body's), the city before it unnamed.
  for (const std::u32string& full : OtherCountyBodies(name, own_body, names))
    for (auto& ring : rings)
      for (int prefix = 0; prefix <= kMaxPrefix; ++prefix) {
        const double own = OwnCharsRank(*ring, name, full, prefix, nullptr);
        if (own <= kMaxCountyOwnRank && own < best_mean) {
          best_mean = own;
          verdict.is_agency = false;
          verdict.owner = WithPrintedPlace(full, name, case_text, prefix, names.places);
          verdict.mean_rank = own;
        }
      }
  return verdict;
}

std::string RingRanks(const Image& strip, const std::string& agency, const std::u32string& cohort,
                      const Catalogue& names, seals::GlyphRenderer& glyphs) {
  const std::vector<std::string>& internal_units = names.internal_units;
  const std::vector<std::string>& bodies = names.bodies;
  const std::u32string name = HanOnly(agency);
  seals::RingComparer ring(strip, cohort, glyphs);
  std::string out;
  char buf[96];
  for (int prefix = 0; prefix <= kMaxPrefix; ++prefix) {
    std::snprintf(buf, sizeof buf, "%s%d:0/%.3f", prefix ? "\t" : "", prefix, ring.Match(name, prefix).mean_rank);
    out += buf;
  }
  double best = 1;
  std::string which;
  for (const auto& unit : internal_units)
    for (int prefix = 0; prefix <= kMaxPrefix; ++prefix) {
      const double r = ring.Match(name + HanOnly(unit), prefix).mean_rank;
      if (r < best) { best = r; which = unit + "+" + std::to_string(prefix); }
    }
  std::snprintf(buf, sizeof buf, "\tunit %.3f ", best);
  out += buf + which;
  // The agency's name then k hidden characters: what JudgeRing tests.
  double hidden = 1;
  std::string hidden_at;
  for (const auto& unit : internal_units) {
    const std::size_t k = HanOnly(unit).size();
    for (int prefix = 0; prefix <= kMaxPrefix; ++prefix)
      if (const double r = HiddenTailRank(ring, name, k, prefix, nullptr); r < hidden) {
        hidden = r;
        hidden_at = std::to_string(k) + "+" + std::to_string(prefix);
      }
  }
  std::snprintf(buf, sizeof buf, "\thidden %.3f ", hidden);
  out += buf + hidden_at;
  // Another body of the place on glyphs alone: what JudgeRing tests last.
  double body_rank = 1;
  std::string body_at;
  if (const std::size_t place_end = PlaceEnd(name))
    for (const auto& body : bodies)
      for (int prefix = 0; prefix <= kMaxPrefix; ++prefix)
        if (const double r = BodyOwnRank(ring, name, place_end, HanOnly(body), prefix, nullptr); r < body_rank) {
          body_rank = r;
          body_at = body + "+" + std::to_string(prefix);
        }
  std::snprintf(buf, sizeof buf, "\tbody %.3f ", body_rank);
  out += buf + body_at;
  // A body of another county: what JudgeRing tests after that.
  double county_rank = 1;
  std::string county_at;
  const std::size_t place_end = PlaceEnd(name);
  for (const std::u32string& full : OtherCountyBodies(name, name.substr(place_end), names))
    for (int prefix = 0; prefix <= kMaxPrefix; ++prefix)
      if (const double r = OwnCharsRank(ring, name, full, prefix, nullptr); r < county_rank) {
        county_rank = r;
        county_at = catalogue::ToU8(full) + "+" + std::to_string(prefix);
      }
  std::snprintf(buf, sizeof buf, "\tcounty %.3f ", county_rank);
  return out + buf + county_at;
}

}  // namespace pingcha
