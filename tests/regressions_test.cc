// Regression tests for crashes found by fuzzing (bench/fuzz) in files that
// were being edited elsewhere when they were found; each names its target and
// input. A test named … documents a crash that is not fixed yet:
// drop the prefix with the fix.
#include <gtest/gtest.h>

#include <string>

#include "stages/catalogue/fields.h"
#include "stages/catalogue/text.h"

namespace pingcha {
namespace {

// fuzz_text: ICU's \d matches every Unicode decimal digit (here U+07C7 NKO
// DIGIT SEVEN, which NFKC does not fold to '7'), then std::stoi throws
// std::invalid_argument out of FindDates (stages/catalogue/text.cc). Fix:
// [0-9] instead of \d in the date patterns.
TEST(FuzzRegressions, FindDatesWithNonAsciiDigitsDoesNotThrow) {
  EXPECT_NO_THROW(catalogue::FindDates("2020-2-\xDF\x87"));
  EXPECT_NO_THROW(catalogue::FindDates("2021\xE5\xB9\xB4\xDF\x87\xE6\x9C\x88" "5\xE6\x97\xA5"));  // 2021年߇月5日
  EXPECT_NO_THROW(catalogue::ParseDate("2020-2-\xDF\x87"));
}

// fuzz_fields: the same in ParseSeizureDays (stages/catalogue/fields.cc):
// 期限为߇日 → std::stoi throws.
TEST(FuzzRegressions, ParseSeizureDaysWithNonAsciiDigitDoesNotThrow) {
  EXPECT_NO_THROW(catalogue::ParseSeizureDays("\xE6\x9C\x9F\xE9\x99\x90\xE4\xB8\xBA\xDF\x87\xE6\x97\xA5"));
}

// fuzz_text: FindAmount on a 400-digit number before 元: std::stod throws
// std::out_of_range (stages/catalogue/text.cc). Fix: bound the digits or use
// std::strtod and refuse a non-finite value.
TEST(FuzzRegressions, ChineseNumberTooLongIsNotANumber) {
  // 28 × 二 overflowed long long when read positionally (UBSan).
  std::u32string twos(28, U'二');
  EXPECT_EQ(catalogue::ChineseNumber(twos), -1);
  std::u32string wans;
  for (int i = 0; i < 12; ++i) wans += U"九万";
  EXPECT_EQ(catalogue::ChineseNumber(wans), -1);
  EXPECT_EQ(catalogue::ChineseNumber(U"二〇二一"), 2021);
}

TEST(FuzzRegressions, FindAmountWithHugeNumberDoesNotThrow) {
  std::string text(400, '9');
  text += "\xE5\x85\x83";  // 元
  EXPECT_NO_THROW(catalogue::FindAmount(text));
}

}  // namespace
}  // namespace pingcha
