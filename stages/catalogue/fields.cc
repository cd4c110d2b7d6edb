#include "stages/catalogue/fields.h"

#include <unicode/regex.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <set>
#include <sstream>

#include "stages/catalogue/catalogue.h"
#include "stages/catalogue/text.h"

namespace pingcha::catalogue {
namespace {

struct LineRef {
  int page;
  const TextLine* line;
  std::string norm;  // Normalize(line->text)
};

std::vector<LineRef> DocLines(const Document& doc, const std::vector<Page>& pages) {
  std::vector<LineRef> out;
  for (int p = doc.first_page; p <= doc.last_page; ++p) {
    if (p < 1 || p > static_cast<int>(pages.size())) continue;
    for (const auto& l : pages[static_cast<std::size_t>(p - 1)].lines) out.push_back({p, &l, Normalize(l.text)});
  }
  return out;
}

Field MakeField(const LineRef& ref, std::string value) {
  return Field{std::move(value), ref.page, ref.line->box, ref.line->text};
}

bool Contains(const std::string& s, const char* what) { return s.find(what) != std::string::npos; }

// First capture of `pattern` in `text` ("" if none).
std::string Capture(const char* pattern, const std::string& text, int group = 1) {
  UErrorCode status = U_ZERO_ERROR;
  icu::UnicodeString input = icu::UnicodeString::fromUTF8(text);
  icu::RegexMatcher m(icu::UnicodeString::fromUTF8(pattern), input, 0, status);
  if (U_FAILURE(status) || !m.find(status)) return "";
  std::string out;
  m.group(group, status).toUTF8String(out);
  return out;
}

bool IsRecord(const std::string& type) {
  return type.size() > 7 && type.compare(type.size() - 7, 7, "_record") == 0;
}

void ReadDates(Document& doc, const std::vector<LineRef>& lines) {
  if (doc.type == "toc" || doc.type == "cover") return;
  std::vector<std::pair<const LineRef*, std::string>> dates;
  const LineRef* labelled = nullptr;
  std::string labelled_iso;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const auto& ref = lines[i];
    for (const auto& d : FindDates(ref.line->text)) dates.emplace_back(&ref, d.iso);
    // The date that dates a receipt is labelled: when it was served, or paid.
    bool label = doc.type == "service_receipt"
                     ? Contains(ref.norm, "送达日期") || Contains(ref.norm, "签收日期") || Contains(ref.norm, "送达时间") ||
                           Contains(ref.norm, "收到日期") || Contains(ref.norm, "签收时间")
                     : doc.type == "payment_receipt" &&
                           (Contains(ref.norm, "缴款日期") || Contains(ref.norm, "缴款时间") || Contains(ref.norm, "缴费日期"));
    if (label && !labelled) {
      auto here = FindDates(ref.line->text);
      if (!here.empty()) {
        labelled = &ref;
        labelled_iso = here.front().iso;
      } else if (i + 1 < lines.size()) {
        auto next = FindDates(lines[i + 1].line->text);
        if (!next.empty()) { labelled = &lines[i + 1]; labelled_iso = next.front().iso; }
      }
    }
  }
  if (doc.type == "service_receipt") {
    if (labelled) {
      doc.fields["service_date"] = MakeField(*labelled, labelled_iso);
    } else if (!dates.empty()) {
      doc.fields["service_date"] = MakeField(*dates.back().first, dates.back().second);
    }
    if (doc.fields.count("service_date")) doc.date = doc.fields["service_date"];
    return;
  }
  if (doc.type == "payment_receipt" && labelled) {
    doc.date = MakeField(*labelled, labelled_iso);
    return;
  }
  if (IsRecord(doc.type)) {
    if (!dates.empty()) doc.date = MakeField(*dates.front().first, dates.front().second);
    return;
  }
  // The 落款 date is the last one. Under a seal its year is often misread
  // ("20红年9月22日"): a month and day after the last full date, with a
  // garbled year, stand for the 落款 with the case's year (resolved later).
  std::size_t after = 0;
  if (!dates.empty())
    for (std::size_t i = 0; i < lines.size(); ++i)
      if (&lines[i] == dates.back().first) after = i + 1;
  for (std::size_t i = lines.size(); i-- > after;) {
    int moi = 0, di = 0;
    // 日 is often read as a look-alike under a seal.
    std::string md = Capture("(?:^|[^0-9])[0-9]{0,4}[^0-9年月日:]{0,2}年([0-9]{1,2})月([0-9]{1,2})[日目曰白旧昌卓]", lines[i].norm, 0);
    if (!md.empty()) {
      moi = std::stoi(Capture("年([0-9]{1,2})月", md));
      di = std::stoi(Capture("月([0-9]{1,2})", md));
    } else {
      // 二〇二一年六月九日 with the year garbled ("三O二一年六月九目"): month
      // and day in Chinese numerals; a dash or a quote there is 一
      // ("十-月-日", "十“月八日"), 士/土 is 十 ("八月士日"), 工 is 二 ("工十九日").
      if (ToU32(lines[i].norm).size() > 16) continue;
      std::u32string folded = ToU32(lines[i].norm);
      for (char32_t& ch : folded) {
        if (std::u32string_view(U"-—–_~“”\"'‘’`").find(ch) != std::u32string_view::npos) ch = U'一';
        else if (ch == U'士' || ch == U'土') ch = U'十';
        else if (ch == U'工') ch = U'二';
      }
      const std::string f8 = ToU8(folded);
      static const char* kMonthDay = "年([一二三四五六七八九十]{1,2})月([一二三四五六七八九十]{1,3})(?:[日目曰白旧昌卓]|月$)";
      std::string mo = Capture(kMonthDay, f8, 1);
      std::string d = Capture(kMonthDay, f8, 2);
      if (mo.empty()) continue;
      moi = static_cast<int>(ChineseNumber(ToU32(mo)));
      di = static_cast<int>(ChineseNumber(ToU32(d)));
    }
    if (moi < 1 || moi > 12 || di < 1 || di > 31) continue;
    char buf[16];
    std::snprintf(buf, sizeof buf, "0000-%02d-%02d", moi, di);
    doc.date = MakeField(lines[i], buf);
    return;
  }
  // A short date-like line after the last readable date is the 落款 date,
  // misread (under a seal: "二〇二一年五月三十六晶"). The document's date is
  // then unknown — not the last date of its body.
  for (std::size_t i = lines.size(); i-- > after;) {
    const std::string& n = lines[i].norm;
    std::size_t nian = n.find("年");
    bool looks_dated = nian != std::string::npos && n.find("月", nian) != std::string::npos &&
                       ToU32(n).size() <= 16;
    // …or a short line with a year's 年 after numerals ("三9运一年此及十九奈"),
    // or a signature line ending in a date ("承办人签名:…2021年月]日").
    looks_dated = looks_dated || (ToU32(n).size() <= 16 && !Capture("[0-9〇零一二三四五六七八九十][^年]{0,2}年", n, 0).empty());
    looks_dated = looks_dated || (ToU32(n).size() <= 28 && !Capture("年.{0,3}月.{0,4}[日目曰]$", n, 0).empty());
    // …or a short line ending in a month and day with its year lost (":CO一信人-月十日").
    looks_dated = looks_dated || (ToU32(n).size() <= 16 && !Capture("月[一二三四五六七八九十0-9]{1,3}[日目曰]$", n, 0).empty());
    if (looks_dated) return;
  }
  if (dates.empty()) return;
  // A letter's (…决定书, …告知书, …通知书) 落款 date ends its line. A last date
  // inside a sentence (a seizure's "自…起至2021年7月31日止。") is the body's:
  // the 落款 was not read, and the date is unknown.
  const LineRef& last = *dates.back().first;
  std::u32string title = ToU32(Normalize(doc.title));
  if (!title.empty() && title.back() == U'书' && ToU32(last.norm).size() > 20) {
    auto found = FindDates(last.line->text);
    std::u32string tail;
    if (!found.empty()) {
      std::u32string line = ToU32(last.norm), match = ToU32(found.back().text);
      auto at = line.rfind(match);
      if (at != std::u32string::npos) tail = line.substr(at + match.size());
    }
    if (std::any_of(tail.begin(), tail.end(), [](char32_t ch) { return ch >= 0x4E00 && ch <= 0x9FFF; })) return;
  }
  doc.date = MakeField(last, dates.back().second);
}

void ReadNumbers(Document& doc, const std::vector<LineRef>& lines) {
  if (doc.type == "toc") return;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const LineRef& ref = lines[i];
    auto num = FindDocNumber(ref.line->text);
    // A receipt's cited number may wrap onto the next line ("…(东市监强制字〔2021" / "〕第013号)"),
    // its bracket read as a parenthesis ("…(康应急查封(2021" / "]9号)").
    if (!num && doc.type == "service_receipt" && i + 1 < lines.size() && ref.page == lines[i + 1].page &&
        (ref.norm.find("〔") != std::string::npos || ref.norm.find("(20") != std::string::npos) &&
        ToU32(lines[i + 1].norm).size() <= 12)
      num = FindDocNumber(ref.line->text + lines[i + 1].line->text);
    if (!num) continue;
    if (doc.type == "service_receipt") {
      if (!doc.fields.count("served_doc_number")) doc.fields["served_doc_number"] = MakeField(ref, *num);
      continue;
    }
  }
  // A document's own 文号 is printed just under its title, alone on its line
  // (or after 案号/编号). A number quoted elsewhere — a cover's 决定书文号, a
  // receipt's or report's reference — is not the document's own.
  if (doc.type == "service_receipt" || doc.title.empty()) return;
  std::size_t title_at = lines.size();
  for (std::size_t i = 0; i < lines.size() && lines[i].page == doc.first_page; ++i)
    if (lines[i].line->text == doc.title) { title_at = i; break; }
  // Within the next four lines with something printed: OCR leaves empty
  // lines (a space) for specks and rules between them.
  int printed = 0;
  for (std::size_t i = title_at + 1; i < lines.size() && printed < 4 && lines[i].page == doc.first_page; ++i) {
    if (lines[i].line->text.find_first_not_of(" \t") == std::string::npos) continue;
    ++printed;
    auto num = FindDocNumber(lines[i].line->text);
    if (!num) continue;
    // What is left of the line once the number is taken out.
    std::u32string rest;
    for (char32_t ch : ToU32(lines[i].norm))
      if (ch >= 0x4E00 && ch <= 0x9FFF) rest.push_back(ch);
    std::u32string number_han;
    for (char32_t ch : ToU32(*num))
      if (ch >= 0x4E00 && ch <= 0x9FFF) number_han.push_back(ch);
    auto at = rest.find(number_han.substr(0, std::min<std::size_t>(2, number_han.size())));
    std::u32string label = at == std::u32string::npos ? rest : rest.substr(0, at);
    if (label.empty() || label == U"案号" || label == U"编号" || label == U"文号" || label == U"字号") {
      doc.doc_number = MakeField(lines[i], *num);
    }
    return;
  }
}

