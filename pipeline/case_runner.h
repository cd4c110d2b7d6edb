// The per-case run: ingest → preprocess → OCR → seals/signatures →
// catalogue → checks → score, for one case file, with one OCR engine.
//
// Contract: Review() never throws and always returns a Case: status "ok",
// or "error" with a stable code when the file cannot be reviewed at all.
// Page-level trouble (a page that fails OCR) is a warning: the page is
// marked unreadable and the checks that need it become manual. Pages are
// rendered one at a time, so memory does not grow with the page count.
// Writes only under options.out_dir (evidence crops, page text).
// A CaseRunner is used by one thread at a time (it owns an OCR engine).
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <string>

#include "models/case.h"
#include "models/cpu_clock.h"
#include "pipeline/archive.h"
#include "pipeline/standard.h"
#include "pipeline/state.h"
#include "stages/ingest/ingest.h"
#include "stages/ocr/ocr.h"
#include "stages/seals/ring_match.h"

namespace pingcha {

struct RunOptions {
  std::string out_dir;
  int dpi = 200;                 // rendering resolution for OCR
  bool write_text = false;       // OUT/text/<case_id>/<page>.txt
  int page_timeout_ms = 60000;   // per page OCR limit
  int case_timeout_s = 3600;     // per case limit (0: none); over it the case is an error "timeout"
  const std::atomic<bool>* stop = nullptr;  // set: abandon the case between pages ("interrupted")
  State* cache = nullptr;        // per-page OCR cache (OUT/state.sqlite); may be null
  ingest::Limits limits;
  Provenance provenance;         // filled once per run (versions); rubric per case
};

class CaseRunner {
 public:
  // `engine` may be null: one is made on the first page that needs OCR, so a
  // rerun that reuses every report starts no engine at all.
  CaseRunner(const Standard& standard, const RunOptions& options, std::unique_ptr<ocr::Engine> engine);
  Case Review(const CaseInput& input);
  double ocr_seconds() const {
    return (engine_ ? engine_->recognition_seconds() : 0) + (digit_engine_ ? digit_engine_->recognition_seconds() : 0);
  }
  // Time spent outside Tesseract's recognition, by phase of the per-case run
  // (render, prepare, seals, rings, catalogue …): where the rest of the
  // worker time goes (issue #4 measures it).
  const std::map<std::string, double>& phase_seconds() const { return phases_; }

 private:
  void ReadPage(ingest::Source& source, int index, const std::string& case_id, Case& c);
  void ReadPageCached(ingest::Source& source, int index, const CaseInput& input, Case& c);
  void WriteSealCrops(const Image& upright, const std::string& case_id, Page& page) const;
  ocr::Engine& Engine();
  ocr::Engine& DigitEngine();  // Latin model: isolated digits (page numbers)
  void TieMarksToDocuments(Case& c) const;
  seals::GlyphRenderer& Glyphs() const;  // made on first use
  void Judge(Case& c) const;

  // Adds the wall time of its scope, less the recognition time and the
  // phases nested in it, to phases_[name].
  class Phase {
   public:
    Phase(CaseRunner& runner, const char* name)
        : runner_(runner), name_(name), parent_(runner.open_phase_), t0_(ThreadCpuSeconds()),
          ocr0_(runner.ocr_seconds()) {
      runner_.open_phase_ = this;
    }
    ~Phase() {
      const double spent = ThreadCpuSeconds() - t0_;
      const double own = spent - (runner_.ocr_seconds() - ocr0_);
      runner_.phases_[name_] += own - nested_;
      runner_.open_phase_ = parent_;
      if (parent_) parent_->nested_ += own;
    }
    Phase(const Phase&) = delete;
    Phase& operator=(const Phase&) = delete;

   private:
    CaseRunner& runner_;
    const char* name_;
    Phase* parent_;
    double t0_;  // ThreadCpuSeconds
    double ocr0_;
    double nested_ = 0;
  };

  const Standard& standard_;
  RunOptions options_;
  std::unique_ptr<ocr::Engine> engine_;
  std::unique_ptr<ocr::Engine> digit_engine_;
  mutable std::unique_ptr<seals::GlyphRenderer> glyphs_;
  std::map<std::string, double> phases_;
  Phase* open_phase_ = nullptr;
};

// Sha256 of a case input: the file, or for a folder the page files in order.
Result<std::string> HashInput(const std::string& path);

}  // namespace pingcha
