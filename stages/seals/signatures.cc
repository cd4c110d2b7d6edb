// Signature areas: a label such as 被询问人（签名）： followed by handwriting.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstring>
#include <optional>
#include <iterator>
#include <string>
#include <string_view>

#include "stages/seals/seals.h"

namespace pingcha::seals {
namespace {

struct Label {
  const char* who;
  const char* role;
};

// Who signs. Party labels first so "当事人" is not taken for an officer.
constexpr Label kLabels[] = {
    {"被检查单位负责人", "party"}, {"被复查单位负责人", "party"}, {"陈述申辩人", "party"}, {"申辩人", "party"},
    {"被复查人", "party"}, {"被调查人", "party"}, {"委托代理人", "party"}, {"法定代表人", "party"},
    {"被询问人", "party"}, {"被检查人", "party"}, {"受送达人", "party"}, {"当事人", "party"},
    {"被处罚人", "party"}, {"申请人", "party"},   {"签收人", "party"},   {"代收人", "party"},
    {"被核查人", "party"}, {"被检查单位", "party"}, {"受检单位", "party"}, {"被执行人", "party"},
    {"行政相对人", "party"}, {"相对人", "party"},
    {"见证人", "other"},   {"执法人员", "officer"}, {"办案人员", "officer"}, {"询问人", "officer"},
    {"记录人", "officer"}, {"检查人员", "officer"}, {"检查人", "officer"}, {"送达人", "officer"}, {"承办人", "officer"},
    {"经办人", "officer"}, {"调查人", "officer"}, {"勘验人", "officer"},
    {"核查人员", "officer"}, {"核查人", "officer"}, {"复查人员", "officer"}, {"复查人", "officer"},
};

std::size_t CodePoints(const std::string& s, std::size_t byte_end) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < byte_end && i < s.size(); ++i)
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) ++n;
  return n;
}

// x (fraction) where the code point with index `cp` ends, from word boxes.
double XAfter(const TextLine& line, std::size_t cp) {
  std::size_t seen = 0;
  for (const auto& w : line.words) {
    std::size_t n = CodePoints(w.text, w.text.size());
    if (seen + n >= cp) {
      // A label's last character glued to what follows (":一" where the
      // signature begins): what follows starts where the word does.
      if (cp > seen && cp < seen + n) return w.box.x0;
      double frac = n ? static_cast<double>(cp - seen) / static_cast<double>(n) : 1.0;
      return w.box.x0 + frac * w.box.width();
    }
    seen += n;
  }
  std::size_t total = CodePoints(line.text, line.text.size());
  return line.box.x0 + line.box.width() * (total ? static_cast<double>(cp) / static_cast<double>(total) : 1.0);
}

// Ink (in line-height² units) above which a signature area counts as signed.
constexpr double kSignedInk = 0.12;

// A word the recogniser made of a signature on the label's own line
// ("当事人（签名）：一产汪一 第1页共1页") is confident often enough. After
// the label, only what a form prints there is print: a date, a page footer,
// a bracket.
bool PrintedAfterLabel(const std::string& word) {
  static const char* const kPrint[] = {"年", "月", "日", "〇", "○", "零", "一", "二", "三", "四", "五", "六",
                                       "七", "八", "九", "十", "第", "页", "共", "（", "）", "：", "盖", "章"};
  for (std::size_t i = 0; i < word.size();) {
    if (std::string_view("0123456789.-/()[]|: ").find(word[i]) != std::string_view::npos) { ++i; continue; }
    const char* const* hit = std::find_if(std::begin(kPrint), std::end(kPrint),
                                          [&](const char* p) { return word.compare(i, std::strlen(p), p) == 0; });
    if (hit == std::end(kPrint)) return false;
    i += std::strlen(*hit);
  }
  return true;
}

// The UTF-8 characters of `t`, each with its byte offset.
std::vector<std::pair<std::size_t, std::string>> Chars(const std::string& t) {
  std::vector<std::pair<std::size_t, std::string>> out;
  for (std::size_t i = 0; i < t.size();) {
    const unsigned char c = static_cast<unsigned char>(t[i]);
    const std::size_t n = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : 4;
    out.push_back({i, t.substr(i, n)});
    i += n;
  }
  return out;
}