// The laws a decision or notice cites (《…》第X条第X款第X项), joined with
// "；" in text order, from the document's whole text (a citation may run
// over a line break); evidence is the first line that cites a law.
void ReadCitations(Document& doc, const std::vector<LineRef>& lines) {
  auto cites = FindCitations(doc.text);
  if (cites.empty()) return;
  std::string joined;
  for (const auto& c : cites) joined += (joined.empty() ? "" : "；") + c.Canonical();
  for (const auto& ref : lines)
    if (ref.norm.find("《") != std::string::npos) {
      doc.fields["legal_basis"] = MakeField(ref, joined);
      return;
    }
}

void ReadParty(Document& doc, const std::vector<LineRef>& lines) {
  for (const auto& ref : lines) {
    std::string v = Capture("^(?:当事人|被处罚人|申请人|被检查人|受送达人|被询问人|被申请人)(?:名称|姓名)?(?:\\(.*?\\))?:(.+)$", ref.norm);
    if (v.empty()) continue;
    // Cut at the next label.
    for (const char* stop : {"统一社会信用代码", "法定代表人", "地址", "住所", "身份证", "性别", ",", "，", ";"}) {
      auto p = v.find(stop);
      if (p != std::string::npos && p > 0) v = v.substr(0, p);
    }
    if (!v.empty()) {
      doc.fields["party"] = MakeField(ref, v);
      break;
    }
  }
  for (const auto& ref : lines) {
    std::string code = Capture("([0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10})", ref.norm);
    if (!code.empty()) {
      doc.fields["credit_code"] = MakeField(ref, code);
      break;
    }
  }
}

