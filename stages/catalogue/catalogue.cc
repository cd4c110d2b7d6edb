#include "stages/catalogue/catalogue.h"

#include <unicode/coll.h>
#include <unicode/uversion.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <map>
#include <memory>
#include <set>
#include <unordered_map>

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

// TitleKey is asked for the same texts over and over — each line against
// every type, every type's names for every line — and normalising is the
// cost (measured: 0.8 % of a batch's time): remembered per thread, a few
// thousand texts at a time.
std::string TitleKeyOf(const std::string& text) {
  thread_local std::unordered_map<std::string, std::string> memo;
  if (auto it = memo.find(text); it != memo.end()) return it->second;
  if (memo.size() >= 4096) memo.clear();
  return memo.emplace(text, TitleKey(text)).first->second;
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

// A 卷内目录 runs onto a second page whose rows ("14结案审批表2021年8月30日14")
// name documents: lines that start with a row number and a document's name,
// or — the table's cells read apart — a row or page number alone.
int TocRowLines(const Page& page) {
  int rows = 0;
  for (const auto& l : page.lines) {
    const std::string n = Normalize(l.text);
    std::size_t digits = 0;
    while (digits < n.size() && digits < 4 && std::isdigit(static_cast<unsigned char>(n[digits]))) ++digits;
    // Then a CJK character (UTF-8 lead bytes E4–E9 hold the common ideographs), or nothing.
    const unsigned char next = digits < n.size() ? static_cast<unsigned char>(n[digits]) : 0;
    rows += digits >= 1 && digits <= 3 && (next == 0 || (next >= 0xE4 && next <= 0xE9));
  }
  return rows;
}

// A case runs over a few months: a date whose year is far from the case's
// usual year was misread (2024 for 2021 under a seal), and a 落款 read without
// its year ("0000-09-22") takes the case's year.
// Days since 1970-01-01 of an ISO date (proleptic Gregorian); 0 when not one.
long DayNumber(const std::string& iso) {
  if (iso.size() != 10 || !ParseDate(iso)) return 0;
  int y = std::atoi(iso.substr(0, 4).c_str()), m = std::atoi(iso.substr(5, 2).c_str()), d = std::atoi(iso.substr(8, 2).c_str());
  y -= m <= 2;
  const long era = (y >= 0 ? y : y - 399) / 400;
  const long yoe = y - era * 400, doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
}

// Narrow print loses one of two 1s ("2021年11月8日" read "2021年1月8日"). A
// date months away from every other date of the case, that a lost 1 would
// put among them, is read with that 1; other outliers stay as read.
void ResolveLostOnes(std::vector<Document>& docs) {
  std::vector<std::pair<Field*, const Document*>> fields;
  for (auto& d : docs) {
    if (d.date) fields.push_back({&*d.date, &d});
    if (auto it = d.fields.find("service_date"); it != d.fields.end()) fields.push_back({&it->second, &d});
  }
  for (auto [f, doc] : fields) {
    const long day = DayNumber(f->value);
    if (day == 0) continue;
    long lo = 0, hi = 0;
    int others = 0;
    for (auto [o, odoc] : fields) {  // other documents' dates (a receipt's two dates are one reading)
      const long od = DayNumber(o->value);
      if (odoc == doc || od == 0) continue;
      lo = others ? std::min(lo, od) : od;
      hi = others ? std::max(hi, od) : od;
      ++others;
    }
    if (others < 3 || (day >= lo - 60 && day <= hi + 60)) continue;
    const std::string y = f->value.substr(0, 5), m = f->value.substr(5, 2), d = f->value.substr(8, 2);
    std::vector<std::string> tries;
    if (m[0] == '0') tries.push_back(y + "1" + m.substr(1) + "-" + d);  // 1月 → 11月, 2月 → 12月
    if (d[0] == '0') {
      tries.push_back(y + m + "-1" + d.substr(1));  // 8日 → 18日
      tries.push_back(y + m + "-" + d.substr(1) + "1");  // 2日 → 21日
    }
    std::string fit;
    int fits = 0;
    for (const auto& t : tries)
      if (long td = DayNumber(t); td != 0 && td >= lo - 15 && td <= hi + 15) { fit = t; ++fits; }
    if (fits == 1) f->value = fit;
  }
}

void ResolveYears(std::vector<Document>& docs) {
  std::map<int, int> years;
  auto year_of = [](const std::string& iso) { return iso.size() == 10 ? std::atoi(iso.substr(0, 4).c_str()) : 0; };
  std::vector<Field*> fields;
  for (auto& d : docs) {
    if (d.date) fields.push_back(&*d.date);
    for (const char* k : {"service_date"})
      if (auto it = d.fields.find(k); it != d.fields.end()) fields.push_back(&it->second);
  }
  // Documents' own dates count twice; dates in their text and the years of
  // their 文号 (〔2021〕) once each — a short case (简易程序: one decision,
  // one receipt) has few dated documents but says its year elsewhere.
  for (Field* f : fields)
    if (int y = year_of(f->value); y > 0) years[y] += 2;
  for (const auto& d : docs) {
    for (const auto& m : FindDates(d.text))
      if (int y = year_of(m.iso); y > 0) ++years[y];
    if (d.doc_number) {
      auto open = d.doc_number->value.find("〔");
      if (open != std::string::npos && d.doc_number->value.size() >= open + 3 + 4)
        if (int y = std::atoi(d.doc_number->value.substr(open + 3, 4).c_str()); y > 1900) ++years[y];
    }
  }
  int mode = 0, best = 0;
  for (auto [y, n] : years)
    if (n > best) { mode = y; best = n; }
  for (auto& d : docs) {
    auto fix = [&](std::optional<Field>& f) {
      if (!f) return;
      int y = year_of(f->value);
      if (mode == 0 || best < 3) {
        if (y == 0) f.reset();
        return;
      }
      if (y == 0 || std::abs(y - mode) >= 2) {
        std::string iso = std::to_string(mode) + f->value.substr(4);
        if (ParseDate(iso)) f->value = iso;
        else f.reset();
      }
    };
    fix(d.date);
    if (auto it = d.fields.find("service_date"); it != d.fields.end()) {
      std::optional<Field> sd = it->second;
      fix(sd);
      if (sd) it->second = *sd; else d.fields.erase(it);
    }
  }
}

}  // namespace

