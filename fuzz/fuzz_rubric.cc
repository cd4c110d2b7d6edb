// checks::ParseRubric on arbitrary text: a Rubric or an invalid_rubric
// error naming the line, never a crash or an escaping exception.
#include <cstddef>
#include <cstdint>
#include <string>

#include "stages/checks/loader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  auto r = pingcha::checks::ParseRubric(text, "fuzz.toml");
  if (!r.ok() && r.status().message().rfind("fuzz.toml:", 0) != 0) __builtin_trap();  // errors name file:line
  return 0;
}
