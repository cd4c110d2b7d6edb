#include "stages/catalogue/catalogue.h"

#include <unicode/coll.h>
#include <unicode/uversion.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <map>
#include <memory>

#include "stages/catalogue/fields.h"
#include "stages/catalogue/text.h"

namespace pingcha::catalogue {
namespace {

constexpr double kAcceptScore = 0.8;

std::size_t Len(const std::string& utf8) { return ToU32(utf8).size(); }

// Removes punctuation a title never carries but OCR adds around it.
std::string TitleKey(const std::string& text) {
  std::u32string s = ToU32(Normalize(text));
  std::u32string out;
  for (char32_t c : s) {
    if (c == U'·' || c == U'.' || c == U':' || c == U'_' || c == U'-' || c == U'—' || c == U'|' ||
        c == U'“' || c == U'”' || c == U'"' || c == U'\'' || c == U'…') continue;
    out.push_back(c);
  }
  return ToU8(out);
}

double MedianHeight(const Page& page) {
  std::vector<double> h;
  for (const auto& l : page.lines) h.push_back(l.box.height());
  if (h.empty()) return 0;
  std::nth_element(h.begin(), h.begin() + static_cast<std::ptrdiff_t>(h.size() / 2), h.end());
  return h[h.size() / 2];
}

bool IsContinuationCue(const Page& page) {
  for (const auto& l : page.lines) {
    std::string n = Normalize(l.text);
    auto p = n.find("第");
    if (p == std::string::npos) continue;
    auto q = n.find("页", p);
    if (q == std::string::npos || q - p > 8) continue;
    std::string num = n.substr(p + 3, q - p - 3);
    if (!num.empty() && num != "1" && num != "一" &&
        std::all_of(num.begin(), num.end(), [](unsigned char c) { return std::isdigit(c) || c >= 0x80; }))
      return true;
  }
  return false;
}

}  // namespace

double TitleScore(const std::string& line_text, const DocType& type) {
  std::string n = TitleKey(line_text);
  std::size_t nl = Len(n);
  if (nl < 2) return 0;
  double best = 0;
  std::vector<std::string> names = type.variants;
  names.insert(names.begin(), type.title);
  for (const auto& raw : names) {
    bool suffix_only = raw.find("…") != std::string::npos;
    std::string t = TitleKey(raw);
    std::size_t tl = Len(t);
    if (tl == 0) continue;
    double s = 0;
    if (n == t) {
      s = 1.0;
    } else if (tl <= 2) {
      s = 0;  // short variants ("目录") must match exactly
    } else if (suffix_only) {
      if (n.size() >= t.size() && n.compare(n.size() - t.size(), t.size(), t) == 0 && nl <= tl + 10) s = 0.93;
    } else if (n.find(t) != std::string::npos && nl <= tl + 8) {
      s = 0.97 - 0.01 * static_cast<double>(nl - tl);
    } else if (nl + 3 >= tl && nl <= tl + 3) {
      s = Similarity(n, t);
    }
    best = std::max(best, s);
  }
  return best;
}

std::optional<TitleMatch> FindTitle(const Page& page, const Catalogue& catalogue) {
  if (page.lines.empty()) return std::nullopt;
  const double median = MedianHeight(page);
  std::optional<TitleMatch> best;
  double best_rank = 0;
  for (std::size_t i = 0; i < page.lines.size(); ++i) {
    const auto& line = page.lines[i];
    if (line.box.y0 > 0.45) continue;
    std::size_t len = Len(TitleKey(line.text));
    if (len < 2 || len > 30) continue;
    const double cx = (line.box.x0 + line.box.x1) / 2;
    const bool large = median > 0 && line.box.height() >= 1.25 * median;
    const bool centred = std::abs(cx - 0.5) < 0.12 && line.box.width() < 0.7;
    for (const auto& type : catalogue.types) {
      double s = TitleScore(line.text, type);
      if (s < kAcceptScore) continue;
      // A title is large or centred; a body line that merely mentions a
      // document's name ("送达文书名称：行政处罚决定书") is neither.
      if (!large && !centred && s < 1.0) continue;
      if (!large && !centred && len > Len(TitleKey(type.title)) + 1) continue;
      double rank = s + (large ? 0.1 : 0) + (centred ? 0.05 : 0) - 0.05 * line.box.y0;
      if (!best || rank > best_rank) {
        best = TitleMatch{type.id, line.text, s, static_cast<int>(i)};
        best_rank = rank;
      }
    }
  }
  return best;
}

std::optional<std::string> PrintedPageNumber(const Page& page) {
  const auto& lines = page.margin_lines.empty() ? page.lines : page.margin_lines;
  for (auto it = lines.rbegin(); it != lines.rend(); ++it) {
    const auto& l = *it;
    bool corner = l.box.y0 > 0.88 || (l.box.y1 < 0.1 && (l.box.x0 > 0.6 || l.box.x1 < 0.4));
    if (!corner) continue;
    std::u32string s = ToU32(Normalize(l.text));
    std::u32string digits;
    bool other = false;
    for (char32_t c : s) {
      if (c >= U'0' && c <= U'9') digits.push_back(c);
      else if (c == U'-' || c == U'—' || c == U'－' || c == U'·' || c == U'第' || c == U'页' || c == U'.') continue;
      else other = true;
    }
    if (!other && !digits.empty() && digits.size() <= 4) {
      std::string d = ToU8(digits);
      d.erase(0, std::min(d.find_first_not_of('0'), d.size() - 1));
      return d;
    }
  }
  return std::nullopt;
}

std::vector<Document> BuildDocuments(const std::vector<Page>& pages, const Catalogue& catalogue) {
  std::vector<Document> docs;
  int last_content_page = 0;
  for (const auto& page : pages) {
    if (page.blank) continue;
    auto title = page.readable ? FindTitle(page, catalogue) : std::nullopt;
    bool continues = !docs.empty() && title && title->type == docs.back().type && IsContinuationCue(page);
    if (title && !continues) {
      Document doc;
      doc.type = title->type;
      doc.title = title->title;
      doc.first_page = doc.last_page = page.number;
      double conf = page.lines[static_cast<std::size_t>(title->line)].confidence;
      doc.confidence = std::min(1.0, title->score * (0.6 + 0.4 * conf));
      docs.push_back(std::move(doc));
    } else if (docs.empty()) {
      Document doc;
      doc.first_page = doc.last_page = page.number;
      doc.confidence = 0;
      docs.push_back(std::move(doc));
    } else {
      docs.back().last_page = page.number;
    }
    last_content_page = page.number;
  }
  (void)last_content_page;
  for (auto& doc : docs) ReadFields(doc, pages, catalogue);
  return docs;
}

std::string DetectCaseType(const std::vector<Document>& docs, const Catalogue& catalogue) {
  std::map<std::string, double> votes;
  for (const auto& d : docs) {
    const DocType* t = catalogue.Find(d.type);
    if (!t || t->case_types.empty()) continue;
    // Decisions say the most about the kind of case.
    double w = d.type.find("decision") != std::string::npos ? 3.0 : 1.0;
    for (const auto& ct : t->case_types) votes[ct] += w / static_cast<double>(t->case_types.size());
  }
  std::string best;
  double best_v = 0;
  for (const auto& [ct, v] : votes) {
    if (v > best_v) { best = ct; best_v = v; }
  }
  return best;
}

std::string DetectProcedure(const std::vector<Document>& docs) {
  bool onsite = false, ordinary = false;
  for (const auto& d : docs) {
    if (d.type == "onsite_penalty_decision") onsite = true;
    if (d.type == "penalty_decision" || d.type == "filing_approval" || d.type == "prior_notice") ordinary = true;
  }
  return onsite && !ordinary ? "simple" : "ordinary";
}

std::string DetectAgency(const std::vector<Page>& pages) {
  std::map<std::string, int> counts;
  for (const auto& page : pages) {
    for (const auto& l : page.lines) {
      std::string n = Normalize(l.text);
      std::size_t len = Len(n);
      if (len < 6 || len > 30) continue;
      for (const char* suffix : {"局", "委员会", "人民政府", "大队", "支队", "管理处"}) {
        std::string s = suffix;
        if (n.size() >= s.size() && n.compare(n.size() - s.size(), s.size(), s) == 0 &&
            n.find(":") == std::string::npos && n.find("关于") == std::string::npos) {
          ++counts[n];
          break;
        }
      }
    }
  }
  std::string best;
  int best_n = 0;
  for (const auto& [name, n] : counts) {
    if (n > best_n || (n == best_n && Len(name) > Len(best))) { best = name; best_n = n; }
  }
  return best;
}

std::vector<std::string> SortPinyin(std::vector<std::string> names) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::Collator> coll(icu::Collator::createInstance(icu::Locale("zh"), status));
  if (U_FAILURE(status) || !coll) {
    std::sort(names.begin(), names.end());
    return names;
  }
  std::stable_sort(names.begin(), names.end(), [&](const std::string& a, const std::string& b) {
    UErrorCode st = U_ZERO_ERROR;
    auto r = coll->compare(icu::UnicodeString::fromUTF8(a), icu::UnicodeString::fromUTF8(b), st);
    if (r == UCOL_EQUAL) return a < b;
    return r == UCOL_LESS;
  });
  return names;
}

}  // namespace pingcha::catalogue

