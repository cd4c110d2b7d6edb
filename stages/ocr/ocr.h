// Stage "ocr": reads text with boxes and confidences from a grey page image,
// with Tesseract (chi_sim, LSTM).
//
// Contract: one Engine per worker thread (TessBaseAPI is not thread-safe);
// an Engine is reused page after page (Clear() between pages, End() once on
// destruction). Read() never throws; a page that fails or exceeds its time
// limit returns an error Status (code "ocr_failed" / "timeout") and the
// caller marks the page unreadable. OpenMP inside Tesseract must be limited
// to one thread by the process (OMP_THREAD_LIMIT=1 before the library loads;
// see pipeline/main.cc).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "models/image.h"
#include "models/page.h"
#include "models/status.h"

namespace pingcha::ocr {

struct Options {
  std::string tessdata;        // folder holding chi_sim.traineddata; "" = default
  std::string language = "chi_sim";
};

enum class Layout { kPage, kBlock, kLine, kWord, kSparse };

class Engine {
 public:
  // Errors: dependency_missing (no model: says which package installs it).
  static Result<std::unique_ptr<Engine>> Create(const Options& options);
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Lines in reading order; boxes as fractions of `grey`. A non-empty
  // `whitelist` restricts recognition to those characters (for fields whose
  // alphabet is known, such as a date).
  Result<std::vector<TextLine>> Read(const Image& grey, Layout layout, int timeout_ms,
                                     const std::string& whitelist = "");
  // Clockwise rotation (0/90/180/270) that makes the page upright, with the
  // detector's confidence; {0, 0} when orientation data is unavailable.
  std::pair<int, double> DetectUpright(const Image& grey);

  static std::string Version();
  std::string ModelPath() const;
  // Processor seconds the calling threads spent inside Tesseract's
  // recognition (Recognize and orientation detection) since the engine was
  // made: to measure the pipeline's overhead.
  double recognition_seconds() const;

 private:
  struct Impl;
  explicit Engine(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Joins recognised words: no space between CJK characters, one between
// Latin/digit runs. Exposed for tests.
std::string JoinWords(const std::vector<Word>& words);

// Puts back punctuation chi_sim misreads on Chinese official papers, where
// the context leaves no doubt; one character for one, or dropped, so every
// word keeps its box:
//  - '|' and '¦' are a table's rules read as characters (never text here);
//  - a year between brackets of which one is not round — 【2021] (2021]
//    [2021] 〈2021〕 — is the 文号's 〔2021〕 (GB/T 9704); (2021) is left;
//  - ']' between digits or date and page words (1]月]日, 共]页) is the digit 1;
//  - '〈' '〉' are the full-width parentheses （ ） (签名〈盖章), 第〈三)项);
//  - a word read unsurely (< 0.7) of Latin letters and ASCII marks only
//    (-_<>=~) is a signature's scribble, dropped — unless a numeral is
//    beside it (二O二一).
// Words left empty are dropped; a line left without words has empty text.
void CleanLine(TextLine& line);
// CleanLine on every line; lines left empty are dropped. For the text as
// reported, after the passes that read the page's geometry (which lines
// cover which ink) — a line of table rules still covers them there.
void CleanLines(std::vector<TextLine>& lines);

// Default tessdata folder (TESSDATA_PREFIX or the Debian location).
std::string DefaultTessdata();

}  // namespace pingcha::ocr