void ReadAmount(Document& doc, const std::vector<LineRef>& lines) {
  for (const auto& ref : lines) {
    if (!Contains(ref.norm, "罚款") && !Contains(ref.norm, "金额")) continue;
    auto a = FindAmount(ref.norm);
    if (a) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.2f", *a);
      doc.fields["amount"] = MakeField(ref, buf);
      return;
    }
  }
}

void ReadRemedy(Document& doc, const std::vector<LineRef>& lines) {
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (!Contains(lines[i].norm, "不服") && !Contains(lines[i].norm, "行政复议")) continue;
    std::string text;
    BBox box;
    for (std::size_t j = i; j < lines.size() && j < i + 4; ++j) {
      text += lines[j].norm;
      box = Union(box, lines[j].line->box);
      if (Contains(lines[j].norm, "诉讼")) break;
    }
    doc.fields["remedy_clause"] = Field{text, lines[i].page, box, text};
    return;
  }
}

void ReadService(Document& doc, const std::vector<LineRef>& lines) {
  for (const auto& ref : lines) {
    if (!Contains(ref.norm, "送达文书")) continue;
    std::string v = Capture("送达文书(?:名称)?(?:及文号)?:?(.+)$", ref.norm);
    if (!v.empty()) doc.fields["served_doc_title"] = MakeField(ref, v);
    return;
  }
}