double TitleScore(const std::string& line_text, const DocType& type) {
  std::string n = TitleKeyOf(line_text);
  std::size_t nl = Len(n);
  if (nl < 2) return 0;
  double best = 0;
  std::vector<std::string> names = type.variants;
  names.insert(names.begin(), type.title);
  for (const auto& raw : names) {
    bool suffix_only = raw.find("…") != std::string::npos;
    std::string t = TitleKeyOf(raw);
    std::size_t tl = Len(t);
    if (tl == 0) continue;
    double s = 0;
    if (n == t) {
      s = 1.0;
    } else if (tl <= 2) {
      s = 0;  // short variants ("目录") must match exactly
    } else if (suffix_only) {
      if (n.size() >= t.size() && n.compare(n.size() - t.size(), t.size(), t) == 0 && nl <= tl + 10) s = 0.93;
    } else if (nl >= 3 && nl * 5 >= tl * 3 && tl > nl && t.size() > n.size() &&
               t.compare(t.size() - n.size(), n.size(), n) == 0) {
      s = 0.82;  // OCR lost the first characters of a large title ("备考表" for 卷内备考表)
    } else if (n.find(t) != std::string::npos && nl <= tl + 8) {
      s = 0.97 - 0.01 * static_cast<double>(nl - tl);
    } else if (nl + 3 >= tl && nl <= tl + 3) {
      s = Similarity(n, t);
    }
    best = std::max(best, s);
  }
  return best;
}

