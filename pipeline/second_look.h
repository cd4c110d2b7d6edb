// Second looks at a page (pipeline/second_look.cc): passes that read parts
// of a page again where the page reading misses or garbles text. `grey` is
// the page as OCR reads it (seal ink dropped); boxes are page fractions.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "models/image.h"
#include "models/page.h"
#include "models/rubric.h"
#include "stages/ocr/ocr.h"

namespace pingcha {

// The mean confidence of the lines' words (0 when there are none).
double MeanConfidence(const std::vector<TextLine>& lines);

// Printed page numbers are small and isolated: full-page layout analysis
// often drops them. Read the top and bottom margins again as sparse text.
std::vector<TextLine> ReadMargins(ocr::Engine& engine, const Image& grey);

// Large, letter-spaced titles fall apart at body-text resolution (a cover's
// "行 政 处 罚 案 卷" reads as scattered characters). Read the top of the page
// again at half resolution; keep a line only if it is a title, in place of
// the pieces of its row first read.
void ReadTitleSmaller(ocr::Engine& engine, const Image& grey, const Catalogue& catalogue, Page& page);

// Lines under a seal: the new reading replaces the old one when the
// recogniser is more confident of it.
void RereadUnderSeals(ocr::Engine& engine, const Image& grey, const std::vector<Mark>& seals, Page& page);

// A page number stands alone in a margin, small. The Chinese model reads an
// isolated digit as a look-alike character (9 → 弓, 7 → 了); the Latin one,
// held to digits, on a clean black-and-white crop twice the size, reads it.
std::optional<PrintedNumber> ReadPageNumber(ocr::Engine& digits, const Image& grey);

// Layout analysis can drop the lines under a seal altogether (the 落款
// agency and date with the seal's traces across them). Read each seal's
// band of the page again as a block, traces taken as paper, and add the
// lines that the page reading does not have.
void ReadUnderSealsAgain(ocr::Engine& engine, const Image& grey, const std::vector<Mark>& seals, Page& page);

// Layout analysis sometimes takes a line of print for something else and
// reads it as a character or two ("人" for 东环罚告字〔2021〕第030号, "|Tt"
// for a whole line of body text). A line read with fewer than half the
// characters its box holds, and unsurely, is read again alone as a block;
// the new lines replace it when they hold twice its confident characters
// and more (lines the page already has are not added again).
void RereadSparseLines(ocr::Engine& engine, const Image& grey, Page& page);

// Layout analysis also drops lines elsewhere: a form's label in a table
// cell beside a handwritten signature (受送达人签名（盖章）) is the common
// case. Ink that looks like a line of text and that no line read covers is
// read again as one line; a confident reading joins the page.
void ReadMissedLines(ocr::Engine& engine, const Image& grey, Page& page);

// Red print — a decision's letterhead (红头) — is dropped from the page
// reading with the seals' ink. Lines of red ink outside the seals are read
// on `red_ink` (preprocess::RedInk, aligned with the page reading) and a
// confident reading joins the page in reading order.
void ReadRedPrint(ocr::Engine& engine, const Image& red_ink, double skew_degrees, const std::vector<Mark>& seals,
                  Page& page);

// A 落款 date is a short line of its own in the lower part of the page. One
// that does not read as a date ("二口汪=年二月村为华", "2021年8月49日") is
// read again with the recogniser held to a date's characters, black and
// white at four greys. A new reading is kept only if it is a whole, valid
// date, no grey reads another date, and either two greys read it or it is
// the free reading with one character mended (49 → 19).
void RereadDateLines(ocr::Engine& engine, const Image& grey, const std::vector<Mark>& seals, Page& page);

}  // namespace pingcha
