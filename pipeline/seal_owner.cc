#include "pipeline/seal_owner.h"

#include <set>

#include "stages/catalogue/text.h"

namespace pingcha {
namespace {

constexpr double kMaxMeanRank = 0.10;   // measured: agency seals 0.00–0.10 verify; other bodies' ≥ 0.26
constexpr double kMaxHalfRank = 0.15;
constexpr int kMaxPrefix = 6;           // 鄂尔多斯市 (5), 呼和浩特市 (5), 巴彦淖尔市 (5) …

bool IsHan(char32_t c) { return c >= 0x4E00 && c <= 0x9FFF; }

std::u32string HanOf(const std::string& s) {
  std::u32string out;
  for (char32_t c : catalogue::ToU32(s))
    if (IsHan(c)) out += c;
  return out;
}

// The `prefix` Han characters the case prints right before the agency's
// name, when they end as a place does (…市, …盟, …州, …省); "" if none.
std::u32string PrintedPrefix(const std::u32string& text, const std::u32string& name, int prefix) {
  for (std::size_t at = text.find(name); at != std::u32string::npos; at = text.find(name, at + 1)) {
    if (at < static_cast<std::size_t>(prefix)) continue;
    std::u32string before = text.substr(at - static_cast<std::size_t>(prefix), static_cast<std::size_t>(prefix));
    bool han = true;
    for (char32_t c : before) han = han && IsHan(c);
    const char32_t last = before.empty() ? 0 : before.back();
    if (han && (last == U'市' || last == U'盟' || last == U'州' || last == U'省')) return before;
  }
  return {};
}

}  // namespace

std::u32string CaseCharacters(const std::string& case_text) {
  std::u32string out;
  std::set<char32_t> seen;
  for (char32_t c : catalogue::ToU32(case_text))
    if (IsHan(c) && seen.insert(c).second) out += c;
  return out;
}

std::optional<AgencyRing> VerifyAgencyRing(const Image& strip, const std::string& agency, const std::string& case_text,
                                           const std::u32string& cohort, seals::GlyphRenderer& glyphs) {
  const std::u32string name = HanOf(agency);
  if (strip.empty() || name.size() < 3 || !glyphs.ok()) return std::nullopt;
  std::optional<AgencyRing> best;
  int best_prefix = 0;
  for (int prefix = 0; prefix <= kMaxPrefix; ++prefix) {
    const seals::RingMatch m = seals::MatchRing(strip, name, cohort, glyphs, prefix);
    if (m.ranks.size() != name.size()) continue;
    const std::size_t half = m.ranks.size() / 2;
    double first = 0, second = 0;
    for (std::size_t i = 0; i < m.ranks.size(); ++i) (i < half ? first : second) += m.ranks[i];
    first /= static_cast<double>(half);
    second /= static_cast<double>(m.ranks.size() - half);
    if (m.mean_rank > kMaxMeanRank || first > kMaxHalfRank || second > kMaxHalfRank) continue;
    if (!best || m.mean_rank < best->mean_rank) {
      best = AgencyRing{agency, m.mean_rank};
      best_prefix = prefix;
    }
  }
  if (best && best_prefix > 0) {
    const std::u32string before = PrintedPrefix(HanOf(case_text), name, best_prefix);
    if (!before.empty()) best->owner = catalogue::ToU8(before + name);
  }
  return best;
}

}  // namespace pingcha
