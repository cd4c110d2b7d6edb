// Text helpers for OCR'd Chinese: normalisation, edit distance and parsers
// for dates, document numbers (文号) and amounts. Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pingcha::catalogue {

std::u32string ToU32(std::string_view utf8);
std::string ToU8(std::u32string_view s);

// A Han character (CJK unified ideographs and extension A).
inline bool IsHan(char32_t c) { return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF); }
// The Han characters of `utf8`, in order (stray Latin, digits and marks dropped).
std::u32string HanOnly(std::string_view utf8);

// NFKC (full-width → half-width), whitespace removed, brackets unified to
// 〔〕, OCR look-alikes folded (兮/弓 → 号, ○/O → 〇 between Chinese numerals).
std::string Normalize(std::string_view utf8);

// Levenshtein distance on code points.
int EditDistance(std::u32string_view a, std::u32string_view b);
// 1 − distance / max(length); 1 for equal strings.
double Similarity(std::string_view a_utf8, std::string_view b_utf8);

// A date found in text: the ISO value and the matched span (bytes).
struct DateMatch {
  std::string iso;      // "2021-03-05"
  std::string text;     // the text as matched
};
// All dates in `text` (normalised or raw): 2021年3月5日, 二〇二一年三月五日,
// 2021.3.5, 2021-03-05, 2021/3/5. Impossible dates are skipped.
std::vector<DateMatch> FindDates(std::string_view text);
std::optional<std::string> ParseDate(std::string_view text);  // first date

// 文号 such as 东市监处罚〔2021〕12号, tolerant of [] () 【】 and 兮 for 号.
// Returns the canonical form with 〔〕 and 号.
std::optional<std::string> FindDocNumber(std::string_view text);

// A legal citation: 《中华人民共和国食品安全法》第一百二十四条第一款第（五）项.
// Article, paragraph (款) and item (项) are numbers; 0 when not given.
struct Citation {
  std::string law;   // inside the book-title marks, as read
  int article = 0, paragraph = 0, item = 0;
  std::string Canonical() const;  // 《law》第124条第1款第5项
};
// Every citation in `text`, in text order; the law of a bare "第X条" that
// follows "…法》第Y条、" is the one just cited.
std::vector<Citation> FindCitations(std::string_view text);

// Chinese numerals: 三十 → 30, 一百二十四 → 124; -1 when not a numeral.
long long ChineseNumber(std::u32string_view s);
// Amounts: "50000元", "5万元", "伍万元整" → yuan.
std::optional<double> FindAmount(std::string_view text);

}  // namespace pingcha::catalogue