// A 卷内目录 read column by column ("检查通知书2021.10.8", "现场检查笔录
// 2021.10.13", "送达回证2021.10.13", each on a line of its own, the row
// numbers and the table's title lost): lines that are a document's title
// and a date, naming three documents or more. The first such line, or -1.
int ListedDocumentsLine(const Page& page, const Catalogue& catalogue) {
  std::set<std::string> named;
  int first = -1;
  for (std::size_t i = 0; i < page.lines.size(); ++i) {
    const std::string key = TitleKeyOf(page.lines[i].text);
    std::vector<std::string> ids;  // the documents the line names (checked for a date only then)
    for (const auto& type : catalogue.types) {
      const std::string t = TitleKeyOf(type.title);
      if (type.id != "toc" && Len(t) >= 3 && key.find(t) != std::string::npos && Len(key) <= Len(t) + 14)
        ids.push_back(type.id);
    }
    if (ids.empty() || FindDates(Normalize(page.lines[i].text)).empty()) continue;
    named.insert(ids.begin(), ids.end());
    if (first < 0) first = static_cast<int>(i);
  }
  return named.size() >= 3 ? first : -1;
}

namespace {

// A page's text as labels are looked up in: its lines normalised, joined.
std::string LabelText(const Page& page) {
  std::string text;
  for (const auto& l : page.lines) text += Normalize(l.text);
  return text;
}

// How many of a type's labels (DocType::keywords) `text` (LabelText) shows.
int LabelHits(const std::string& text, const DocType& type) {
  int n = 0;
  for (const auto& k : type.keywords) n += text.find(Normalize(k)) != std::string::npos;
  return n;
}

// Whether another line of line `i`'s row (their heights overlapping by half)
// holds a year (2021年, 2021.7.12): a table's date cell.
bool DatedRowBeside(const Page& page, std::size_t i) {
  const BBox& a = page.lines[i].box;
  for (std::size_t k = 0; k < page.lines.size(); ++k) {
    if (k == i) continue;
    if (!SharesRow(a, page.lines[k].box)) continue;
    const std::u32string t = ToU32(Normalize(page.lines[k].text));
    for (std::size_t j = 0; j + 4 <= t.size(); ++j)
      if ((t[j] == U'1' || t[j] == U'2') && (t[j + 1] == U'9' || t[j + 1] == U'0') && t[j + 2] >= U'0' && t[j + 2] <= U'9' &&
          t[j + 3] >= U'0' && t[j + 3] <= U'9' && (j + 4 == t.size() || t[j + 4] == U'年' || t[j + 4] == U'.' || t[j + 4] == U'-' || t[j + 4] == U'/'))
        return true;
  }
  return false;
}

// A line to try as a title: a line as read, or pieces of one row joined.
struct TitleCandidate {
  std::string text;
  BBox box;
  std::size_t index;                // into page.lines (the leftmost piece)
  std::vector<std::size_t> pieces;  // a joined row's lines; empty for a line as read
};

// The page's lines in its top part, and the rows OCR read in pieces: a
// title printed with wide letter-spacing (案 件 处 理 审 批 表) comes back as
// short lines side by side, in no particular order (审批表, 案件处). Pieces
// of one row — short lines whose heights overlap by half — are joined left
// to right.
std::vector<TitleCandidate> TitleCandidates(const Page& page) {
  std::vector<TitleCandidate> out;
  std::vector<std::size_t> pieces;
  for (std::size_t i = 0; i < page.lines.size(); ++i) {
    const TextLine& line = page.lines[i];
    if (line.box.y0 > 0.45) continue;
    out.push_back({line.text, line.box, i, {}});
    if (Len(TitleKeyOf(line.text)) <= 8) pieces.push_back(i);
  }
  std::set<std::vector<std::size_t>> rows;
  for (std::size_t a : pieces) {
    const BBox& ba = page.lines[a].box;
    std::vector<std::size_t> row;
    for (std::size_t b : pieces) {
      const BBox& bb = page.lines[b].box;
      const double overlap = std::min(ba.y1, bb.y1) - std::max(ba.y0, bb.y0);
      if (overlap >= 0.5 * std::min(ba.height(), bb.height())) row.push_back(b);
    }
    if (row.size() < 2) continue;
    std::sort(row.begin(), row.end(), [&](std::size_t x, std::size_t y) { return page.lines[x].box.x0 < page.lines[y].box.x0; });
    if (!rows.insert(row).second) continue;
    TitleCandidate joined{"", page.lines[row.front()].box, row.front(), row};
    for (std::size_t k : row) {
      const BBox& b = page.lines[k].box;
      joined.text += page.lines[k].text;
      joined.box = {std::min(joined.box.x0, b.x0), std::min(joined.box.y0, b.y0), std::max(joined.box.x1, b.x1),
                    std::max(joined.box.y1, b.y1)};
    }
    out.push_back(std::move(joined));
  }
  return out;
}

}  // namespace

