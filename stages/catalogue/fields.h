// Field readers for one document: 文号, date, party, credit code, amount,
// officers, remedy clause, service fields, seizure period, TOC rows. Each
// field keeps the page, box and text it was read from. Thread-safe.
#pragma once

#include <string>
#include <vector>

#include "models/document.h"
#include "models/page.h"
#include "models/rubric.h"

namespace pingcha::catalogue {

void ReadFields(Document& doc, const std::vector<Page>& pages, const Catalogue& catalogue);

// Officers named on a line: "张三（执法证号：15060123456）" → name + number.
std::vector<Officer> ParseOfficers(const std::string& line_text);

// Seizure period in days from text such as "期限为30日" / "期限为三十日".
int ParseSeizureDays(const std::string& text);

}  // namespace pingcha::catalogue
