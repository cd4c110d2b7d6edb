// The review standard as loaded for a run: one rubric per case type, the
// document-type catalogue and the working-day calendar, from a rubrics/
// folder. Immutable after Load(); shared read-only by all workers.
#pragma once

#include <map>
#include <string>

#include "models/rubric.h"
#include "models/status.h"

namespace pingcha {

struct Standard {
  std::string dir;
  std::map<std::string, Rubric> rubrics;  // by case type
  Catalogue catalogue;
  Calendar calendar;

  // Loads every *.toml rubric of `dir` plus doctypes.toml and calendar.toml.
  // Errors name the file and line.
  static Result<Standard> Load(const std::string& dir);
  // The rubrics folder: `flag` if given, else $PINGCHA_RUBRICS, else beside
  // the executable (../rubrics, ./rubrics), else the source tree's.
  static std::string FindDir(const std::string& flag, const std::string& argv0);
};

}  // namespace pingcha
