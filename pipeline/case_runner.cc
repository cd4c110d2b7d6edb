#include "pipeline/case_runner.h"

#include "pipeline/seal_owner.h"
#include "pipeline/second_look.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <numeric>
#include <optional>
#include <stdexcept>

#include "stages/catalogue/catalogue.h"
#include "stages/catalogue/text.h"
#include "stages/checks/digest.h"
#include "stages/checks/engine.h"
#include "stages/preprocess/preprocess.h"
#include "stages/report/report.h"
#include "stages/score/score.h"
#include "stages/seals/ring_match.h"
#include "stages/seals/seals.h"

namespace pingcha {
namespace {

namespace fs = std::filesystem;

// Ring OCR below this mean word confidence is noise, not a reading.
constexpr double kRingConfidenceFloor = 0.15;
// Red ink on a colour page (share of sampled pixels) above which its red
// print is looked for: a letterhead of ten characters measures about 0.001.
constexpr double kRedPrintRatio = 0.0003;
// What a cached page holds; a page cached in an older form is read again
// (2: seals keep their ring strip, which their owner is judged on; 3: ovals
// also keep it by even angle; 5: punctuation cleaned, ocr::CleanLines;
// 6: rectangular stamps pressed askew found; 7: 落款 dates read again at four greys;
// 8: a faint ring's text found where its gap shows only above a trace of ink;
// 9: seals found on grey scans, and dropped out of what OCR reads there;
// 10: a grey scan's ring read without grey beside thin print; 13: page
// numbers read by a vote of readings, with their box; a signature read into
// its cell's date; 14: a signature area ends at the next label read with
// 签 misread; 15: a pale seal found on the strengthened ink; 16: red print
// (a letterhead) read on its ink, a scribble's Latin noise dropped; 17: a
// scanned page decoded from its JPEG, not rendered; 18: …scaled without
// sharpening; 19: the top read again at half resolution when the title
// read is not exact; 20: …in place of the pieces first read; 21: a
// signature read as Latin letters before its cell's date).
constexpr const char* kPageFormat = "page-21";

// How much a reading is worth: confident characters.
double ReadingScore(const std::vector<TextLine>& lines) {
  double s = 0;
  for (const auto& l : lines)
    for (const auto& w : l.words) s += w.confidence > 0.6 ? static_cast<double>(w.text.size()) / 3.0 : 0;
  return s;
}

// Tesseract reads a page turned by 90° line by line as vertical text, with
// good confidence: the text comes out right but every box stands on end,
// and no title is found at the top. Most text lines taller than wide say so.
bool MostlyVertical(const std::vector<TextLine>& lines) {
  int vertical = 0, counted = 0;
  for (const auto& l : lines) {
    if (l.text.size() < 9) continue;  // three CJK characters or more
    ++counted;
    vertical += l.box.height() > 1.5 * l.box.width();
  }
  return counted >= 3 && vertical * 2 > counted;
}

// A page read upside down comes out as Chinese-looking noise with Latin
// letters in it ("tTL|日08昌9韦LZ0Z" is 2021年…08 turned over): letters are
// rare on a Chinese page (a credit code's two).
bool ManyLatinLetters(const std::vector<TextLine>& lines) {
  int letters = 0, all = 0;
  for (const auto& l : lines)
    for (char32_t ch : catalogue::ToU32(l.text)) {
      if (ch == U' ') continue;
      ++all;
      letters += (ch >= U'A' && ch <= U'Z') || (ch >= U'a' && ch <= U'z');
    }
  return all >= 20 && letters * 100 > all * 12;
}

Case ErrorCase(Case c, const Status& st) {
  c.status = "error";
  c.error = CaseError{st.code(), st.message()};
  return c;
}

// Calibration (PINGCHA_RING_NAMES=NAME,NAME…): whether each name would be
// taken for the seal's owner by the same judgement as the agency's, one "RV"
// line per name on stderr. bench/owner_stress counts how often a name that
// is not the seal's verifies (with a generated truth).
void PrintRingNameVerdicts(const std::string& names, const Case& c, int page, const Mark& m, const std::string& case_text,
                           const std::u32string& cohort, const Catalogue& names_known, seals::GlyphRenderer& glyphs) {
  for (std::size_t at = 0; at < names.size();) {
    const std::size_t k = std::min(names.find(',', at), names.size());
    const std::string name = names.substr(at, k - at);
    at = k + 1;
    if (name.empty()) continue;
    const RingVerdict v = JudgeRing({&m.ring_strip, &m.ring_strip_angle}, name, case_text, cohort, names_known, glyphs);
    std::fprintf(stderr, "RV\t%s\t%d\t%f\t%f\t%s\t%s\t%.3f\n", c.case_id.c_str(), page, m.box.x0, m.box.y0, name.c_str(),
                 v.is_agency ? (*v.is_agency ? "agency" : "unit") : "unknown", v.mean_rank);
  }
}

}  // namespace

Result<std::string> HashInput(const std::string& path) {
  std::error_code ec;
  if (!fs::is_directory(path, ec)) return checks::Sha256File(path);
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(path, ec))
    if (e.is_regular_file(ec) && ingest::IsPageImageName(e.path().filename().string())) files.push_back(e.path());
  std::sort(files.begin(), files.end());
  std::string all;
  for (const auto& f : files) {
    auto h = checks::Sha256File(f.string());
    if (!h.ok()) return h.status();
    all += f.filename().string() + ":" + *h + "\n";
  }
  return checks::Sha256Hex(all);
}