// A signature cell's date with the signature read as a few characters in
// front of it, on one line ("全一到2021年11月2日", "Speed 2021年7月5日"): the
// code points before the print, when they are 1–4 characters (a run of
// Latin letters counting as one) and the rest is print (a date, not after a
// label's colon); else 0.
std::size_t SignatureBeforeDate(const std::string& text) {
  std::size_t lead = 0, rest_at = 0;  // code points to the last unprinted one, and its byte end
  std::size_t marks = 0;              // unprinted characters; a run of Latin letters is one ("Speed")
  const auto chars = Chars(text);
  auto latin = [&](std::size_t k) { return chars[k].second.size() == 1 && std::isalpha(static_cast<unsigned char>(chars[k].second[0])); };
  for (std::size_t k = 0; k < chars.size(); ++k)
    if (!PrintedAfterLabel(chars[k].second)) {
      if (!(latin(k) && k > 0 && latin(k - 1))) ++marks;
      lead = k + 1;
      rest_at = chars[k].first + chars[k].second.size();
    }
  const std::string rest = text.substr(rest_at);
  const bool dated = rest.find("年") != std::string::npos && rest.find("月") != std::string::npos;
  // A label before its colon (日期：) is print.
  const bool labelled = rest.rfind("：", 0) == 0 || rest.rfind(":", 0) == 0;
  return marks >= 1 && marks <= 4 && dated && !labelled ? lead : 0;
}

