#include "stages/catalogue/text.h"

#include <unicode/normalizer2.h>
#include <unicode/regex.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <memory>
#include <vector>

namespace pingcha::catalogue {
namespace {

icu::UnicodeString U(std::string_view s) {
  return icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), static_cast<int32_t>(s.size())));
}
std::string S(const icu::UnicodeString& u) {
  std::string out;
  u.toUTF8String(out);
  return out;
}

bool IsChineseDigit(char32_t c) {
  return std::u32string_view(U"〇零一二三四五六七八九").find(c) != std::u32string_view::npos;
}

// Runs `pattern` over `text`, calling fn(matcher) for each match.
template <typename Fn>
void ForEachMatch(const char* pattern, std::string_view text, Fn fn) {
  UErrorCode status = U_ZERO_ERROR;
  icu::UnicodeString input = U(text);
  icu::RegexMatcher m(icu::UnicodeString::fromUTF8(pattern), input, 0, status);
  if (U_FAILURE(status)) return;
  while (m.find(status) && U_SUCCESS(status)) {
    if (!fn(m)) break;
  }
}

std::string Group(icu::RegexMatcher& m, int g) {
  UErrorCode status = U_ZERO_ERROR;
  if (m.start(g, status) < 0) return "";
  return S(m.group(g, status));
}

bool ValidDate(int y, int mo, int d) {
  if (y < 1990 || y > 2100 || mo < 1 || mo > 12 || d < 1) return false;
  static const int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (d > kDays[mo - 1]) return false;
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return !(mo == 2 && d == 29 && !leap);
}

std::string Iso(int y, int mo, int d) {
  char buf[40];  // room for any int, so the compiler can see no truncation
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, mo, d);
  return buf;
}

int DigitValue(char32_t c) {
  static const std::u32string_view kDigits = U"零一二三四五六七八九";
  if (c == U'〇') return 0;
  auto p = kDigits.find(c);
  return p == std::u32string_view::npos ? -1 : static_cast<int>(p);
}

}  // namespace

std::u32string ToU32(std::string_view utf8) {
  icu::UnicodeString u = U(utf8);
  std::u32string out;
  out.reserve(static_cast<std::size_t>(u.length()));
  for (int32_t i = 0; i < u.length();) {
    UChar32 c = u.char32At(i);
    out.push_back(static_cast<char32_t>(c));
    i += U16_LENGTH(c);
  }
  return out;
}

std::string ToU8(std::u32string_view s) {
  icu::UnicodeString u;
  for (char32_t c : s) u.append(static_cast<UChar32>(c));
  return S(u);
}

std::string Normalize(std::string_view utf8) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCInstance(status);
  icu::UnicodeString u = U(utf8);
  if (U_SUCCESS(status)) u = nfkc->normalize(u, status);
  std::u32string s = ToU32(S(u));
  std::u32string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    char32_t c = s[i];
    if (c == U' ' || c == U'\t' || c == U'\u3000' || c == U'\n' || c == U'\r') continue;
    switch (c) {
      case U'[': case U'【': case U'［': case U'〖': case U'{': c = U'〔'; break;
      case U']': case U'】': case U'］': case U'〗': case U'}': c = U'〕'; break;
      case U'兮': case U'弓': c = U'号'; break;
      case U'○': case U'O': case U'o': case U'◯': case U'０':
        // A ring next to Chinese numerals is 〇 (二〇二一).
        if ((i > 0 && IsChineseDigit(s[i - 1])) || (i + 1 < s.size() && IsChineseDigit(s[i + 1]))) c = U'〇';
        break;
      case U'口': case U'D':
        // Misread rings, only with numerals on both sides (二口二一; not 一口).
        if (i > 0 && i + 1 < s.size() && IsChineseDigit(s[i - 1]) && IsChineseDigit(s[i + 1])) c = U'〇';
        break;
      case U'：': c = U':'; break;
      default: break;
    }
    out.push_back(c);
  }
  return ToU8(out);
}