CaseRunner::CaseRunner(const Standard& standard, const RunOptions& options, std::unique_ptr<ocr::Engine> engine)
    : standard_(standard), options_(options), engine_(std::move(engine)) {}

ocr::Engine& CaseRunner::Engine() {
  if (!engine_) {
    Phase start(*this, "engine start");
    auto made = ocr::Engine::Create(ocr::Options{});
    // The model was checked at start-up; failing now is an internal error,
    // reported for the case at hand by the batch runner.
    if (!made.ok()) throw std::runtime_error(made.status().message());
    engine_ = std::move(made).value();
  }
  return *engine_;
}

ocr::Engine& CaseRunner::DigitEngine() {
  if (!digit_engine_) {
    Phase start(*this, "engine start");
    ocr::Options o;
    o.language = "eng";
    auto made = ocr::Engine::Create(o);
    if (!made.ok()) throw std::runtime_error(made.status().message());
    digit_engine_ = std::move(made).value();
  }
  return *digit_engine_;
}

void CaseRunner::ReadPage(ingest::Source& source, int index, const std::string& case_id, Case& c) {
  Page page;
  page.number = index + 1;
  const auto& info = source.info(index);
  // Born-digital pages: words and boxes from the text layer; a light render for seals.
  int dpi = info.has_text_layer ? 100 : options_.dpi;
  Phase phase(*this, "reading");
  auto rendered = [&] {
    Phase render(*this, "render");
    return source.RenderPage(index, dpi);
  }();
  if (!rendered.ok()) {
    page.readable = false;
    page.warning = rendered.status().code();
    c.warnings.push_back("page " + std::to_string(page.number) + ": " + rendered.status().message());
    c.pages.push_back(std::move(page));
    return;
  }
  Image rgb = std::move(rendered).value();
  page.width_px = rgb.width;
  page.height_px = rgb.height;
  auto stats = [&] {
    Phase measure(*this, "prepare");
    return preprocess::Measure(rgb);
  }();
  page.colour = !stats.grey_only;
  preprocess::Prepared prepared;  // the image OCR read (upright, deskewed)
  struct {
    seals::GreyInk ink;  // seal ink drawn red
    Image dropped;       // the page without it
    std::vector<Mark> found;
  } grey_seals;  // a grey scan's, as OCR read it (before any turn)
  bool ocr_read = false;
  if (info.has_text_layer) {
    page.text_from = "text_layer";
    page.lines = source.TextLayer(index);
    page.mean_confidence = page.lines.empty() ? std::optional<double>() : 1.0;
  } else if (stats.blank) {
    page.blank = true;
  } else {
    ocr_read = true;
    // A grey scan's seals, found on its mid-grey ink and dropped out of what
    // OCR reads (as the red channel drops them on a colour scan).
    if (!page.colour) {
      Phase find(*this, "seals");
      grey_seals.ink = seals::TintGreySealInk(rgb);
      grey_seals.found = seals::FindSeals(grey_seals.ink.borders, seals::kGreyBridgeMm);
      if (const char* dbg = std::getenv("PINGCHA_DEBUG_DIR"))
        (void)seals::WriteCrop(grey_seals.ink.borders, {0, 0, 1, 1}, 0, std::string(dbg) + "/p" + std::to_string(page.number) + "_tint.png", 5000);
      if (!grey_seals.found.empty())
        grey_seals.dropped = seals::DropTintedInk(rgb, grey_seals.ink, grey_seals.found);
    }
    const Image& ocr_source = grey_seals.dropped.empty() ? rgb : grey_seals.dropped;
    {
      Phase prepare(*this, "prepare");
      prepared = preprocess::Prepare(ocr_source, 0);
    }
    if (const char* dbg = std::getenv("PINGCHA_DEBUG_DIR"))
      (void)seals::WriteCrop(prepared.grey, {0, 0, 1, 1}, 0, std::string(dbg) + "/p" + std::to_string(page.number) + ".png", 5000);
    auto lines = Engine().Read(prepared.grey, ocr::Layout::kPage, options_.page_timeout_ms);
    if (lines.ok()) {
      page.skew_degrees = prepared.skew_degrees;
      // A page that reads poorly may be turned: ask the orientation detector.
      const double mean_conf = MeanConfidence(*lines);
      const bool latin = ManyLatinLetters(*lines);
      if (mean_conf < 0.75 || ReadingScore(*lines) < 40 || MostlyVertical(*lines) || latin) {
        auto [rotation, conf] = Engine().DetectUpright(prepared.grey);
        // The detector unsure and the page read as noise: a page fed upside
        // down is the common case (measured: a grey table page, detector 0°
        // at 0.33 on the prepared image). Try it; the better reading wins.
        if ((rotation == 0 || conf <= 0.5) && (mean_conf < 0.6 || latin)) {
          rotation = 180;
          conf = 1;
        }
        if (rotation != 0 && conf > 0.5) {
          auto turned = [&] {
            Phase prepare(*this, "prepare");
            return preprocess::Prepare(ocr_source, rotation);
          }();
          auto again = Engine().Read(turned.grey, ocr::Layout::kPage, options_.page_timeout_ms);
          // Better read, or as well read and no longer standing on end.
          const bool better = again.ok() && ReadingScore(*again) > ReadingScore(*lines) * 1.2;
          const bool upright_now = again.ok() && MostlyVertical(*lines) && !MostlyVertical(*again) &&
                                   ReadingScore(*again) >= 0.8 * ReadingScore(*lines);
          if (better || upright_now) {
            lines = std::move(again);
            page.rotation = rotation;
            page.skew_degrees = turned.skew_degrees;
            prepared = std::move(turned);  // the upright image, for the passes below
          }
        }
      }
      page.lines = std::move(lines).value();
      page.mean_confidence = MeanConfidence(page.lines);
      const Image& grey = prepared.grey;
      {
        Phase margins(*this, "margins");
        page.margin_lines = ReadMargins(Engine(), grey);
      }
      // No title, or one read with a character wrong (a letter-spaced title
      // in pieces, 当场行政处; 所“网 决定书, matched 决定书 to another type):
      // read the top again at half resolution; a better title there wins.
      {
        Phase titles(*this, "titles");
        if (auto title = catalogue::FindTitle(page, standard_.catalogue); !title || title->score < 1.0)
          ReadTitleSmaller(Engine(), grey, standard_.catalogue, page);
      }
    } else {
      page.readable = false;
      page.warning = lines.status().code();
      c.warnings.push_back("page " + std::to_string(page.number) + ": " + lines.status().message());
    }
  }
  if (!page.blank) {
    Image turned;  // only when the page was read turned: an A4 page at 200 dpi is 11 MB
    if (page.rotation != 0) turned = preprocess::RotateImage(rgb, page.rotation);
    const Image& upright = page.rotation != 0 ? turned : rgb;
    // Where seals are looked for: the colour page; a grey page with its
    // seal ink drawn red (turned, when it was read turned).
    seals::GreyInk turned_ink;
    if (!page.colour && page.rotation != 0) {
      Phase find(*this, "seals");
      turned_ink = seals::TintGreySealInk(upright);
    }
    const seals::GreyInk& ink = page.rotation != 0 ? turned_ink : grey_seals.ink;
    // A colour page that shows no seal is looked at again with its paper
    // made white and its ink strengthened: a pale seal on yellowed paper.
    Image strengthened;
    if (page.colour) {
      Phase find(*this, "seals");
      page.seals = seals::FindSeals(upright);
      if (page.seals.empty()) {
        // Rings only: a photo's pink rectangle strengthens into a stamp's shape.
        page.seals = seals::FindStrengthenedSeals(upright);
        page.seals.erase(std::remove_if(page.seals.begin(), page.seals.end(), [](const Mark& m) { return m.shape == "rect"; }),
                         page.seals.end());
        if (!page.seals.empty()) strengthened = seals::StrengthenedInk(upright);
      }
    }
    const Image& colour_view = strengthened.empty() ? upright : strengthened;
    const Image& sealed = page.colour ? colour_view : ink.rings;            // rings read on
    const Image& bordered = page.colour ? colour_view : ink.borders;       // seals found and fitted on
    if (!sealed.empty()) {
      if (!page.colour) {
        Phase find(*this, "seals");
        page.seals = page.rotation == 0 ? grey_seals.found : seals::FindSeals(bordered, seals::kGreyBridgeMm);
      }
      if (ocr_read && page.readable && !page.seals.empty()) {
        Phase reread(*this, "reading under seals");
        RereadUnderSeals(Engine(), prepared.grey, page.seals, page);
        ReadUnderSealsAgain(Engine(), prepared.grey, page.seals, page);
      }
      for (std::size_t k = 0; k < page.seals.size(); ++k) {
        auto& seal = page.seals[k];
        // A rectangular stamp (a bank's 转讫) has no ring: its owner stays
        // unknown rather than read off a ring that is not there.
        if (seal.shape == "rect") continue;
        // Ring text: unwrap bands of a few depths, keep the most confident
        // reading. A reading below the credibility floor stays unread.
        Phase rings(*this, "seal rings");
        const seals::RingFit ring = seals::FitRing(bordered, seal.box);
        double best_conf = 0;
        for (double band : {0.30, 0.34, 0.38}) {
          Image strip = seals::UnwrapRing(sealed, ring, band);
          if (const char* dbg = std::getenv("PINGCHA_DEBUG_DIR"))
            (void)seals::WriteCrop(strip, {0, 0, 1, 1}, 0, std::string(dbg) + "/p" + std::to_string(page.number) + "_ring" + std::to_string(k) + "_" + std::to_string(static_cast<int>(band * 100)) + ".png", 5000);
          auto read = Engine().Read(strip, ocr::Layout::kLine, 10000);
          if (!read.ok()) continue;
          std::string text;
          double sum = 0;
          int n = 0;
          for (const auto& l : *read) {
            text += l.text;
            for (const auto& w : l.words) { sum += w.confidence; ++n; }
          }
          double conf = n ? sum / n : 0;
          if (!text.empty() && conf > best_conf) { best_conf = conf; seal.ring_text = text; }
        }
        if (best_conf < kRingConfidenceFloor) seal.ring_text.reset();
        seal.ring_strip = seals::RingStrip(sealed, ring);
        if (const char* dbg = std::getenv("PINGCHA_DEBUG_DIR"))
          (void)seals::WriteCrop(seal.ring_strip, {0, 0, 1, 1}, 0, std::string(dbg) + "/p" + std::to_string(page.number) + "_strip" + std::to_string(k) + ".png", 5000);
        if (seal.shape == "oval") seal.ring_strip_angle = seals::RingStrip(sealed, ring, seals::RingSpacing::kAngle);
      }
      Phase crops(*this, "evidence crops");
      WriteSealCrops(upright, case_id, page);
    }
    if (ocr_read && page.readable) {
      Phase reread(*this, "reading missed lines");
      RereadSparseLines(Engine(), prepared.grey, page);
      ReadMissedLines(Engine(), prepared.grey, page);
      if (page.colour && stats.red_ratio > kRedPrintRatio) {
        Phase red(*this, "reading red print");
        ReadRedPrint(Engine(), preprocess::RedInk(rgb, page.rotation, page.skew_degrees), page.skew_degrees, page.seals, page);
      }
      RereadDateLines(Engine(), prepared.grey, page.seals, page);
    }
    Phase signatures(*this, "signatures");
    // Signatures on the image OCR read: deskewed (the table rules that bound
    // a signature cell run straight) and in the frame of the line boxes; the
    // red channel drops seal ink and keeps blue and black pen.
    page.signatures = seals::FindSignatureAreas(ocr_read && !prepared.grey.empty() ? prepared.grey : upright, page.lines);
  }
  // An isolated number read by the digit reader first; a number with words
  // or dashes ("第9页", "- 9 -") from the margin lines.
  Phase number(*this, "page number");
  std::optional<PrintedNumber> printed;
  if (ocr_read && page.readable) printed = ReadPageNumber(DigitEngine(), prepared.grey);
  if (!printed) printed = catalogue::PrintedPageNumber(page);
  if (printed) {
    page.printed_number = printed->text;
    page.printed_number_box = printed->box;
  }
  // The text as reported and catalogued, with the punctuation the
  // recogniser misreads put back — after the passes above, which read the
  // page's geometry from the lines as recognised.
  if (ocr_read) ocr::CleanLines(page.lines);
  c.pages.push_back(std::move(page));
}