// Handwriting ink in `area`, in units of the label line's height squared
// (a signed name of two or three characters gives ≈ 0.3–1). Confidently read
// printed words are skipped, and so are table rules: rows or columns of the
// area that are dark across most of its width or height. Only the rows
// between the rules above and below `anchor_y` (a fraction of the page)
// count: the label's table row, not the next row's printed words.
double InkAmount(const Image& rgb, const BBox& area, const std::vector<TextLine>& lines, double line_h, double anchor_y,
                 const TextLine& label, std::size_t label_end) {
  std::vector<BBox> printed;
  for (const auto& l : lines) {
    std::size_t cp = 0;
    const std::size_t lead = &l == &label ? 0 : SignatureBeforeDate(l.text);
    for (const auto& w : l.words) {
      const bool after_label = &l == &label && cp >= label_end;
      const std::size_t first = cp;
      cp += CodePoints(w.text, w.text.size());
      // Print is about a glyph wide per character: a "一" as wide as a name
      // is a signature's stroke.
      const double wpx = w.box.width() * rgb.width, hpx = std::max(1.0, w.box.height() * rgb.height);
      const bool glyph_wide = wpx <= 1.6 * hpx * static_cast<double>(std::max<std::size_t>(1, CodePoints(w.text, w.text.size())));
      if (w.confidence >= 0.8 && glyph_wide && (!after_label || PrintedAfterLabel(w.text)) && w.box.x1 > area.x0 &&
          w.box.x0 < area.x1 && w.box.y1 > area.y0 && w.box.y0 < area.y1) {
        // Below the label, a signature read as characters before the date:
        // only the date is print.
        BBox print = w.box;
        const std::size_t n = CodePoints(w.text, w.text.size());
        if (lead > first && n > 0) {
          if (lead >= first + n) continue;
          print.x0 += w.box.width() * static_cast<double>(lead - first) / static_cast<double>(n);
        }
        printed.push_back(print);
      }
    }
  }
  int x0 = static_cast<int>(area.x0 * rgb.width), x1 = static_cast<int>(area.x1 * rgb.width);
  int y0 = static_cast<int>(area.y0 * rgb.height), y1 = static_cast<int>(area.y1 * rgb.height);
  x0 = std::clamp(x0, 0, rgb.width); x1 = std::clamp(x1, 0, rgb.width);
  y0 = std::clamp(y0, 0, rgb.height); y1 = std::clamp(y1, 0, rgb.height);
  const int w = x1 - x0, h = y1 - y0;
  if (w <= 0 || h <= 0) return 0;
  std::vector<std::uint8_t> dark(static_cast<std::size_t>(w) * h, 0);
  for (int y = y0; y < y1; ++y)
    for (int x = x0; x < x1; ++x) {
      const std::uint8_t* p = rgb.at(x, y);
      int lum = rgb.channels == 3 ? (p[0] * 3 + p[1] * 6 + p[2]) / 10 : p[0];
      if (lum < 130 && !(rgb.channels == 3 && IsSealInk(p))) dark[static_cast<std::size_t>(y - y0) * w + (x - x0)] = 1;
    }
  // Rules: a row (column) with a long dark run.
  auto long_run = [](const std::uint8_t* v, int n, int stride, int need) {
    int run = 0;
    for (int i = 0; i < n; ++i) {
      run = v[static_cast<std::size_t>(i) * stride] ? run + 1 : 0;
      if (run >= need) return true;
    }
    return false;
  };
  std::vector<bool> rule_row(static_cast<std::size_t>(h)), rule_col(static_cast<std::size_t>(w));
  for (int y = 0; y < h; ++y) rule_row[y] = long_run(&dark[static_cast<std::size_t>(y) * w], w, 1, std::max(20, w / 3));
  for (int x = 0; x < w; ++x) rule_col[x] = long_run(&dark[static_cast<std::size_t>(x)], h, w, std::max(20, h * 2 / 3));
  const int anchor = static_cast<int>(anchor_y * rgb.height) - y0;
  int top = 0, bottom = h;
  for (int y = 0; y < h; ++y) {
    if (!rule_row[static_cast<std::size_t>(y)]) continue;
    if (y < anchor) top = y + 1;
    else if (y > anchor) { bottom = y; break; }
  }
  const double hp = std::max(4.0, line_h * rgb.height);
  // A rule is a few pixels thick, blurred on a scan: three rows (columns)
  // either side of one are rule too.
  auto widen = [](const std::vector<bool>& rule) {
    std::vector<bool> near(rule.size(), false);
    const int n = static_cast<int>(rule.size());
    for (int i = 0; i < n; ++i)
      if (rule[static_cast<std::size_t>(i)])
        for (int k = std::max(0, i - 3); k <= std::min(n - 1, i + 3); ++k) near[static_cast<std::size_t>(k)] = true;
    return near;
  };
  const std::vector<bool> near_row = widen(rule_row), near_col = widen(rule_col);
  std::vector<std::uint8_t> counted(dark.size(), 0);
  for (int y = top; y < bottom; ++y) {
    if (near_row[static_cast<std::size_t>(y)]) continue;
    double fy = static_cast<double>(y + y0) / rgb.height;
    for (int x = 0; x < w; ++x) {
      if (!dark[static_cast<std::size_t>(y) * w + x] || near_col[static_cast<std::size_t>(x)]) continue;
      double fx = static_cast<double>(x + x0) / rgb.width;
      bool in_printed = std::any_of(printed.begin(), printed.end(), [&](const BBox& b) {
        return fx >= b.x0 && fx <= b.x1 && fy >= b.y0 && fy <= b.y1;
      });
      if (!in_printed) counted[static_cast<std::size_t>(y) * w + x] = 1;
    }
  }
  // Pen strokes join into long connected runs; a scan's specks (grey scans
  // are full of them) are small and scattered. Only strokes count.
  const long long min_stroke = std::max(12LL, static_cast<long long>(hp * hp / 60));
  long long ink = 0;
  std::vector<int> stack;
  for (int start = 0; start < w * h; ++start) {
    if (!counted[static_cast<std::size_t>(start)]) continue;
    counted[static_cast<std::size_t>(start)] = 0;
    stack.assign(1, start);
    long long n = 0;
    int cx0 = w, cy0 = h, cx1 = 0, cy1 = 0;
    while (!stack.empty()) {
      const int i = stack.back();
      stack.pop_back();
      ++n;
      const int x = i % w, y = i / w;
      cx0 = std::min(cx0, x); cx1 = std::max(cx1, x); cy0 = std::min(cy0, y); cy1 = std::max(cy1, y);
      for (int dy = -1; dy <= 1; ++dy)
        for (int dx = -1; dx <= 1; ++dx) {
          const int nx = x + dx, ny = y + dy;
          if (nx < 0 || ny < 0 || nx >= w || ny >= h || !counted[static_cast<std::size_t>(ny) * w + nx]) continue;
          counted[static_cast<std::size_t>(ny) * w + nx] = 0;
          stack.push_back(ny * w + nx);
        }
    }
    // What is left of a rule (a slightly skewed one escapes the run test): a
    // long band a few pixels thick, ten times longer than thick.
    const int cw = cx1 - cx0 + 1, ch = cy1 - cy0 + 1;
    const bool rule_rest = (ch <= 12 && cw >= 10 * ch) || (cw <= 12 && ch >= 10 * cw);
    if (n >= min_stroke && !rule_rest) ink += n;
  }
  return static_cast<double>(ink) / (hp * hp);
}