int EditDistance(std::u32string_view a, std::u32string_view b) {
  std::vector<int> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = static_cast<int>(j);
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = static_cast<int>(i);
    for (std::size_t j = 1; j <= b.size(); ++j) {
      int sub = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

double Similarity(std::string_view a_utf8, std::string_view b_utf8) {
  auto a = ToU32(a_utf8), b = ToU32(b_utf8);
  std::size_t n = std::max(a.size(), b.size());
  if (n == 0) return 1.0;
  return 1.0 - static_cast<double>(EditDistance(a, b)) / static_cast<double>(n);
}

long long ChineseNumber(std::u32string_view s) {
  // Longer than any number a case file writes (and than long long holds,
  // read positionally: found by fuzzing, 28 × 二).
  if (s.empty() || s.size() > 16) return -1;
  long long total = 0, section = 0, digit = -1;
  bool any = false;
  for (char32_t c : s) {
    int d = DigitValue(c);
    if (d >= 0) { digit = d; any = true; continue; }
    long long unit = 0;
    switch (c) {
      case U'十': unit = 10; break;
      case U'百': unit = 100; break;
      case U'千': unit = 1000; break;
      case U'万': unit = 10000; break;
      default: return -1;
    }
    any = true;
    if (unit == 10000) {
      section = (section + (digit < 0 ? 0 : digit)) * unit;
      total += section;
      section = 0;
    } else {
      section += (digit < 0 ? 1 : digit) * unit;
    }
    digit = -1;
  }
  if (!any) return -1;
  // Digit strings without units (二〇二一) read positionally.
  bool positional = std::all_of(s.begin(), s.end(), [](char32_t c) { return DigitValue(c) >= 0; });
  if (positional) {
    long long v = 0;
    for (char32_t c : s) v = v * 10 + DigitValue(c);
    return v;
  }
  return total + section + (digit < 0 ? 0 : digit);
}

namespace {

// A 1 in a date is often read as a bracket or bar ("2021年1]月9日" for
// 11月9日, "11月]日" for 11月1日). Between a date's digits and its 年/月/日,
// such a mark is a 1 — or noise, when a 1 would make more than two digits.
std::string FoldOnesInDates(const std::string& normalised) {
  std::u32string s = ToU32(normalised), out;
  auto is_digit = [](char32_t c) { return c >= U'0' && c <= U'9'; };
  for (std::size_t i = 0; i < s.size(); ++i) {
    char32_t c = s[i];
    // A Latin letter inside a date's day or month (2021年9月2e9日) is a speck
    // read as a letter: dropped.
    if (((c >= U'a' && c <= U'z') || (c >= U'A' && c <= U'Z')) && c != U'l' && c != U'I' && i > 0 && i + 2 < s.size() &&
        is_digit(s[i - 1]) && is_digit(s[i + 1]) && (s[i + 2] == U'日' || s[i + 2] == U'月')) {
      bool after_year_or_month = false;
      for (std::size_t k = i; k-- > 0 && i - k <= 3;)
        if (s[k] == U'年' || s[k] == U'月') after_year_or_month = true;
      if (after_year_or_month) continue;
    }
    bool mark = c == U'〕' || c == U'〔' || c == U'|' || c == U'l' || c == U'I';
    if (mark && i > 0 && i + 1 < s.size()) {
      char32_t before = s[i - 1], after = s[i + 1];
      bool in_date = (is_digit(before) || before == U'年' || before == U'月') &&
                     (is_digit(after) || after == U'月' || after == U'日') && !(before == U'年' && after == U'日');
      if (in_date) {
        int run = 0;  // digits this 1 would join
        for (std::size_t k = out.size(); k-- > 0 && is_digit(out[k]);) ++run;
        for (std::size_t k = i + 1; k < s.size() && is_digit(s[k]); ++k) ++run;
        if (run <= 1) out.push_back(U'1');
        continue;
      }
    }
    out.push_back(c);
  }
  return ToU8(out);
}

}  // namespace

std::vector<DateMatch> FindDates(std::string_view raw) {
  std::string text = FoldOnesInDates(Normalize(raw));
  std::vector<DateMatch> out;
  // Arabic: 2021年3月5日 (OCR may drop 日), 2021.3.5, 2021-03-05, 2021/3/5;
  // a time may follow without a space (2021.5.2514时30分).
  ForEachMatch(
      "((?:19|20)[0-9]{2})(?:年([0-9]{1,2})月([0-9]{1,2})日?|[.\\-/]([0-9]{1,2})[.\\-/]([0-9]{1,2})(?:(?![0-9时])|(?=[0-9]{1,2}时)))",
      text, [&](icu::RegexMatcher& m) {
        int y = std::stoi(Group(m, 1));
        std::string mo = Group(m, 2).empty() ? Group(m, 4) : Group(m, 2);
        std::string d = Group(m, 3).empty() ? Group(m, 5) : Group(m, 3);
        int moi = std::stoi(mo), di = std::stoi(d);
        // A glued time leaves the split ambiguous (2021.4.615时 = 4月6日15时):
        // the valid reading wins.
        if (!ValidDate(y, moi, di) && Group(m, 3).empty() && d.size() == 2) di = d[0] - '0';
        if (ValidDate(y, moi, di)) out.push_back({Iso(y, moi, di), Group(m, 0)});
        return true;
      });
  // Chinese numerals: 二〇二一年三月五日.
  ForEachMatch("([〇零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日", text,
               [&](icu::RegexMatcher& m) {
                 long long y = ChineseNumber(ToU32(Group(m, 1)));
                 long long mo = ChineseNumber(ToU32(Group(m, 2)));
                 long long d = ChineseNumber(ToU32(Group(m, 3)));
                 if (ValidDate(static_cast<int>(y), static_cast<int>(mo), static_cast<int>(d)))
                   out.push_back({Iso(static_cast<int>(y), static_cast<int>(mo), static_cast<int>(d)), Group(m, 0)});
                 return true;
               });
  // Keep text order: sort by position of the matched text.
  std::stable_sort(out.begin(), out.end(), [&](const DateMatch& a, const DateMatch& b) {
    return text.find(a.text) < text.find(b.text);
  });
  return out;
}

std::optional<std::string> ParseDate(std::string_view text) {
  auto all = FindDates(text);
  if (all.empty()) return std::nullopt;
  return all.front().iso;
}

std::optional<std::string> FindDocNumber(std::string_view raw) {
  std::string text = Normalize(raw);
  // "1〕" closing the year can read as one glyph, D (东城管罚〔202D 10号).
  for (std::size_t p = text.find("〔20"); p != std::string::npos; p = text.find("〔20", p + 1)) {
    const std::size_t d = p + std::string("〔20").size() + 1;
    if (d < text.size() && std::isdigit(static_cast<unsigned char>(text[d - 1])) && text[d] == 'D') text.replace(d, 1, "1〕");
  }
  std::optional<std::string> found;
  // Scan noise tolerated: doubled brackets (【2021]】, 【〔【2021]), a stray
  // letter after the year (〔2021H〕), a speck between the
  // bracket and the number (〔2021〕.4号), and a 号 lost at the end of the
  // text (东农案〔2021〕7).
  ForEachMatch("([\\p{Han}A-Za-z]{1,24})[〔(]{1,3}((?:19|20)[0-9]{2})[A-Za-z|]?[〕)]{1,2}[.,·、]?(第?)([0-9]{1,6})(?:号|$)", text,
               [&](icu::RegexMatcher& m) {
                 std::string org = Group(m, 1);
                 // Drop a label glued in front ("文号", "案号").
                 for (const char* label : {"文号:", "案号:", "文号", "案号", "编号:", "编号"}) {
                   if (org.rfind(label, 0) == 0) org = org.substr(std::string(label).size());
                 }
                 // Drop a document name glued in front ("行政处罚决定书东市监处罚").
                 std::u32string o = ToU32(org);
                 auto cut = o.find_last_of(U"书表证单:");
                 if (cut != std::u32string::npos) o = o.substr(cut + 1);
                 if (o.size() > 12) o = o.substr(o.size() - 12);
                 org = ToU8(o);
                 // …and a label left behind by that cut ("决定书文号东市监…").
                 for (const char* label : {"文号", "案号", "编号"}) {
                   if (org.rfind(label, 0) == 0) org = org.substr(std::string(label).size());
                 }
                 if (org.empty()) return true;
                 found = org + "〔" + Group(m, 2) + "〕" + Group(m, 3) + Group(m, 4) + "号";  // 第 kept as printed
                 return false;
               });
  return found;
}

std::string Citation::Canonical() const {
  std::string out = "《" + law + "》";
  if (article > 0) out += "第" + std::to_string(article) + "条";
  if (paragraph > 0) out += "第" + std::to_string(paragraph) + "款";
  if (item > 0) out += "第" + std::to_string(item) + "项";
  return out;
}

std::vector<Citation> FindCitations(std::string_view raw) {
  std::string text = Normalize(raw);
  std::vector<Citation> out;
  // 《law》 then articles: 第X条(第X款)?(第(X)项)?, several joined by 、/和/及.
  static const char* kNumber = "[0-9〇零一二三四五六七八九十百千]{1,8}";
  const std::string article = std::string("第(") + kNumber + ")条(?:第(" + kNumber + ")款)?(?:第[(（]?(" + kNumber + ")[)）]?项)?";
  std::string law;
  std::size_t law_end = std::string::npos;
  ForEachMatch(("《([^《》]{1,60})》|" + article).c_str(), text, [&](icu::RegexMatcher& m) {
    if (!Group(m, 1).empty()) {
      law = Group(m, 1);
      UErrorCode st = U_ZERO_ERROR;
      law_end = static_cast<std::size_t>(m.end(st));
      return true;
    }
    if (law.empty()) return true;  // an article of no named law
    UErrorCode st = U_ZERO_ERROR;
    // Articles belong to the last law only while they follow it closely
    // (joined by 、 和 及 or nothing), not to one cited sentences earlier.
    const std::size_t start = static_cast<std::size_t>(m.start(st));
    if (law_end == std::string::npos || start < law_end || start - law_end > 12) return true;
    auto number = [](const std::string& s) {
      if (s.empty()) return 0;
      bool arabic = std::all_of(s.begin(), s.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
      if (arabic) return s.size() > 6 ? -1 : std::stoi(s);
      long long v = ChineseNumber(ToU32(s));
      return v < 0 || v > 100000 ? -1 : static_cast<int>(v);
    };
    Citation c{law, number(Group(m, 2)), number(Group(m, 3)), number(Group(m, 4))};
    if (c.article > 0 && c.paragraph >= 0 && c.item >= 0) out.push_back(c);
    law_end = static_cast<std::size_t>(m.end(st));
    return true;
  });
  return out;
}

std::optional<double> FindAmount(std::string_view raw) {
  std::string text = Normalize(raw);
  std::optional<double> found;
  ForEachMatch("([0-9]+(?:,[0-9]{3})*(?:\\.[0-9]+)?)(万)?元", text, [&](icu::RegexMatcher& m) {
    std::string digits = Group(m, 1);
    digits.erase(std::remove(digits.begin(), digits.end(), ','), digits.end());
    if (digits.size() > 15) return false;  // not an amount anyone writes; stod would overflow
    double v = std::stod(digits);
    if (!Group(m, 2).empty()) v *= 10000;
    found = v;
    return false;
  });
  if (found) return found;
  ForEachMatch("([零壹贰叁肆伍陆柒捌玖拾佰仟万]+)元", text, [&](icu::RegexMatcher& m) {
    std::u32string s = ToU32(Group(m, 1));
    static const std::u32string_view kUpper = U"零壹贰叁肆伍陆柒捌玖", kLower = U"零一二三四五六七八九";
    for (auto& c : s) {
      auto p = kUpper.find(c);
      if (p != std::u32string_view::npos) c = kLower[p];
      else if (c == U'拾') c = U'十';
      else if (c == U'佰') c = U'百';
      else if (c == U'仟') c = U'千';
    }
    long long v = ChineseNumber(s);
    if (v >= 0) found = static_cast<double>(v);
    return false;
  });
  return found;
}

std::u32string HanOnly(std::string_view utf8) {
  std::u32string out;
  for (char32_t c : ToU32(utf8))
    if (IsHan(c)) out.push_back(c);
  return out;
}

}  // namespace pingcha::catalogue