void ReadSeizure(Document& doc, const std::vector<LineRef>& lines) {
  for (const auto& ref : lines) {
    if (!Contains(ref.norm, "期限")) continue;
    int days = ParseSeizureDays(ref.norm);
    if (days > 0) {
      doc.fields["seizure_days"] = MakeField(ref, std::to_string(days));
      return;
    }
  }
}

void ReadOfficers(Document& doc, const std::vector<LineRef>& lines) {
  std::set<std::string> seen;
  for (const auto& ref : lines) {
    if (!Contains(ref.norm, "证")) continue;
    for (auto& o : ParseOfficers(ref.line->text)) {
      std::string key = o.certificate.value_or(o.name);
      if (!seen.insert(key).second) continue;
      o.page = ref.page;
      o.box = ref.line->box;
      o.text = ref.line->text;
      doc.officers.push_back(std::move(o));
    }
  }
}

void ReadToc(Document& doc, const std::vector<LineRef>& lines, const Catalogue& catalogue) {
  for (const auto& ref : lines) {
    // A row names a document type and usually ends with its page (range).
    std::string best_type;
    double best = 0;
    for (const auto& t : catalogue.types) {
      if (t.id == "toc") continue;
      for (const auto& name : [&] { auto v = t.variants; v.insert(v.begin(), t.title); return v; }()) {
        std::string n = Normalize(name);
        if (n.size() >= 6 && ref.norm.find(n) != std::string::npos && n.size() > best) {
          best = static_cast<double>(n.size());
          best_type = t.title;
        }
      }
    }
    Document::TocRow row;
    if (best_type.empty()) {
      // A document the catalogue does not hold, named by its kind of title —
      // unless it is a misreading of one the catalogue holds.
      std::string own = Capture("(\\p{Han}{2,14}(?:告知书|决定书|通知书|审批表|呈批表|笔录|清单|报告|回证|凭证|意见书|申请书|证明))", ref.norm);
      if (own.empty()) continue;
      bool near_known = false;
      for (const auto& t : catalogue.types) {
        std::vector<std::string> names = t.variants;
        names.push_back(t.title);
        for (const auto& name : names) near_known = near_known || Similarity(own, name) >= 0.7 || own.find(Normalize(name)) != std::string::npos;
      }
      if (near_known) continue;
      best_type = own;
      row.catalogued = false;
    }
    row.title = best_type;
    row.doc_number = FindDocNumber(ref.norm).value_or("");
    row.pages = Capture("([0-9]{1,4}(?:[-~—][0-9]{1,4})?)$", ref.norm);
    row.page = ref.page;
    row.box = ref.line->box;
    // The row's date: 2021年7月12日, 2021.7.12 (2021.10:28 misread), or an archivist's 20210712 —
    // read cell by cell (the line's spaces), so the page column does not run
    // into it (2021.9.29 12, not 2021.9.2912).
    std::string iso;
    std::istringstream cells(ref.line->text);
    for (std::string cell; iso.empty() && cells >> cell;) {
      if (auto dates = FindDates(cell); !dates.empty()) {
        iso = dates.front().iso;
        continue;
      }
      // A dot between digits read as a colon or comma (2021.10:28).
      std::u32string dotted = ToU32(cell);
      for (std::size_t k = 1; k + 1 < dotted.size(); ++k)
        if (std::u32string_view(U":：,，").find(dotted[k]) != std::u32string_view::npos && dotted[k - 1] >= U'0' &&
            dotted[k - 1] <= U'9' && dotted[k + 1] >= U'0' && dotted[k + 1] <= U'9')
          dotted[k] = U'.';
      if (auto dates = FindDates(ToU8(dotted)); !dates.empty()) {
        iso = dates.front().iso;
        continue;
      }
      const std::string d8 = Capture("(?<![0-9])((?:19|20)[0-9]{2}(?:0[1-9]|1[0-2])[0-3][0-9])(?![0-9])", cell);
      if (!d8.empty()) iso = ParseDate(d8.substr(0, 4) + "-" + d8.substr(4, 2) + "-" + d8.substr(6, 2)).value_or("");
    }
    if (auto whole = FindDates(ref.line->text); iso.empty() && !whole.empty()) iso = whole.front().iso;  // a date split by a space
    if (!iso.empty()) row.date = MakeField(ref, iso);
    doc.toc_rows.push_back(std::move(row));
  }
}

}  // namespace

