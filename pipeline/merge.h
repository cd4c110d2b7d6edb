// Working with finished outputs: merge shard outputs into one (reports,
// evidence, workbooks), and explain a case's findings from its report.
// Both read case reports only; neither runs OCR. Not thread-safe.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "models/status.h"
#include "pipeline/batch.h"
#include "pipeline/standard.h"

namespace pingcha {

// Copies OUT_i/cases and OUT_i/evidence into `out` and writes the workbooks
// of all cases, exactly as one batch over the union would. The same case id
// in two shards must have identical reports.
Result<BatchResult> MergeOutputs(const std::vector<std::string>& shard_outs, const std::string& out,
                                 const Standard& standard);

// Prints the evidence trail of CASE_ID's findings (one item, or every
// deduction and manual item): documents, pages, quoted text, dates, law.
Status Explain(const std::string& out, const std::string& case_id, const std::string& item, std::ostream& os);

}  // namespace pingcha
