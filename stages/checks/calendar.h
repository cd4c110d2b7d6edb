// Civil dates and legal periods on the working-day calendar.
//
// Natural-day periods count from the day after the trigger; one that ends on
// a day off (weekend or public holiday) moves to the next working day.
// Working-day periods count working days after the trigger, with 调休
// make-up days as working days. Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>

#include "models/rubric.h"

namespace pingcha::checks {

// Days since 1970-01-01 for an ISO date "YYYY-MM-DD"; nullopt if invalid.
std::optional<long> ParseIso(const std::string& iso);
std::string FormatIso(long days);
int Weekday(long days);  // 0 = Monday … 6 = Sunday

bool IsWorkingDay(const Calendar& cal, long days);
// Whether the calendar covers the year of `days`.
bool Covers(const Calendar& cal, long days);

// Last day of a period of `days` (natural or working) after `trigger`.
long PeriodEnd(const Calendar& cal, long trigger, int days, const std::string& unit);

}  // namespace pingcha::checks
