// Whose seal, from its ring: is it the case's agency? Composes the seals
// stage's glyph comparison (seals::RingComparer) with what the case prints.
//
// A ring is taken for the agency's when the agency's name — alone, or after
// a few characters the case prints before it (鄂尔多斯市 before 东胜区农牧局)
// — ranks at the top of the case's characters cell by cell (mean rank
// ≤ kMaxMeanRank, and both halves of the name and the place's own
// characters (东胜 of 东胜区…), so a shared 应急管理局 cannot carry another
// district's seal). A ring that does not verify stays unknown
// here: saying "not the agency's" needs the ring read (the OCR path in
// catalogue::JudgeOwner), because a worn or blurred ring fails to verify too.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "models/image.h"
#include "models/rubric.h"
#include "stages/seals/ring_match.h"

namespace pingcha {

// What the ring's glyphs say. is_agency: true — the agency's name verified;
// false — the agency's name followed by one of its internal units verified
// (and the agency's name alone clearly not), or the agency's name followed by
// k characters print hides (owner: the name and k □), or another body's
// name the ring's reading points to; unknown otherwise.
struct RingVerdict {
  std::optional<bool> is_agency;
  bool internal_unit = false;
  std::string owner;     // the verified name, as the case prints it (with the city when the ring has one)
  double mean_rank = 1;  // evidence: the fraction of the case's characters that looked more alike
};

// The agency's name as a seal's owner when the ring holds `prefix` characters
// more than the name: with the place the case prints before it (the ring's
// count ±1; the most frequent printed form, not a piece of a longer one —
// 鄂尔多斯市, not 尔多斯市, nor a label OCR ran into it, 执收单位鄂尔多斯市;
// spelt as in `places` when it is one of them but for one misread
// character — 哪尔多斯市), else the agency as given.
std::string PrintedOwner(const std::string& agency, const std::string& case_text, int prefix,
                         const std::vector<std::string>& places);

// The case's characters, for the cohort: every distinct Han character.
std::u32string CaseCharacters(const std::string& case_text);

// `strips`: the seal's ring strips (by arc, and for an oval by angle; null or
// empty ones are skipped) — a name verified on any of them counts. From
// `names`: the internal units, the places and the other bodies.
// `ring_reading`: the ring's OCR text, or empty. When neither the agency nor
// one of its units verifies, a body of `names.bodies` the reading points to
// (two characters in a row of its name that the agency's lacks) is tried
// after the agency's place, with the agency's thresholds: is_agency false,
// owner that body, when it verifies.
RingVerdict JudgeRing(const std::vector<const Image*>& strips, const std::string& agency, const std::string& case_text,
                      const std::u32string& cohort, const Catalogue& names, seals::GlyphRenderer& glyphs,
                      const std::string& ring_reading = "");

// Calibration (PINGCHA_RING_DEBUG): the agency name's mean rank with 0–6
// characters before it, tab-separated as "k:0/rank", then "unit RANK NAME+k"
// for the best internal unit — what bench scripts compare with a truth.
std::string RingRanks(const Image& strip, const std::string& agency, const std::u32string& cohort,
                      const Catalogue& names, seals::GlyphRenderer& glyphs);

}  // namespace pingcha