void CaseRunner::WriteSealCrops(const Image& upright, const std::string& case_id, Page& page) const {
  for (std::size_t k = 0; k < page.seals.size(); ++k) {
    auto& seal = page.seals[k];
    std::string rel = "evidence/" + case_id + "/p" + std::to_string(page.number) + "_seal" + std::to_string(k + 1) + ".png";
    std::string abs = options_.out_dir + "/" + rel;
    std::error_code ec;
    fs::create_directories(fs::path(abs).parent_path(), ec);
    std::string tmp = abs + ".tmp.png";
    if (!ec && seals::WriteCrop(upright, seal.box, 0.01, tmp).ok()) {
      fs::rename(tmp, abs, ec);
      if (!ec) seal.crop_png = rel;
    }
  }
}

void CaseRunner::ReadPageCached(ingest::Source& source, int index, const CaseInput& input, Case& c) {
  // The page as read depends on the file, the page, the engines, the
  // reading parameters and the document types (titles), not on the rubrics
  // or the catalogue's other lists: a rubric change re-checks without OCR.
  Phase phase(*this, "page cache");
  std::string key;
  if (options_.cache && !input.input_sha.empty()) {
    key = checks::Sha256Hex(input.input_sha + ":" + std::to_string(index) + ":" + std::to_string(options_.dpi) + ":" +
                            kPageFormat + ":" +
                            options_.provenance.pingcha + ":" + options_.provenance.tesseract + ":" +
                            options_.provenance.ocr_model + ":" + standard_.catalogue.reading_sha256);
    if (auto hit = options_.cache->CachedPage(key)) {
      if (auto page = report::PageFromJson(*hit); page.ok()) {
        Page p = std::move(page).value();
        bool crops_missing = false;
        for (std::size_t k = 0; k < p.seals.size(); ++k) {
          std::string rel = "evidence/" + c.case_id + "/p" + std::to_string(p.number) + "_seal" + std::to_string(k + 1) + ".png";
          if (fs::exists(options_.out_dir + "/" + rel)) p.seals[k].crop_png = rel;
          else crops_missing = true;
        }
        if (crops_missing) {
          auto rgb = source.RenderPage(index, source.info(index).has_text_layer ? 100 : options_.dpi);
          if (rgb.ok()) WriteSealCrops(preprocess::RotateImage(*rgb, p.rotation), c.case_id, p);
        }
        c.pages.push_back(std::move(p));
        return;
      }
    }
  }
  ReadPage(source, index, c.case_id, c);
  // Fresh and cached pages must lead to the same report: both go through
  // the cache's form.
  Page& fresh = c.pages.back();
  std::string json = report::PageToJson(fresh);
  if (auto back = report::PageFromJson(json); back.ok()) {
    std::vector<std::string> crops;
    for (const auto& m : fresh.seals) crops.push_back(m.crop_png);
    fresh = std::move(back).value();
    for (std::size_t k = 0; k < crops.size() && k < fresh.seals.size(); ++k) fresh.seals[k].crop_png = crops[k];
  }
  if (!key.empty() && fresh.readable) (void)options_.cache->PutPage(key, json);
}