// 签 under a signature is often misread (笠名, 符名, 等名, 答名, 等收,
// 答旬): a label is also the role, an optional bracket, then one character
// and 名 — but not a name field (姓名, 名称) — or a look-alike of 签 and
// anything. The position of that one character, or npos.
std::size_t MisreadSign(const std::string& t, std::size_t after) {
  static const char* const kLookAlikes[] = {"等", "笠", "答", "符", "筌", "荃", "莶", "竺", "簽"};
  std::size_t p = after;
  for (const char* open : {"（", "("})
    if (t.compare(p, std::string(open).size(), open) == 0) p += std::string(open).size();
  if (p >= t.size() || (static_cast<unsigned char>(t[p]) & 0xF0) != 0xE0) return std::string::npos;  // one CJK char
  // After the look-alike: 名 or its own look-alikes, 收 (签收), a bracket,
  // a colon or the line's end — never a word (当事人答辩, 当事人等有关人员).
  static const char* const kNext[] = {"名", "字", "收", "章", "旬", "各", "吕", "）", ")", "：", ":"};
  for (const char* like : kLookAlikes) {
    if (t.compare(p, 3, like) != 0) continue;
    if (p + 3 >= t.size()) return p;
    for (const char* next : kNext)
      if (t.compare(p + 3, std::string(next).size(), next) == 0) return p;
  }
  if (t.compare(p + 3, 3, "名") != 0 || t.compare(p, 3, "姓") == 0 || t.compare(p + 6, 3, "称") == 0) return std::string::npos;
  return p;
}

// A label of four or more characters garbled in up to a third of them before
// 签名 or a look-alike ("陈壕申状人答名" for 陈述申辩人签名). Such a label, like
// a misread 签, can show a signature but never prove one missing.
struct GarbledHit { std::size_t pos, end; const char* role; };
std::optional<GarbledHit> GarbledLabel(const std::string& t) {
  static const char* const kSign[] = {"签", "等", "笠", "答", "符"};
  const auto chars = Chars(t);
  for (std::size_t k = 1; k + 1 < chars.size(); ++k) {
    if (chars[k + 1].second != "名") continue;
    if (std::none_of(std::begin(kSign), std::end(kSign), [&](const char* s) { return chars[k].second == s; })) continue;
    // The label read whole, or — a table cell's label — with its first
    // character lost ("关达人签名" for 受送达人签名, party labels only).
    for (std::size_t lost : {0, 1}) {
      for (const auto& lab : kLabels) {
        const auto want = Chars(lab.who);
        if (want.size() < 4 || (lost && std::string(lab.role) != "party")) continue;
        const std::size_t n = want.size() - lost;
        if (n > k) continue;
        int diff = 0;
        for (std::size_t j = 0; j < n; ++j) diff += chars[k - n + j].second != want[j + lost].second;
        // The last character holds, and the first unless lost (陈…人): the
        // label's frame; a third of a whole label may be misread, one
        // character of a cut one.
        const bool frame = chars[k - 1].second == want.back().second && (lost || chars[k - n].second == want[0].second);
        if (frame && (lost ? diff <= 1 : diff * 3 <= static_cast<int>(n) + 1))
          return GarbledHit{chars[k - n].first, chars[k + 1].first + 3, lab.role};
      }
    }
  }
  return std::nullopt;
}

}  // namespace

// A signature label on a line of text: where it starts and ends (bytes),
// whose it is, and whether 签 was misread or the label garbled.
struct LabelHit {
  std::size_t pos, end;
  const char* role;
  bool misread;
};