std::optional<TitleMatch> FindTitle(const Page& page, const Catalogue& catalogue) {
  if (page.lines.empty()) return std::nullopt;
  const double median = MedianHeight(page);
  std::optional<TitleMatch> best;
  double best_rank = 0;
  bool best_large = false;  // large and at the top: a title as printed
  std::string labels;       // LabelText, made on the first tie
  for (const TitleCandidate& line : TitleCandidates(page)) {
    const std::size_t i = line.index;
    std::size_t len = Len(TitleKeyOf(line.text));
    if (len < 2 || len > 30) continue;
    // A row of a 卷内目录 ("13 银行缴款凭证 2021年…") names a document but
    // starts with its row number: no title starts with a digit.
    if (const std::string n = Normalize(line.text); !n.empty() && n[0] >= '0' && n[0] <= '9') continue;
    const double cx = (line.box.x0 + line.box.x1) / 2;
    const bool large = median > 0 && line.box.height() >= 1.25 * median;
    const bool centred = std::abs(cx - 0.5) < 0.12 && line.box.width() < 0.7;
    for (const auto& type : catalogue.types) {
      double s = TitleScore(line.text, type);
      if (s < kAcceptScore) continue;
      // A joined row names a type only where none of its pieces names it as
      // well (a title re-read beside its garbled first reading).
      if (std::any_of(line.pieces.begin(), line.pieces.end(),
                      [&](std::size_t k) { return TitleScore(page.lines[k].text, type) >= s; }))
        continue;
      // A title is large or centred; a body line that merely mentions a
      // document's name ("送达文书名称：行政处罚决定书") is neither.
      if (!large && !centred && s < 1.0) continue;
      if (!large && !centred && len > Len(TitleKeyOf(type.title)) + 1) continue;
      // Nor is a document's name in a table row with a date beside it (a
      // 卷内目录's continuation page, its row read as two lines — or read
      // again as a block, large).
      if (DatedRowBeside(page, i)) continue;
      double rank = s + (large ? 0.1 : 0) + (centred ? 0.05 : 0) - 0.05 * line.box.y0;
      // One misread character can leave a title as like two types' (Y案审批表,
      // 案审批表: 立案审批表 or 结案审批表 alike): the page's labels decide.
      const bool tie = best && best->type != type.id && std::abs(rank - best_rank) < 0.005;
      if (tie && labels.empty()) labels = LabelText(page);
      if (!best || (rank > best_rank && !tie) || (tie && LabelHits(labels, type) > LabelHits(labels, *catalogue.Find(best->type)))) {
        best = TitleMatch{type.id, line.text, s, static_cast<int>(i)};
        best_rank = std::max(rank, best_rank);
        best_large = large && line.box.y0 < 0.2;
      }
    }
  }
  // A document's name in a table cell is no title when the page lists other
  // documents with their dates: it is the table of contents. A large title
  // at the top (送达回证 above a list of what it served) stays. (Large alone
  // is not enough: the blank lines OCR leaves in a table make every cell's
  // line look large beside them.)
  if (best && !best_large && best->type != "toc")
    if (const DocType* toc = catalogue.Find("toc"))
      if (const int at = ListedDocumentsLine(page, catalogue); at >= 0)
        return TitleMatch{toc->id, page.lines[static_cast<std::size_t>(at)].text, kAcceptScore, at};
  return best;
}

