#include "stages/checks/calendar.h"

#include <gtest/gtest.h>

#include <cstdlib>

#include "stages/checks/loader.h"

namespace pingcha::checks {
namespace {

// The 2021 calendar of 国办发明电〔2020〕27号 as shipped in rubrics/.
Calendar Shipped() {
  const char* src = std::getenv("PINGCHA_SOURCE_DIR");
  auto cal = LoadCalendar(std::string(src ? src : ".") + "/rubrics/calendar.toml");
  EXPECT_TRUE(cal.ok()) << cal.status().ToString();
  return cal.ok() ? *cal : Calendar{};
}

long D(const char* iso) { return *ParseIso(iso); }

TEST(CalendarTest, IsoRoundTripAndWeekday) {
  EXPECT_EQ(FormatIso(D("2021-07-15")), "2021-07-15");
  EXPECT_EQ(Weekday(D("2021-07-15")), 3);  // Thursday
  EXPECT_FALSE(ParseIso("2021-02-29"));
  EXPECT_FALSE(ParseIso("2021-13-01"));
  EXPECT_TRUE(ParseIso("2020-02-29"));
}

TEST(CalendarTest, NationalDayAndMakeUpDays2021) {
  Calendar cal = Shipped();
  for (const char* d : {"2021-10-01", "2021-10-04", "2021-10-07"}) EXPECT_FALSE(IsWorkingDay(cal, D(d))) << d;
  EXPECT_TRUE(IsWorkingDay(cal, D("2021-09-26")));  // Sunday, make-up day
  EXPECT_TRUE(IsWorkingDay(cal, D("2021-10-09")));  // Saturday, make-up day
  EXPECT_TRUE(IsWorkingDay(cal, D("2021-10-08")));
  EXPECT_FALSE(IsWorkingDay(cal, D("2021-10-10")));  // ordinary Sunday
  EXPECT_TRUE(IsWorkingDay(cal, D("2021-02-07")));
  EXPECT_FALSE(IsWorkingDay(cal, D("2021-02-11")));
}

TEST(CalendarTest, SevenWorkingDaysAcrossNationalDay) {
  Calendar cal = Shipped();
  // 9-29 (Wed) → 9-30, 10-8, 10-9 (make-up), 10-11, 10-12, 10-13, 10-14.
  EXPECT_EQ(FormatIso(PeriodEnd(cal, D("2021-09-29"), 7, "working")), "2021-10-14");
  EXPECT_EQ(FormatIso(PeriodEnd(cal, D("2021-09-29"), 3, "working")), "2021-10-09");
}

TEST(CalendarTest, NaturalPeriodEndingOnHolidayMovesToNextWorkingDay) {
  Calendar cal = Shipped();
  // 9-24 + 7 = 10-01 (holiday) → 10-08.
  EXPECT_EQ(FormatIso(PeriodEnd(cal, D("2021-09-24"), 7, "natural")), "2021-10-08");
  // 4-20 + 7 = 4-27, a Tuesday.
  EXPECT_EQ(FormatIso(PeriodEnd(cal, D("2021-04-20"), 7, "natural")), "2021-04-27");
  // Same-day periods do not move.
  EXPECT_EQ(FormatIso(PeriodEnd(cal, D("2021-10-02"), 0, "natural")), "2021-10-02");
}

TEST(CalendarTest, CoversOnlyItsYears) {
  Calendar cal = Shipped();
  EXPECT_TRUE(Covers(cal, D("2021-06-01")));
  EXPECT_FALSE(Covers(cal, D("2019-06-01")));
}

}  // namespace
}  // namespace pingcha::checks
