#include "stages/checks/calendar.h"

#include <cstdio>

namespace pingcha::checks {

// Howard Hinnant's days_from_civil / civil_from_days.
std::optional<long> ParseIso(const std::string& iso) {
  int y = 0, m = 0, d = 0;
  char tail = 0;
  if (iso.size() != 10 || std::sscanf(iso.c_str(), "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3) return std::nullopt;
  static const int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (m < 1 || m > 12 || d < 1 || d > kDays[m - 1] || (m == 2 && d == 29 && !leap)) return std::nullopt;
  y -= m <= 2;
  const long era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<long>(doe) - 719468;
}

std::string FormatIso(long z) {
  z += 719468;
  const long era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  long y = static_cast<long>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04ld-%02u-%02u", y, m, d);
  return buf;
}

int Weekday(long days) { return static_cast<int>(((days % 7) + 7 + 3) % 7); }  // 1970-01-01 was a Thursday

bool IsWorkingDay(const Calendar& cal, long days) {
  std::string iso = FormatIso(days);
  if (cal.workdays.count(iso)) return true;
  if (cal.holidays.count(iso)) return false;
  return Weekday(days) < 5;
}

bool Covers(const Calendar& cal, long days) {
  int year = std::stoi(FormatIso(days).substr(0, 4));
  return year >= cal.first_year && year <= cal.last_year;
}

long PeriodEnd(const Calendar& cal, long trigger, int days, const std::string& unit) {
  if (unit == "working") {
    long d = trigger;
    for (int n = 0; n < days;) {
      ++d;
      if (IsWorkingDay(cal, d)) ++n;
    }
    return d;
  }
  long end = trigger + days;
  if (days > 0) {
    while (!IsWorkingDay(cal, end)) ++end;
  }
  return end;
}

}  // namespace pingcha::checks