std::optional<PrintedNumber> PrintedPageNumber(const Page& page) {
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
      return PrintedNumber{d, l.box};
    }
  }
  return std::nullopt;
}

std::optional<std::string> TypeFromContent(const Page& page, const Catalogue& catalogue) {
  const std::string text = LabelText(page);
  std::optional<std::string> best;
  int best_n = 0;
  for (const auto& t : catalogue.types) {
    if (t.keywords.empty()) continue;
    const int n = LabelHits(text, t);
    if (n >= t.min_keywords && n > best_n) {
      best = t.id;
      best_n = n;
    }
  }
  return best;
}

namespace {

// A document whose own date could not be read (a 落款 under a dark seal)
// takes the date its row in the 卷内目录 gives, as `listed_date` — the date
// a reviewer looks up in that case; a document whose date differs from its
// row keeps both. Rows pair with documents of their type
// in order, and only where the table lists as many of the type as the file
// holds. The table must be one to trust: on its other rows it agrees with
// the dates read on the documents themselves (two at least, three in four).
void AssignListedDates(std::vector<Document>& docs, const Catalogue& catalogue) {
  const Document* toc = nullptr;
  for (const auto& d : docs)
    if (d.type == "toc" && !d.toc_rows.empty()) toc = &d;
  if (!toc) return;
  std::vector<std::pair<Document*, const Field*>> pairs;
  for (const auto& t : catalogue.types) {
    std::vector<const Document::TocRow*> rows;
    for (const auto& r : toc->toc_rows)
      if (r.catalogued && r.title == t.title) rows.push_back(&r);
    std::vector<Document*> of_type;
    for (auto& d : docs)
      if (d.type == t.id) of_type.push_back(&d);
    if (rows.empty() || rows.size() != of_type.size()) continue;
    for (std::size_t i = 0; i < rows.size(); ++i)
      if (rows[i]->date) pairs.emplace_back(of_type[i], &*rows[i]->date);
  }
  int compared = 0, agreed = 0;
  for (const auto& [d, listed] : pairs) {
    if (!d->date) continue;
    ++compared;
    agreed += d->date->value == listed->value;
  }
  // Kept where the document's own date is missing, or differs: a 落款
  // misread under a seal (九月十九日 for 九月二十九日) contradicts the table,
  // and the checks leave such a date to the reviewer. The table is judged
  // on its other rows (a short table's one misread 落款 must not make it
  // untrusted).
  for (const auto& [d, listed] : pairs) {
    const bool differs = d->date && d->date->value != listed->value;
    if (d->date && !differs) continue;
    const int others = compared - (d->date ? 1 : 0);  // a differing row agreed with nothing
    if (others < 2 || agreed * 4 < others * 3) continue;
    d->fields["listed_date"] = *listed;
  }
}

}  // namespace