namespace pingcha::catalogue {
namespace {

bool EndsWith(const std::u32string& s, const std::u32string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Keeps Han characters only: ring OCR adds stray Latin, digits and marks.
std::u32string HanOnly(const std::string& text) {
  std::u32string out;
  for (char32_t c : ToU32(Normalize(text)))
    if ((c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF)) out.push_back(c);
  return out;
}

// Best similarity of `needle` against any window of `hay` of the same length.
double WindowSimilarity(const std::u32string& hay, const std::u32string& needle) {
  if (needle.empty()) return 0;
  if (hay.size() <= needle.size()) {
    std::size_t n = std::max(hay.size(), needle.size());
    return 1.0 - static_cast<double>(EditDistance(hay, needle)) / static_cast<double>(n);
  }
  double best = 0;
  for (std::size_t i = 0; i + needle.size() <= hay.size(); ++i) {
    auto win = std::u32string_view(hay).substr(i, needle.size());
    best = std::max(best, 1.0 - static_cast<double>(EditDistance(win, needle)) / static_cast<double>(needle.size()));
  }
  return best;
}

}  // namespace

OwnerVerdict JudgeOwner(const std::string& ring_text, const std::string& agency) {
  OwnerVerdict v;
  std::u32string owner = HanOnly(ring_text);
  // The seal's purpose words are not part of the owner's name.
  for (const std::u32string& purpose : {std::u32string(U"行政处罚专用章"), std::u32string(U"行政执法专用章"),
                                        std::u32string(U"行政许可专用章"), std::u32string(U"专用章"),
                                        std::u32string(U"公章"), std::u32string(U"印章")}) {
    auto p = owner.find(purpose);
    if (p != std::u32string::npos) owner.erase(p, purpose.size());
  }
  v.cleaned = ToU8(owner);
  std::u32string ag = HanOnly(agency);
  if (owner.size() < 4 || ag.size() < 2) return v;  // too little to tell
  // The path may give a short name (东胜区市场监督管理局) and the seal the full
  // one (鄂尔多斯市东胜区市场监督管理局): compare the shorter inside the longer.
  const std::u32string& shorter = owner.size() <= ag.size() ? owner : ag;
  const std::u32string& longer = owner.size() <= ag.size() ? ag : owner;
  double sim = WindowSimilarity(longer, shorter);
  // An internal unit: the agency's name followed by a unit word.
  double prefix_sim = 0;
  if (owner.size() > ag.size()) prefix_sim = WindowSimilarity(owner.substr(0, ag.size() + 3), ag);
  bool unit_suffix = false;
  for (const std::u32string& unit : {std::u32string(U"科"), std::u32string(U"股"), std::u32string(U"室"),
                                     std::u32string(U"大队"), std::u32string(U"中队"), std::u32string(U"所"),
                                     std::u32string(U"处"), std::u32string(U"中心")}) {
    if (EndsWith(owner, unit) && !EndsWith(ag, unit)) unit_suffix = true;
  }
  if (unit_suffix && prefix_sim >= 0.75 && owner.size() >= ag.size() + 2) {
    v.internal_unit = true;
    v.is_agency = false;
    return v;
  }
  if (sim >= 0.8) {
    v.is_agency = true;
    return v;
  }
  // Bodies of one district share the place name: compare what follows it.
  std::size_t common = 0;
  while (common < owner.size() && common < ag.size() && owner[common] == ag[common]) ++common;
  std::u32string a = owner.substr(common), b = ag.substr(common);
  double core = common >= 2 && !a.empty() && !b.empty()
                    ? 1.0 - static_cast<double>(EditDistance(a, b)) / static_cast<double>(std::max(a.size(), b.size()))
                    : sim;
  if (sim < 0.5 || (core < 0.4 && std::min(a.size(), b.size()) >= 3)) v.is_agency = false;
  return v;
}

}  // namespace pingcha::catalogue

namespace pingcha::catalogue {
std::string IcuVersion() { return U_ICU_VERSION; }
}  // namespace pingcha::catalogue