// Every signature label on `t`, left to right.
std::vector<LabelHit> SignatureLabels(const std::string& t) {
  std::vector<LabelHit> hits;
  for (const auto& lab : kLabels) {
    std::string who = lab.who;
    for (std::size_t p = t.find(who); p != std::string::npos; p = t.find(who, p + 1)) {
      std::size_t tail = t.find("签", p + who.size());
      std::size_t seal = t.find("盖章", p + who.size());
      std::size_t mark = std::min(tail, seal);
      bool misread = false;
      if (mark == std::string::npos || mark - (p + who.size()) > 9) {
        mark = MisreadSign(t, p + who.size());
        misread = true;
      }
      if (mark == std::string::npos) continue;
      bool overlaps = std::any_of(hits.begin(), hits.end(), [&](const LabelHit& h) { return p >= h.pos && p < h.end; });
      if (overlaps) continue;
      std::size_t end = mark + 3;  // one CJK char
      // The label goes on: 签名（盖章）, 签名或盖章, 签字：
      for (bool more = true; more;) {
        more = false;
        for (const char* close : {"名", "字", "收", "章", "盖", "或", "（", "(", "〈", "）", ")", "〉", "：", ":"})
          if (t.compare(end, std::string(close).size(), close) == 0) {
            end += std::string(close).size();
            more = true;
          }
      }
      // 送达人签名（盖章） is the 受送达人's label with 受 lost: officers
      // serving a paper do not stamp it.
      const char* role = lab.role;
      if (who == "送达人" && t.find("盖章", p) != std::string::npos && t.find("盖章", p) < end) {
        role = "party";
        misread = true;
      }
      hits.push_back({p, end, role, misread});
    }
  }
  if (hits.empty())
    if (auto fuzzy = GarbledLabel(t)) hits.push_back({fuzzy->pos, fuzzy->end, fuzzy->role, true});
  std::sort(hits.begin(), hits.end(), [](const LabelHit& a, const LabelHit& b) { return a.pos < b.pos; });
  return hits;
}

std::vector<Mark> FindSignatureAreas(const Image& rgb, const std::vector<TextLine>& lines) {
  std::vector<Mark> out;
  for (const auto& line : lines) {
    const std::string& t = line.text;
    const std::vector<LabelHit> hits = SignatureLabels(t);
    const double h = std::max(line.box.height(), 0.012);
    for (std::size_t i = 0; i < hits.size(); ++i) {
      double x0 = XAfter(line, CodePoints(t, hits[i].end));
      double x1 = std::min(0.98, x0 + 0.45);
      if (i + 1 < hits.size()) x1 = std::min(x1, XAfter(line, CodePoints(t, hits[i + 1].pos)));
      // Forms put the signature beside the label or, in a table cell, a
      // little below it — in a tall cell up to three lines below (the
      // cell's rules bound it, see InkAmount).
      BBox area{x0, line.box.y0 - 0.6 * h, x1, line.box.y1 + 4.0 * h};
      double anchor = (line.box.y0 + line.box.y1) / 2;
      if (area.width() < 0.08) {  // label at the line's end: signature below it
        double lx = XAfter(line, CodePoints(t, hits[i].pos));
        area = {lx, line.box.y1, std::min(0.98, lx + 0.3), line.box.y1 + 2.5 * h};
        anchor = line.box.y1 + 0.6 * h;
      }
      // The area ends where the next printed line starts: another label
      // (核查人员签名 under 被核查人签名, also with 签 misread: 核查人员答名)
      // or confidently read print other than a date.
      for (const auto& l : lines) {
        if (&l == &line || l.box.y0 < line.box.y1 - 0.2 * h || l.box.y0 >= area.y1) continue;
        const bool beside = l.box.x1 > area.x0 && l.box.x0 < area.x1;
        double conf = 0;
        for (const auto& w : l.words) conf += w.confidence / static_cast<double>(l.words.size());
        // The date a signature cell prints beside the signature is part of
        // it, also with the signature read as characters before it.
        if (l.text.find("签") != std::string::npos || !SignatureLabels(l.text).empty() ||
            (beside && CodePoints(l.text, l.text.size()) >= 6 && conf >= 0.85 && !PrintedAfterLabel(l.text) &&
             !SignatureBeforeDate(l.text)))
          area.y1 = std::max(anchor + 0.5 * h, l.box.y0);
      }
      Mark m;
      m.role = hits[i].role;
      m.box = area;
      double amount = InkAmount(rgb, area, lines, h, anchor, line, CodePoints(t, hits[i].end));
      m.present = amount > kSignedInk;
      m.confidence = m.present ? std::min(1.0, 0.5 + amount) : std::min(1.0, 0.5 + (kSignedInk - amount) * 3);
      m.label = line.text;
      // A label read through a misread 签 is often misread because the
      // signature crosses it, and the scribble may be read as words: such a
      // label shows a signature, never proves one missing.
      if (hits[i].misread && !m.present) continue;
      out.push_back(std::move(m));
    }
  }
  return out;
}

}  // namespace pingcha::seals