seals::GlyphRenderer& CaseRunner::Glyphs() const {
  if (!glyphs_) glyphs_ = std::make_unique<seals::GlyphRenderer>();
  return *glyphs_;
}

void CaseRunner::TieMarksToDocuments(Case& c) const {
  std::string case_text;  // what the case prints (its documents' text): the places a seal may name
  for (const auto& d : c.documents) case_text += d.text + "\n";
  const std::u32string cohort = CaseCharacters(case_text);
  // A file is scanned in one mode: where any of its pages shows colour, a
  // page that shows none is a colour page without red ink, not a grey scan,
  // and a seal missing there is missing.
  const bool scanned_in_colour =
      std::any_of(c.pages.begin(), c.pages.end(), [](const Page& p) { return p.readable && !p.blank && p.colour; });
  for (auto& d : c.documents) {
    const DocType* type = standard_.catalogue.Find(d.type);
    bool party_needed = type && type->party;
    int party_areas = 0, party_signed = 0;
    for (int p = d.first_page; p <= d.last_page; ++p) {
      const Page& page = c.pages[static_cast<std::size_t>(p - 1)];
      if (page.blank) continue;
      if (!page.colour && !scanned_in_colour) d.seal_colour_known = false;
      for (const auto& m : page.seals) {
        Seal s;
        s.page = p;
        s.bbox = m.box;
        s.shape = m.shape;
        s.confidence = m.confidence;
        s.crop_png = m.crop_png;
        if (std::getenv("PINGCHA_RING_DEBUG"))  // calibration of seal_owner.cc against a generated truth
          std::fprintf(stderr, "RING\t%s\t%d\t%f\t%f\t%zu\t%s\n", c.case_id.c_str(), p, m.box.x0, m.box.y0, cohort.size(),
                       RingRanks(m.ring_strip, c.agency, cohort, standard_.catalogue, Glyphs()).c_str());
        if (const char* names = std::getenv("PINGCHA_RING_NAMES"))  // calibration: other agencies' names on this ring
          PrintRingNameVerdicts(names, c, p, m, case_text, cohort, standard_.catalogue, Glyphs());
        // The agency's name verified on the ring's glyphs; failing that, the
        // ring as read (which alone can say "another body").
        const RingVerdict ring = JudgeRing({&m.ring_strip, &m.ring_strip_angle}, c.agency, case_text, cohort,
                                           standard_.catalogue, Glyphs(), m.ring_text.value_or(""));
        if (ring.is_agency.has_value()) {
          s.owner = ring.owner;
          s.is_agency_seal = ring.is_agency;
        } else if (m.ring_text) {
          auto verdict = catalogue::JudgeOwner(*m.ring_text, c.agency, case_text);
          // A reading that decides nothing is noise (人全发洛疏全交管理息): no
          // owner. One that is the agency's, garbled as ring readings are
          // (日尔多戎市东区农履局), names the agency as the case prints it.
          if (verdict.is_agency == std::optional<bool>(true)) {
            const int extra = static_cast<int>(catalogue::HanOnly(verdict.cleaned).size()) -
                              static_cast<int>(catalogue::HanOnly(c.agency).size());
            s.owner = PrintedOwner(c.agency, case_text, extra, standard_.catalogue.places);
          } else if (verdict.is_agency == std::optional<bool>(false) && !verdict.cleaned.empty()) {
            s.owner = verdict.cleaned;
          }
          s.is_agency_seal = verdict.is_agency;
        }
        d.seals.push_back(std::move(s));
      }
      for (const auto& sig : page.signatures) {
        if (sig.role != "party") continue;
        ++party_areas;
        party_signed += sig.present;
      }
    }
    if (party_needed) {
      if (party_areas == 0) d.party_signed = std::nullopt;  // no signature line found: cannot tell
      else d.party_signed = party_signed == party_areas;
    }
  }
}