std::vector<Officer> ParseOfficers(const std::string& line_text) {
  std::vector<Officer> out;
  std::string norm = Normalize(line_text);
  UErrorCode status = U_ZERO_ERROR;
  icu::UnicodeString input = icu::UnicodeString::fromUTF8(norm);
  icu::RegexMatcher m(icu::UnicodeString::fromUTF8(
                          "(\\p{Han}{2,4})?[(（]?(?:执法证件?|证件)(?:号码|编号|号)?:?([A-Za-z0-9]{5,20})"),
                      input, 0, status);
  while (U_SUCCESS(status) && m.find(status)) {
    Officer o;
    std::string name, cert;
    if (m.start(1, status) >= 0) m.group(1, status).toUTF8String(name);
    m.group(2, status).toUTF8String(cert);
    o.name = name;
    o.certificate = cert;
    out.push_back(std::move(o));
  }
  // On an officers' line, a certificate whose label is misread ("于震磊供法下子:150602198537)"):
  // a name, a bracket, a few characters, a colon and a long number.
  static const char* kOfficerLine = "^(?:执法人员|检查人员|核查人员|调查人员|勘验人员|询问人|记录人|承办人|检查人)";
  if (Capture(kOfficerLine, norm, 0).empty()) return out;
  icu::RegexMatcher g(icu::UnicodeString::fromUTF8("(\\p{Han}{2,4})[(（〈]?[^0-9:()（）、]{1,4}:([0-9]{8,20})"), input, 0, status);
  while (U_SUCCESS(status) && g.find(status)) {
    std::string name, cert;
    g.group(1, status).toUTF8String(name);
    g.group(2, status).toUTF8String(cert);
    if (std::any_of(out.begin(), out.end(), [&](const Officer& o) { return o.certificate == cert; })) continue;
    Officer o;
    o.name = name;
    o.certificate = cert;
    out.push_back(std::move(o));
  }
  return out;
}

int ParseSeizureDays(const std::string& text) {
  std::string n = Normalize(text);
  std::string v = Capture("期限(?:为|是)?([0-9]{1,3})(?:日|天)", n);
  if (!v.empty()) return std::stoi(v);
  v = Capture("期限(?:为|是)?([一二三四五六七八九十百]{1,4})(?:日|天)", n);
  if (!v.empty()) return static_cast<int>(ChineseNumber(ToU32(v)));
  return 0;
}

void ReadFields(Document& doc, const std::vector<Page>& pages, const Catalogue& catalogue) {
  auto lines = DocLines(doc, pages);
  doc.text.clear();
  for (const auto& ref : lines) doc.text += ref.norm;
  for (int p = doc.first_page; p <= doc.last_page; ++p)
    if (p >= 1 && p <= static_cast<int>(pages.size()) && !pages[static_cast<std::size_t>(p - 1)].readable)
      doc.readable = false;
  ReadNumbers(doc, lines);
  ReadDates(doc, lines);
  ReadParty(doc, lines);
  ReadOfficers(doc, lines);
  if (doc.type == "penalty_decision" || doc.type == "prior_notice" || doc.type == "onsite_penalty_decision" ||
      doc.type == "payment_receipt")
    ReadAmount(doc, lines);
  if (doc.type.find("decision") != std::string::npos) ReadRemedy(doc, lines);
  if (doc.type.find("decision") != std::string::npos || doc.type.find("notice") != std::string::npos)
    ReadCitations(doc, lines);
  if (doc.type == "service_receipt") ReadService(doc, lines);
  if (doc.type == "seizure_decision" || doc.type == "extension_decision") ReadSeizure(doc, lines);
  if (doc.type == "toc") ReadToc(doc, lines, catalogue);
}

}  // namespace pingcha::catalogue
