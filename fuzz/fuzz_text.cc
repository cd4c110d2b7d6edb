// The text parsers of stages/catalogue/text.h on arbitrary bytes (OCR text
// is untrusted): FindDates, ParseDate, FindDocNumber, FindAmount,
// ChineseNumber, Normalize, FindCitations.
#include <cstddef>
#include <cstdint>
#include <string>

#include "stages/catalogue/text.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  namespace c = pingcha::catalogue;
  for (const auto& d : c::FindDates(text)) {
    // An ISO date: yyyy-mm-dd.
    if (d.iso.size() != 10 || d.iso[4] != '-' || d.iso[7] != '-') __builtin_trap();
  }
  (void)c::ParseDate(text);
  (void)c::FindDocNumber(text);
  if (auto a = c::FindAmount(text); a && !(*a >= 0)) __builtin_trap();  // NaN or negative
  (void)c::ChineseNumber(c::ToU32(text));
  (void)c::Normalize(text);
  for (const auto& cite : c::FindCitations(text)) {
    if (cite.article <= 0 || cite.paragraph < 0 || cite.item < 0) __builtin_trap();
    (void)cite.Canonical();
  }
  return 0;
}
