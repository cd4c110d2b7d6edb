// The closed set of check kinds (rubrics/README.md), one function each.
#include <unicode/regex.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <set>

#include "stages/checks/calendar.h"
#include "stages/checks/engine.h"

namespace pingcha::checks {
namespace {

using Kind = Outcome::Kind;

Outcome Pass(std::string reason = "") { return {Kind::kPass, {}, std::move(reason)}; }
Outcome Manual(std::string reason) { return {Kind::kManual, {}, std::move(reason)}; }
Outcome NotApplicable(std::string reason) { return {Kind::kNotApplicable, {}, std::move(reason)}; }

std::string PageRange(const Document& d) {
  if (d.first_page == d.last_page) return "第" + std::to_string(d.first_page) + "页";
  return "第" + std::to_string(d.first_page) + "–" + std::to_string(d.last_page) + "页";
}

std::string Name(const Context& ctx, const std::string& type) {
  const DocType* t = ctx.catalogue.Find(type);
  return "《" + (t ? t->title : type) + "》";
}

std::string Named(const Context& ctx, const Document& d) { return Name(ctx, d.type) + "（" + PageRange(d) + "）"; }

std::vector<const Document*> OfTypes(const Case& c, const std::vector<std::string>& types) {
  std::vector<const Document*> out;
  for (const auto& d : c.documents)
    if (std::find(types.begin(), types.end(), d.type) != types.end()) out.push_back(&d);
  return out;
}

const Document* First(const Case& c, const std::string& type) {
  for (const auto& d : c.documents)
    if (d.type == type) return &d;
  return nullptr;
}

Evidence FromField(const Field& f) { return {f.page, f.box, f.text}; }

int CountMatches(const std::string& pattern, const std::string& text) {
  UErrorCode status = U_ZERO_ERROR;
  icu::UnicodeString input = icu::UnicodeString::fromUTF8(text);
  icu::RegexMatcher m(icu::UnicodeString::fromUTF8(pattern), input, 0, status);
  int n = 0;
  while (U_SUCCESS(status) && m.find(status)) ++n;
  return n;
}

// Evidence pointing at a whole document: its title line on its first page.
Evidence AtDocument(const Document& d) { return {d.first_page, {}, d.title}; }

bool AnyUnreadable(const Case& c) {
  return std::any_of(c.pages.begin(), c.pages.end(), [](const Page& p) { return !p.readable; });
}

// Pages whose document is not known: unread, or of no known type.
bool UnknownPages(const Case& c) {
  return AnyUnreadable(c) || std::any_of(c.documents.begin(), c.documents.end(), [](const Document& d) {
           return d.type.empty() || d.type == "unknown";
         });
}

// A document's field by name. "date" is the date read on the document or,
// when that could not be read, the date the 卷内目录 lists for it.
const Field* ListedDate(const Document& d) {
  auto listed = d.fields.find("listed_date");
  return listed == d.fields.end() ? nullptr : &listed->second;
}

std::optional<Field> FieldOf(const Document& d, const std::string& name) {
  if (name == "date" && d.date) return d.date;
  if (name == "date") {
    const Field* listed = ListedDate(d);
    return listed ? std::optional<Field>(*listed) : std::nullopt;
  }
  if (name == "doc_number") return d.doc_number;
  auto it = d.fields.find(name);
  if (it == d.fields.end()) return std::nullopt;
  return it->second;
}

// When the date read on a document differs from the date the 卷内目录 lists
// for it, which is right is the reviewer's call (a 落款 misread under a
// seal, or a table copied wrong): the sentence saying so, else "".
std::string DateConflict(const Document& d, const Context& ctx) {
  const Field* listed = ListedDate(d);
  if (!d.date || !listed || listed->value == d.date->value) return "";
  return Named(ctx, d) + "落款日期（" + d.date->value + "）与卷内目录所载日期（" + listed->value + "）不一致";
}

// A field's value as a reason sentence quotes it; a date taken from the
// 卷内目录 says so, so the reviewer knows where to look.
std::string Quoted(const Document& d, const std::string& name, const Field& f) {
  return name == "date" && !d.date ? f.value + "，卷内目录所载，落款日期未能识别" : f.value;
}

bool RegexFind(const std::string& pattern, const std::string& text) {
  UErrorCode status = U_ZERO_ERROR;
  icu::UnicodeString input = icu::UnicodeString::fromUTF8(text);
  icu::RegexMatcher m(icu::UnicodeString::fromUTF8(pattern), input, 0, status);
  return U_SUCCESS(status) && m.find(status);
}

// How far apart two 文号 are, tolerant of OCR slips in the agency prefix:
// same year and serial number, the prefixes' edit distance; -1 when the
// year or serial differ (or one is no 文号).
int DocNumberDistance(const std::string& a, const std::string& b) {
  if (a == b) return 0;
  auto split = [](const std::string& s, icu::UnicodeString* org, std::string* rest) {
    icu::UnicodeString u = icu::UnicodeString::fromUTF8(s);
    int32_t p = u.indexOf(static_cast<UChar>(0x3014));  // 〔
    if (p < 0) return false;
    *org = icu::UnicodeString(u, 0, p);  // a copy: u dies here
    u.tempSubString(p).toUTF8String(*rest);
    return true;
  };
  icu::UnicodeString oa, ob;
  std::string ra, rb;
  if (!split(a, &oa, &ra) || !split(b, &ob, &rb)) return -1;
  // "〔2021〕第12号" and "〔2021〕12号" are the same number.
  for (std::string* r : {&ra, &rb})
    if (auto p = r->find("第"); p != std::string::npos) r->erase(p, std::string("第").size());
  if (ra != rb) return -1;
  // Edit distance on UTF-16 units (prefixes are BMP Han).
  const int n = oa.length(), m = ob.length();
  std::vector<int> prev(static_cast<std::size_t>(m) + 1), cur(static_cast<std::size_t>(m) + 1);
  for (int j = 0; j <= m; ++j) prev[static_cast<std::size_t>(j)] = j;
  for (int i = 1; i <= n; ++i) {
    cur[0] = i;
    for (int j = 1; j <= m; ++j)
      cur[static_cast<std::size_t>(j)] = std::min({prev[static_cast<std::size_t>(j)] + 1, cur[static_cast<std::size_t>(j - 1)] + 1,
                                                   prev[static_cast<std::size_t>(j - 1)] + (oa[i - 1] == ob[j - 1] ? 0 : 1)});
    std::swap(prev, cur);
  }
  return prev[static_cast<std::size_t>(m)];
}

// The same 文号, read with at most two slips in the prefix.
bool SameDocNumber(const std::string& a, const std::string& b) {
  const int d = DocNumberDistance(a, b);
  return d >= 0 && d <= 2;
}

Outcome DocumentRequired(const CheckSpec& s, const Case& c, const Context& ctx) {
  if (!OfTypes(c, s.documents).empty()) return Pass();
  std::string names;
  for (const auto& t : s.documents) names += (names.empty() ? "" : "或") + Name(ctx, t);
  if (AnyUnreadable(c)) return Manual("未找到" + names + "，但有页面无法识别，需人工核对");
  Outcome o{Kind::kHit, {}, ""};
  o.hits.push_back({0, "案卷中未见" + names, {}, ""});
  return o;
}

Outcome SealRequired(const CheckSpec& s, const Case& c, const Context& ctx) {
  auto docs = OfTypes(c, s.documents);
  if (docs.empty()) return NotApplicable("案卷中无" + Name(ctx, s.documents.front()));
  Outcome o{Kind::kPass, {}, ""};
  std::string manual;
  for (const Document* d : docs) {
    if (!d->seals.empty()) continue;
    if (!d->seal_colour_known) { manual += Named(ctx, *d) + "为灰度扫描，无法判断是否加盖红色印章；"; continue; }
    if (!d->readable) { manual += Named(ctx, *d) + "有页面无法识别；"; continue; }
    o.kind = Kind::kHit;
    Evidence ev = d->date ? FromField(*d->date) : AtDocument(*d);
    if (d->date) ev.page = d->date->page;
    o.hits.push_back({0, Named(ctx, *d) + "未见执法机关印章", {ev}, ""});
  }
  if (o.kind == Kind::kPass && !manual.empty()) return Manual(manual);
  return o;
}

Outcome SealOwner(const CheckSpec& s, const Case& c, const Context& ctx) {
  auto docs = OfTypes(c, s.documents);
  Outcome o{Kind::kPass, {}, ""};
  bool any_seal = false, unread = false;
  for (const Document* d : docs) {
    for (const auto& seal : d->seals) {
      any_seal = true;
      if (!seal.is_agency_seal.has_value()) { unread = true; continue; }
      if (*seal.is_agency_seal) continue;
      o.kind = Kind::kHit;
      std::string owner = seal.owner.value_or("");
      // □: a character the ring holds but print over it hides.
      const bool hidden = owner.find("□") != std::string::npos;
      o.hits.push_back({0, Named(ctx, *d) + "所盖印章文字为“" + owner + "”" +
                               (hidden ? "（□为被文字遮盖、未能识别的字，机关名称之后另有文字，系内设机构印章）" : "") +
                               "，与执法机关“" + c.agency + "”不一致",
                        {{seal.page, seal.bbox, owner}}, seal.crop_png});
    }
  }
  if (o.kind == Kind::kHit) return o;
  if (!any_seal) return NotApplicable("无可核对的印章");
  if (unread) return Manual("部分印章文字无法识别，需人工核对印章名称");
  return o;
}

Outcome PartySigned(const CheckSpec& s, const Case& c, const Context& ctx) {
  auto docs = OfTypes(c, s.documents);
  if (docs.empty()) return NotApplicable("案卷中无" + Name(ctx, s.documents.front()));
  Outcome o{Kind::kPass, {}, ""};
  std::string manual;
  for (const Document* d : docs) {
    if (d->party_signed == std::optional<bool>(false)) {
      o.kind = Kind::kHit;
      o.hits.push_back({0, Named(ctx, *d) + "当事人（受送达人）签名处空白", {AtDocument(*d)}, ""});
    } else if (!d->party_signed.has_value()) {
      manual += Named(ctx, *d) + "未能确认当事人签名；";
    }
  }
  if (o.kind == Kind::kPass && !manual.empty()) return Manual(manual);
  return o;
}

Outcome OfficersCertified(const CheckSpec& s, const Case& c, const Context& ctx) {
  auto docs = OfTypes(c, s.documents);
  if (docs.empty()) return NotApplicable("案卷中无" + Name(ctx, s.documents.front()));
  Outcome o{Kind::kPass, {}, ""};
  std::string manual;
  for (const Document* d : docs) {
    int certified = 0;
    for (const auto& off : d->officers) certified += off.certificate.has_value();
    if (certified >= s.min_count) continue;
    if (!d->readable) { manual += Named(ctx, *d) + "有页面无法识别；"; continue; }
    // The text names more certificates than could be read: an OCR problem,
    // not a missing certificate.
    // A certificate's mention: 执法证号, or what is left of it (执法证, 证号) —
    // not 出示执法证件, not 身份证号.
    int mentions = CountMatches("执法证号|执法证(?!件)|(?<!身份)证号", d->text);
    if (mentions >= s.min_count) {
      manual += Named(ctx, *d) + "载有执法证号字样但号码未能全部识别；";
      continue;
    }
    o.kind = Kind::kHit;
    std::vector<Evidence> ev;
    for (const auto& off : d->officers) ev.push_back({off.page, off.box, off.text});
    if (ev.empty()) ev.push_back(AtDocument(*d));
    o.hits.push_back({0, Named(ctx, *d) + "载明执法证号的执法人员" + std::to_string(certified) + "名，少于" +
                             std::to_string(s.min_count) + "名", ev, ""});
  }
  if (o.kind == Kind::kPass && !manual.empty()) return Manual(manual);
  return o;
}

Outcome DateOrder(const CheckSpec& s, const Case& c, const Context& ctx) {
  const Document* a = First(c, s.before);
  const Document* b = First(c, s.after);
  if (!a || !b) return NotApplicable("缺少需比较日期的文书");
  for (const Document* d : {a, b})
    if (std::string conflict = DateConflict(*d, ctx); !conflict.empty()) return Manual(conflict + "，需人工核对先后顺序");
  auto fa = FieldOf(*a, "date"), fb = FieldOf(*b, "date");
  if (!fa || !fb) return Manual(Name(ctx, !fa ? a->type : b->type) + "日期无法识别，需人工核对先后顺序");
  auto da = ParseIso(fa->value), db = ParseIso(fb->value);
  if (!da || !db) return Manual("日期无法解析");
  if (*da <= *db) return Pass();
  Outcome o{Kind::kHit, {}, ""};
  o.hits.push_back({0, Named(ctx, *a) + "日期（" + Quoted(*a, "date", *fa) + "）晚于" + Named(ctx, *b) + "日期（" +
                           Quoted(*b, "date", *fb) + "），程序倒置",
                    {FromField(*fa), FromField(*fb)}, ""});
  return o;
}

// The receipt that served `from`: it cites from's 文号 or names its title;
// else the earliest receipt dated on or after it (the most favourable).
const Document* ServingReceipt(const Case& c, const Document& from, const std::string& to_field) {
  const Document* best = nullptr;
  auto from_date = FieldOf(from, "date");
  std::optional<long> from_day = from_date ? ParseIso(from_date->value) : std::nullopt;
  for (const auto& d : c.documents) {
    if (d.type != "service_receipt") continue;
    auto served = d.fields.find("served_doc_number");
    if (from.doc_number && served != d.fields.end() && SameDocNumber(served->second.value, from.doc_number->value)) {
      // The case's numbers differ in one character (东农告〔2021〕11号, 东农罚〔2021〕11号): the
      // receipt serves `from` only if no other document's number is nearer.
      const int mine = DocNumberDistance(served->second.value, from.doc_number->value);
      const bool nearer_other = std::any_of(c.documents.begin(), c.documents.end(), [&](const Document& o) {
        if (&o == &from || !o.doc_number) return false;
        const int other = DocNumberDistance(served->second.value, o.doc_number->value);
        return other >= 0 && other < mine;
      });
      if (!nearer_other) return &d;
      continue;
    }
    auto title = d.fields.find("served_doc_title");
    if (title != d.fields.end() && !from.title.empty() && title->second.value.find(from.title) != std::string::npos) return &d;
  }
  for (const auto& d : c.documents) {
    if (d.type != "service_receipt") continue;
    auto f = FieldOf(d, to_field);
    if (!f) continue;
    auto day = ParseIso(f->value);
    if (!day || (from_day && *day < *from_day)) continue;
    auto bf = best ? FieldOf(*best, to_field) : std::nullopt;
    if (!best || (bf && *day < *ParseIso(bf->value))) best = &d;
  }
  return best;
}

Outcome Deadline(const CheckSpec& s, const Case& c, const Context& ctx) {
  const Document* from = First(c, s.from);
  if (!from) return NotApplicable("案卷中无" + Name(ctx, s.from));
  const Document* to = s.to == "service_receipt" ? ServingReceipt(c, *from, s.to_field) : First(c, s.to);
  if (!to) {
    if (!First(c, s.to)) return NotApplicable("案卷中无" + Name(ctx, s.to));
    return Manual("未能确定送达" + Name(ctx, s.from) + "的送达回证或其日期");
  }
  for (const auto& [d, field] : {std::pair{from, s.from_field}, std::pair{to, s.to_field}})
    if (std::string conflict = field == "date" ? DateConflict(*d, ctx) : ""; !conflict.empty())
      return Manual(conflict + "，需人工核对期限");
  auto ff = FieldOf(*from, s.from_field);
  auto tf = FieldOf(*to, s.to_field);
  if (!ff || !tf) return Manual(Name(ctx, !ff ? from->type : to->type) + "日期无法识别，需人工核对期限");
  auto d0 = ParseIso(ff->value), d1 = ParseIso(tf->value);
  if (!d0 || !d1) return Manual("日期无法解析");
  const Period* period = nullptr;
  for (const auto& p : s.periods) {
    auto start = p.from.empty() ? std::optional<long>(LONG_MIN) : ParseIso(p.from);
    if (start && *start <= *d0 && (!period || p.from >= period->from)) period = &p;
  }
  if (!period) return NotApplicable(Name(ctx, s.from) + "日期（" + ff->value + "）早于该期限规定的施行日");
  if (period->unit == "working" && (!Covers(ctx.calendar, *d0) || !Covers(ctx.calendar, *d1)))
    return Manual("工作日历未覆盖" + ff->value + "至" + tf->value + "，需人工计算期限");
  long end = PeriodEnd(ctx.calendar, *d0, period->days, period->unit);
  if (*d1 <= end) return Pass();
  std::string unit = period->unit == "working" ? "个工作日" : "日";
  std::string limit = period->days == 0 ? "应当日完成" : "超过" + std::to_string(period->days) + unit + "（期限届满日" + FormatIso(end) + "）";
  Outcome o{Kind::kHit, {}, ""};
  o.hits.push_back({0, Name(ctx, to->type) + "日期（" + Quoted(*to, s.to_field, *tf) + "）晚于" + Name(ctx, from->type) + "日期（" +
                           Quoted(*from, s.from_field, *ff) + "）" + std::to_string(*d1 - *d0) + "日，" + limit +
                           (period->law.empty() ? "" : "，依据" + period->law),
                    {FromField(*ff), FromField(*tf)}, ""});
  return o;
}

Outcome TextRequired(const CheckSpec& s, const Case& c, const Context& ctx) {
  auto docs = OfTypes(c, s.documents);
  if (docs.empty()) return NotApplicable("案卷中无" + Name(ctx, s.documents.front()));
  Outcome o{Kind::kPass, {}, ""};
  std::string manual;
  for (const Document* d : docs) {
    std::vector<std::string> missing;
    for (const auto& p : s.patterns)
      if (!RegexFind(p, d->text)) missing.push_back(p);
    if (missing.empty()) continue;
    if (!d->readable) { manual += Named(ctx, *d) + "有页面无法识别；"; continue; }
    // Part of the required text is there and a seal is stamped on the
    // document (or may be: a grey scan hides seals): the rest may lie under
    // the seal, where OCR cannot read it.
    if (missing.size() < s.patterns.size() && (!d->seals.empty() || !d->seal_colour_known)) {
      manual += Named(ctx, *d) + "部分规定内容可能被印章覆盖，未能识别；";
      continue;
    }
    std::string what;
    for (const auto& m : missing) what += (what.empty() ? "" : "、") + m;
    o.kind = Kind::kHit;
    auto remedy = d->fields.find("remedy_clause");
    Evidence ev = remedy != d->fields.end() ? FromField(remedy->second) : Evidence{d->last_page, {}, ""};
    o.hits.push_back({0, Named(ctx, *d) + "未载明规定内容（" + what + "）", {ev}, ""});
  }
  if (o.kind == Kind::kPass && !manual.empty()) return Manual(manual);
  return o;
}

// A cited 文号 that differs from the case's numbers the way misreading does,
// not the way a wrong citation does: the year and number of one of them
// under a garbled prefix (全下你站作何〔2021〕10号), or one of them with a digit
// lost (〔2021〕第02号 for 第029号). Why, or nothing.
std::optional<std::string> MisreadDocNumber(const std::string& cited, const std::vector<Field>& targets) {
  auto serial = [](const std::string& n) {
    auto close = n.find("〕");
    std::string digits;
    if (close == std::string::npos) return digits;
    for (std::size_t i = close; i < n.size(); ++i)
      if (std::isdigit(static_cast<unsigned char>(n[i]))) digits += n[i];
    return digits;
  };
  auto year = [](const std::string& n) {
    auto open = n.find("〔");
    return open == std::string::npos ? std::string() : n.substr(open + std::string("〔").size(), 4);
  };
  for (const auto& t : targets) {
    if (DocNumberDistance(cited, t.value) > 2) return std::string("的机关代字未能识别");
    const std::string a = serial(cited), b = serial(t.value);
    const bool lost_digit = !a.empty() && !b.empty() && a.size() + 1 == b.size() &&
                            (b.compare(0, a.size(), a) == 0 || b.compare(1, a.size(), a) == 0);
    if (lost_digit && year(cited) == year(t.value)) return std::string("疑为“" + t.value + "”漏识一位数字");
  }
  return std::nullopt;
}

Outcome FieldConsistent(const CheckSpec& s, const Case& c, const Context& ctx) {
  auto froms = OfTypes(c, {s.from});
  if (froms.empty()) return NotApplicable("案卷中无" + Name(ctx, s.from));
  std::vector<Field> targets;
  for (const auto& d : c.documents) {
    if (d.type == s.from) continue;
    if (!s.documents.empty() && std::find(s.documents.begin(), s.documents.end(), d.type) == s.documents.end()) continue;
    if (auto f = FieldOf(d, s.to_field)) targets.push_back(*f);
  }
  Outcome o{Kind::kPass, {}, ""};
  std::string manual;
  for (const Document* d : froms) {
    auto f = FieldOf(*d, s.from_field);
    if (!f) { manual += Named(ctx, *d) + "未能识别所列文号；"; continue; }
    if (targets.empty()) { manual += "未能识别被送达文书的文号；"; continue; }
    bool match = std::any_of(targets.begin(), targets.end(), [&](const Field& t) { return SameDocNumber(f->value, t.value); });
    if (match) continue;
    if (auto why = MisreadDocNumber(f->value, targets)) {
      manual += Named(ctx, *d) + "所列文号“" + f->value + "”" + *why + "，需人工核对；";
      continue;
    }
    std::string known;
    for (const auto& t : targets) known += (known.empty() ? "" : "、") + t.value;
    o.kind = Kind::kHit;
    std::vector<Evidence> ev = {FromField(*f)};
    for (const auto& t : targets) ev.push_back(FromField(t));
    o.hits.push_back({0, Named(ctx, *d) + "所列文号“" + f->value + "”与案卷文书文号（" + known + "）不一致", ev, ""});
  }
  if (o.kind == Kind::kPass && !manual.empty()) return Manual(manual);
  return o;
}

Outcome ValueMax(const CheckSpec& s, const Case& c, const Context& ctx) {
  auto docs = OfTypes(c, s.documents);
  if (docs.empty()) return NotApplicable("案卷中无" + Name(ctx, s.documents.front()));
  Outcome o{Kind::kPass, {}, ""};
  std::string manual;
  for (const Document* d : docs) {
    auto f = FieldOf(*d, s.field);
    if (!f) { manual += Named(ctx, *d) + "未能识别" + s.field + "；"; continue; }
    double v = std::atof(f->value.c_str());
    if (v <= s.max_value) continue;
    o.kind = Kind::kHit;
    char buf[64];
    std::snprintf(buf, sizeof buf, "%g", s.max_value);
    o.hits.push_back({0, Named(ctx, *d) + "载明的期限（" + f->value + "日）超过法定" + buf + "日且无延长决定", {FromField(*f)}, ""});
  }
  if (o.kind == Kind::kPass && !manual.empty()) return Manual(manual);
  return o;
}

Outcome BindingOrder(const CheckSpec& s, const Case& c, const Context& ctx) {
  std::map<std::string, int> rank;
  for (std::size_t i = 0; i < s.order.size(); ++i) rank.emplace(s.order[i], static_cast<int>(i));
  const Document* prev = nullptr;
  for (const auto& d : c.documents) {
    auto it = rank.find(d.type);
    if (it == rank.end()) continue;
    if (prev && rank.at(prev->type) > it->second) {
      Outcome o{Kind::kHit, {}, ""};
      o.hits.push_back({0, Named(ctx, *prev) + "装订在" + Named(ctx, d) + "之前，未按程序顺序组卷",
                        {AtDocument(*prev), AtDocument(d)}, ""});
      return o;
    }
    if (!prev || rank.at(prev->type) <= it->second) prev = &d;
  }
  // A page not known may be a document bound out of order.
  if (UnknownPages(c)) return Manual("有页面未能识别文书类型，装订顺序需人工核对");
  return Pass();
}

// Printed page numbers run 1..N over the numbered pages. A single page
// whose number fits neither neighbour is a misreading; a gap or a repeat
// shifts the numbering for good, so it must be confirmed by the pages after
// it (and before it).
Outcome PageNumbering(const CheckSpec&, const Case& c, const Context&) {
  // Cover, table of contents and backup note carry no page numbers.
  std::set<int> unnumbered;
  for (const auto& d : c.documents)
    if (d.type == "cover" || d.type == "toc" || d.type == "backup_note")
      for (int p = d.first_page; p <= d.last_page; ++p) unnumbered.insert(p);
  std::vector<const Page*> eligible;
  for (const auto& p : c.pages)
    if (!p.blank && !unnumbered.count(p.number)) eligible.push_back(&p);
  if (eligible.empty()) return NotApplicable("无需编页码的页面");
  // offset = printed number − position among the numbered pages.
  std::vector<std::pair<std::size_t, int>> offsets;  // (position, offset)
  for (std::size_t i = 0; i < eligible.size(); ++i) {
    const auto& n = eligible[i]->printed_number;
    if (!n || n->empty() || n->size() > 4) continue;
    offsets.emplace_back(i, std::atoi(n->c_str()) - static_cast<int>(i));
  }
  if (offsets.size() * 2 < eligible.size())
    return Manual("仅识别到" + std::to_string(offsets.size()) + "/" + std::to_string(eligible.size()) +
                  "页的页码，需人工核对");
  // Runs of equal offsets; runs of one page between agreeing runs are misreadings.
  struct Run { int offset; std::size_t first, last, count; };
  std::vector<Run> runs;
  for (const auto& [pos, off] : offsets) {
    if (!runs.empty() && runs.back().offset == off) { runs.back().last = pos; ++runs.back().count; }
    else runs.push_back({off, pos, pos, 1});
  }
  std::vector<Run> solid;
  for (const auto& r : runs)
    if (r.count >= 2) {
      if (!solid.empty() && solid.back().offset == r.offset) { solid.back().last = r.last; solid.back().count += r.count; }
      else solid.push_back(r);
    }
  std::size_t noise = 0;
  for (const auto& r : runs) noise += r.count < 2 ? 1 : 0;
  if (noise * 3 > offsets.size()) return Manual("页码识别不稳定，需人工核对");
  for (std::size_t k = 1; k < solid.size(); ++k) {
    const Page* before = eligible[solid[k - 1].last];
    const Page* after = eligible[solid[k].first];
    int delta = solid[k].offset - solid[k - 1].offset;
    std::string what = delta > 0 ? "漏号" : (delta == -1 && solid[k].first == solid[k - 1].last + 1 ? "重号" : "顺序混乱");
    Outcome o{Kind::kHit, {}, ""};
    o.hits.push_back({0, "第" + std::to_string(before->number) + "页页码为" + *before->printed_number + "，第" +
                             std::to_string(after->number) + "页页码为" + *after->printed_number + "，页码" + what,
                      {{before->number, before->printed_number_box.value_or(BBox{}), *before->printed_number},
                       {after->number, after->printed_number_box.value_or(BBox{}), *after->printed_number}}, ""});
    return o;
  }
  if (solid.empty()) return Manual("页码识别不稳定，需人工核对");
  if (solid.front().offset != 1) {
    // Numbering does not start at 1 (offset 1: position 0 carries "1").
    const Page* first = eligible[solid.front().first];
    if (solid.front().first == 0 || solid.front().count >= 3) {
      Outcome o{Kind::kHit, {}, ""};
      o.hits.push_back({0, "页码未从1开始连续编号（第" + std::to_string(first->number) + "页页码为" + *first->printed_number + "）",
                        {{first->number, first->printed_number_box.value_or(BBox{}), *first->printed_number}}, ""});
      return o;
    }
  }
  return Pass();
}

Outcome TocMatches(const CheckSpec&, const Case& c, const Context& ctx) {
  const Document* toc = First(c, "toc");
  if (!toc) return NotApplicable("案卷中无卷内目录");
  if (toc->toc_rows.empty()) return Manual("卷内目录内容无法识别，需人工核对");
  for (const auto& row : toc->toc_rows) {
    if (!row.catalogued) {
      // A type the catalogue does not hold: present if its title is printed
      // anywhere in the case; undecidable while some pages are not known.
      bool printed = std::any_of(c.documents.begin(), c.documents.end(), [&](const Document& d) {
        return &d != toc && d.text.find(row.title) != std::string::npos;
      });
      if (printed) continue;
      if (UnknownPages(c)) return Manual("卷内目录所列《" + row.title + "》未找到，但有页面未能识别文书类型");
      Outcome o{Kind::kHit, {}, ""};
      o.hits.push_back({0, "卷内目录列有《" + row.title + "》，案卷中未见该文书", {{row.page, row.box, row.title}}, ""});
      return o;
    }
    std::string type;
    for (const auto& t : ctx.catalogue.types)
      if (t.title == row.title) type = t.id;
    // Evidence (photos, copies) carries no printed title to find it by.
    if (type.empty() || type == "evidence" || First(c, type)) continue;
    if (AnyUnreadable(c)) return Manual("卷内目录所列" + Name(ctx, type) + "未找到，但有页面无法识别");
    Outcome o{Kind::kHit, {}, ""};
    o.hits.push_back({0, "卷内目录列有" + Name(ctx, type) + "，案卷中未见该文书", {{row.page, row.box, row.title}}, ""});
    return o;
  }
  return Pass();
}

}  // namespace

Outcome RunCheck(const CheckSpec& s, double item_points, const Case& c, const Context& ctx) {
  Outcome o;
  if (s.kind == "document_required") o = DocumentRequired(s, c, ctx);
  else if (s.kind == "seal_required") o = SealRequired(s, c, ctx);
  else if (s.kind == "seal_owner") o = SealOwner(s, c, ctx);
  else if (s.kind == "party_signed") o = PartySigned(s, c, ctx);
  else if (s.kind == "officers_certified") o = OfficersCertified(s, c, ctx);
  else if (s.kind == "date_order") o = DateOrder(s, c, ctx);
  else if (s.kind == "deadline") o = Deadline(s, c, ctx);
  else if (s.kind == "text_required") o = TextRequired(s, c, ctx);
  else if (s.kind == "field_consistent") o = FieldConsistent(s, c, ctx);
  else if (s.kind == "value_max") o = ValueMax(s, c, ctx);
  else if (s.kind == "binding_order") o = BindingOrder(s, c, ctx);
  else if (s.kind == "page_numbering") o = PageNumbering(s, c, ctx);
  else if (s.kind == "toc_matches") o = TocMatches(s, c, ctx);
  else return Manual("未知的检查类型 " + s.kind);
  for (auto& h : o.hits) h.deduct = s.deduct.value_or(item_points);
  return o;
}

}  // namespace pingcha::checks