std::vector<Document> BuildDocuments(const std::vector<Page>& pages, const Catalogue& catalogue) {
  std::vector<Document> docs;
  for (const auto& page : pages) {
    if (page.blank) continue;
    if (!docs.empty() && docs.back().type == "toc" && TocRowLines(page) >= 2) {
      docs.back().last_page = page.number;  // the table of contents goes on, whatever its rows name
      continue;
    }
    auto title = page.readable ? FindTitle(page, catalogue) : std::nullopt;
    bool continues = !docs.empty() && title && title->type == docs.back().type && IsContinuationCue(page);
    // A page whose title cannot be read may still say what it is by its
    // labels (a cover's 案由/保管期限/归档号, a photo sheet's 拍摄时间/拍摄地点).
    std::optional<std::string> by_content;
    if (!title && page.readable && !IsContinuationCue(page)) {
      by_content = TypeFromContent(page, catalogue);
      if (by_content && !docs.empty() && docs.back().type == *by_content) by_content.reset();
    }
    if (title && !continues) {
      Document doc;
      doc.type = title->type;
      doc.title = title->title;
      doc.first_page = doc.last_page = page.number;
      double conf = page.lines[static_cast<std::size_t>(title->line)].confidence;
      doc.confidence = std::min(1.0, title->score * (0.6 + 0.4 * conf));
      docs.push_back(std::move(doc));
    } else if (by_content) {
      Document doc;
      doc.type = *by_content;
      doc.first_page = doc.last_page = page.number;
      doc.confidence = 0.55;  // no title read: recognised by its labels
      docs.push_back(std::move(doc));
    } else if (docs.empty()) {
      Document doc;
      doc.first_page = doc.last_page = page.number;
      doc.confidence = 0;
      docs.push_back(std::move(doc));
    } else {
      docs.back().last_page = page.number;
    }
  }
  for (auto& doc : docs) ReadFields(doc, pages, catalogue);
  ResolveYears(docs);
  ResolveLostOnes(docs);
  AssignListedDates(docs, catalogue);
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

void MendPlaceNames(Page& page, const Catalogue& catalogue) {
  std::vector<std::u32string> names;
  for (const auto* list : {&catalogue.places, &catalogue.counties})
    for (const auto& n : *list)
      if (auto u = ToU32(n); u.size() >= 4) names.push_back(std::move(u));
  if (names.empty()) return;
  for (TextLine& line : page.lines) {
    // The line's characters, each with its word.
    std::u32string cs;
    std::vector<std::size_t> word_of;
    for (std::size_t k = 0; k < line.words.size(); ++k)
      for (char32_t c : ToU32(line.words[k].text)) {
        cs.push_back(c);
        word_of.push_back(k);
      }
    // Characters inside a listed name as printed are left alone (鄂托克前旗
    // is one name, not 鄂托克旗 misread).
    std::vector<bool> named(cs.size(), false);
    for (const auto& n : names)
      for (auto at = cs.find(n); at != std::u32string::npos; at = cs.find(n, at + 1))
        std::fill(named.begin() + static_cast<std::ptrdiff_t>(at), named.begin() + static_cast<std::ptrdiff_t>(at + n.size()), true);
    bool changed = false;
    for (std::size_t i = 0; i < cs.size(); ++i) {
      if (named[i]) continue;
      const std::u32string* mend = nullptr;
      std::size_t pos = 0;
      int candidates = 0;
      for (const auto& n : names) {
        if (i + n.size() > cs.size()) continue;
        int diff = 0;
        std::size_t where = 0;
        for (std::size_t k = 0; k < n.size() && diff <= 1; ++k)
          if (cs[i + k] != n[k]) { ++diff; where = k; }
        // One character misread, not the name's last (its kind: 市, 旗, 区),
        // a Han character read for a Han character, away from any listed name.
        if (diff != 1 || where + 1 == n.size() || !IsHan(cs[i + where])) continue;
        if (std::any_of(named.begin() + static_cast<std::ptrdiff_t>(i), named.begin() + static_cast<std::ptrdiff_t>(i + n.size()), [](bool b) { return b; })) continue;
        ++candidates;
        mend = &n;
        pos = where;
      }
      if (candidates != 1) continue;
      cs[i + pos] = (*mend)[pos];
      std::fill(named.begin() + static_cast<std::ptrdiff_t>(i), named.begin() + static_cast<std::ptrdiff_t>(i + mend->size()), true);
      changed = true;
    }
    if (!changed) continue;
    std::vector<std::u32string> words(line.words.size());
    for (std::size_t i = 0; i < cs.size(); ++i) words[word_of[i]].push_back(cs[i]);
    // Each word in place in the line's text, the words in order (a Han
    // character for a Han one: the spacing between words is unchanged).
    std::u32string text = ToU32(line.text);
    std::size_t cursor = 0;
    for (std::size_t k = 0; k < line.words.size(); ++k) {
      const std::u32string old = ToU32(line.words[k].text);
      const auto at = text.find(old, cursor);
      if (at == std::u32string::npos) continue;
      text.replace(at, old.size(), words[k]);
      cursor = at + old.size();
      line.words[k].text = ToU8(words[k]);
    }
    line.text = ToU8(text);
  }
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




// Best placement of all of `needle` inside `hay` (free ends in `hay`):
// similarity 1 − edits / |needle| and the matched span [begin, end) of hay.
struct Placement { double sim = 0; std::size_t begin = 0, end = 0; };
Placement Place(const std::u32string& hay, const std::u32string& needle) {
  Placement best;
  if (needle.empty()) return best;
  const std::size_t n = needle.size(), m = hay.size();
  // dist[i][j]: edits aligning needle[0,i) ending at hay position j; start[i][j]: where it began.
  std::vector<int> prev(m + 1, 0), cur(m + 1, 0);
  std::vector<std::size_t> pstart(m + 1), cstart(m + 1);
  for (std::size_t j = 0; j <= m; ++j) pstart[j] = j;
  for (std::size_t i = 1; i <= n; ++i) {
    cur[0] = static_cast<int>(i);
    cstart[0] = 0;
    for (std::size_t j = 1; j <= m; ++j) {
      int sub = prev[j - 1] + (needle[i - 1] == hay[j - 1] ? 0 : 1);
      int del = prev[j] + 1, ins = cur[j - 1] + 1;
      if (sub <= del && sub <= ins) { cur[j] = sub; cstart[j] = pstart[j - 1]; }
      else if (del <= ins) { cur[j] = del; cstart[j] = pstart[j]; }
      else { cur[j] = ins; cstart[j] = cstart[j - 1]; }
    }
    std::swap(prev, cur);
    std::swap(pstart, cstart);
  }
  int bestd = static_cast<int>(n) + 1;
  for (std::size_t j = 0; j <= m; ++j)
    if (prev[j] < bestd) { bestd = prev[j]; best.end = j; best.begin = pstart[j]; }
  best.sim = std::max(0.0, 1.0 - static_cast<double>(bestd) / static_cast<double>(n));
  return best;
}

bool IsUnitChar(char32_t c) { return std::u32string_view(U"科股室队所处站组").find(c) != std::u32string_view::npos; }
bool IsBodyEnd(char32_t c) {
  return std::u32string_view(U"局委府室队所科股处站行院会心厅办").find(c) != std::u32string_view::npos;
}

}  // namespace

OwnerVerdict JudgeOwner(const std::string& ring_text, const std::string& agency, const std::string& case_text) {
  OwnerVerdict v;
  std::u32string owner = HanOnly(Normalize(ring_text));  // ring OCR adds stray Latin, digits, marks
  // The seal's purpose words are not part of the owner's name.
  for (const std::u32string& purpose : {std::u32string(U"行政处罚专用章"), std::u32string(U"行政执法专用章"),
                                        std::u32string(U"行政许可专用章"), std::u32string(U"专用章"),
                                        std::u32string(U"公章"), std::u32string(U"印章")}) {
    auto p = owner.find(purpose);
    if (p != std::u32string::npos) owner.erase(p, purpose.size());
  }
  v.cleaned = ToU8(owner);
  std::u32string ag = HanOnly(Normalize(agency));
  if (owner.size() < 4 || ag.size() < 2) return v;  // too little to tell
  // The agency = place (…市…区 / …旗 / …县) + body (市场监督管理局). Seals may
  // carry the full place (鄂尔多斯市东胜区) where the path has the short one.
  std::size_t split = 0;
  for (std::size_t i = 1; i < ag.size() && i < 12; ++i)
    if (ag[i] == U'区' || ag[i] == U'旗' || ag[i] == U'县') { split = i + 1; break; }
  std::u32string place = ag.substr(0, split), body = ag.substr(split);
  if (body.size() < 2) { body = ag; place.clear(); }
  // Where the body's name sits on the ring; what comes before and after it.
  Placement pb = Place(owner, body);
  std::u32string before = owner.substr(0, pb.begin), after = owner.substr(pb.end);
  // An internal unit: the agency's name followed by a unit (…局法规科, …执法大队).
  if (pb.sim >= 0.7 && after.size() >= 2 && IsUnitChar(after.back())) {
    v.internal_unit = true;
    v.is_agency = false;
    return v;
  }
  if (pb.sim >= 0.6 && after.size() <= 1) {
    // Same body: the place must agree too (another district's bureau of the
    // same kind is not the agency). Compare the local place (东胜区) with what
    // precedes the body.
    std::u32string local = place;
    auto city = local.find_last_of(U'市');
    if (city != std::u32string::npos && city + 1 < local.size()) local = local.substr(city + 1);
    if (local.size() < 2 || before.size() < 2) { v.is_agency = true; return v; }
    double ps = Place(before, local).sim;
    if (ps >= 0.6) { v.is_agency = true; return v; }
    // The place reads clearly as another one (康巴什区 for 东胜区): the body is
    // legible and the place's own name (without 区/旗/县) shares nothing.
    std::u32string core = local.substr(0, local.size() - 1);
    std::u32string other = before;
    // Only a legibly structured place (…区 / …旗 / …县) counts as another one.
    if (other.empty() || !(other.back() == U'区' || other.back() == U'旗' || other.back() == U'县')) return v;
    const std::u32string other_place = other;
    other.pop_back();
    auto c2 = other.find_last_of(U'市');
    if (c2 != std::u32string::npos) other = other.substr(c2 + 1);
    const auto other_name = other_place.substr(other_place.size() - std::min(other_place.size(), other.size() + 1));
    if (pb.sim >= 0.85 && core.size() >= 2 && other.size() >= 2 && Place(other, core).sim == 0 &&
        Place(core, other.substr(0, std::min(other.size(), core.size()))).sim == 0 &&
        case_text.find(ToU8(other_name)) != std::string::npos)
      v.is_agency = false;
    return v;  // unsure: stays unknown
  }
  // Another body: the whole name is legible as a body's name and shares
  // little with the agency's body.
  // Garbled ring text also shares little, so the name must contain an
  // institution word read exactly.
  static const char32_t* const kBodies[] = {
      U"人民政府", U"办公室", U"委员会", U"管理局", U"建设局", U"运输局", U"执法局", U"环境局", U"公安局",
      U"税务局", U"财政局", U"教育局", U"司法局", U"民政局", U"水利局", U"商务局", U"农牧局", U"林业",
      U"卫生健康", U"自然资源", U"银行", U"分行", U"支行", U"法院", U"检察院", U"街道", U"乡人民", U"镇人民"};
  bool named = false;
  for (const char32_t* w : kBodies) named = named || owner.find(w) != std::u32string::npos;
  // The last character may be misread (办公守 for 办公室).
  const bool body_end = IsBodyEnd(owner.back()) || owner.substr(owner.size() - 3, 2) == U"办公";
  if (pb.sim <= 0.35 && owner.size() >= 6 && body_end && named) v.is_agency = false;
  return v;
}

}  // namespace pingcha::catalogue

namespace pingcha::catalogue {
std::string IcuVersion() { return U_ICU_VERSION; }
}  // namespace pingcha::catalogue