void CaseRunner::Judge(Case& c) const {
  auto it = standard_.rubrics.find(c.case_type);
  if (it == standard_.rubrics.end()) {
    c.warnings.push_back("no rubric for case type '" + c.case_type + "'");
    return;
  }
  const Rubric& rubric = it->second;
  c.provenance.rubric = rubric.id + " sha256:" + rubric.sha256;
  checks::Context ctx{rubric, standard_.catalogue, standard_.calendar};
  c.findings = checks::RunChecks(c, ctx);
  c.score = score::Compute(c.findings, rubric);
}

Case CaseRunner::Review(const CaseInput& input) {
  Case c;
  c.case_id = input.case_id;
  c.source.path = input.rel_path;
  c.provenance = options_.provenance;
  c.provenance.catalogue = "sha256:" + standard_.catalogue.sha256;
  c.agency = input.agency;
  c.agency_from = input.agency_from;
  c.case_type = input.case_type;
  c.case_type_from = input.case_type_from;
  auto hash = input.input_sha.empty() ? HashInput(input.path) : Result<std::string>(input.input_sha);
  if (!hash.ok()) return ErrorCase(c, Status(hash.status().code(), Relativise(hash.status().message(), input.path, input.rel_path)));
  c.source.sha256 = *hash;
  auto opened = ingest::Open(input.path, options_.limits);
  if (!opened.ok())
    return ErrorCase(c, Status(opened.status().code(), Relativise(opened.status().message(), input.path, input.rel_path)));
  auto& source = *opened.value();
  c.source.pages = source.page_count();
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < source.page_count(); ++i) {
    if (options_.stop && options_.stop->load()) return ErrorCase(c, Status("interrupted", input.rel_path + ": interrupted"));
    double spent = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (options_.case_timeout_s > 0 && spent > options_.case_timeout_s)
      return ErrorCase(c, Status("timeout", input.rel_path + ": the case took over " + std::to_string(options_.case_timeout_s) +
                                                " s (" + std::to_string(i) + " of " + std::to_string(source.page_count()) +
                                                " pages read); raise --case-timeout to review it"));
    ReadPageCached(source, i, input, c);
    // After the cache: a place added to the catalogue mends cached pages too.
    catalogue::MendPlaceNames(c.pages.back(), standard_.catalogue);
    if (options_.write_text) {
      Phase phase(*this, "text files");
      std::string text;
      const Page& page = c.pages.back();
      // The printed page number, read in the margin pass, is part of the
      // page: in reading order where its box is (above the text when it is
      // printed at the top), else last.
      const bool number_read = page.printed_number && std::none_of(page.lines.begin(), page.lines.end(), [&](const TextLine& l) {
        return l.text == *page.printed_number;
      });
      bool number_written = !number_read;
      for (const auto& l : page.lines) {
        if (!number_written && page.printed_number_box && page.printed_number_box->y0 < l.box.y0) {
          text += *page.printed_number + "\n";
          number_written = true;
        }
        text += l.text + "\n";
      }
      if (!number_written) text += *page.printed_number + "\n";
      auto st = report::WriteAtomic(options_.out_dir + "/text/" + c.case_id + "/" + std::to_string(i + 1) + ".txt", text);
      if (!st.ok()) c.warnings.push_back(st.message());
    }
  }
  if (std::none_of(c.pages.begin(), c.pages.end(), [](const Page& p) { return p.readable; }))
    return ErrorCase(c, Status("unreadable", input.rel_path + ": no page could be read" +
                                                 (c.warnings.empty() ? std::string()
                                                                     : " (" + Relativise(c.warnings.front(), input.path, input.rel_path) + ")")));

  // Nothing on any page: a scan that failed, or page images that could not
  // be decoded (Poppler draws a corrupt JPEG stream as white paper).
  if (std::all_of(c.pages.begin(), c.pages.end(), [](const Page& p) { return p.blank || !p.readable; }))
    return ErrorCase(c, Status("unreadable", input.rel_path + ": every page is blank (" + std::to_string(c.pages.size()) +
                                                 " pages): nothing to review — a failed scan, or page images that could not be decoded"));
  Phase phase(*this, "catalogue and checks");
  c.documents = catalogue::BuildDocuments(c.pages, standard_.catalogue);
  if (c.agency.empty()) {
    c.agency = catalogue::DetectAgency(c.pages);
    c.agency_from = c.agency.empty() ? "" : "detected";
  }
  if (c.case_type.empty()) {
    c.case_type = catalogue::DetectCaseType(c.documents, standard_.catalogue);
    c.case_type_from = c.case_type.empty() ? "" : "detected";
  }
  c.procedure = input.procedure.empty() ? catalogue::DetectProcedure(c.documents) : input.procedure;
  {
    Phase owners(*this, "seal owners");
    TieMarksToDocuments(c);
  }
  if (c.case_type.empty()) return ErrorCase(c, Status("unknown_case_type", input.rel_path + ": no document says what kind of case this is"));
  Judge(c);

  // The report gives boxes on the page as stored: undo the reading rotation.
  auto rotation_of = [&](int page) { return page >= 1 && page <= static_cast<int>(c.pages.size()) ? c.pages[static_cast<std::size_t>(page - 1)].rotation : 0; };
  for (auto& d : c.documents)
    for (auto& s : d.seals) s.bbox = UnrotateBox(s.bbox, rotation_of(s.page));
  for (auto& f : c.findings)
    for (auto& e : f.evidence) e.bbox = UnrotateBox(e.bbox, rotation_of(e.page));
  for (auto& p : c.pages) p.lines.clear(), p.seals.clear(), p.signatures.clear();  // not reported
  return c;
}

}  // namespace pingcha
