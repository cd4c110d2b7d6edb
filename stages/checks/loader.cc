#include "stages/checks/loader.h"

#include <toml++/toml.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "stages/checks/calendar.h"
#include "stages/checks/digest.h"

namespace pingcha::checks {
namespace {

const std::set<std::string> kKinds = {
    "document_required", "seal_required",  "seal_owner",     "party_signed",   "officers_certified",
    "date_order",        "deadline",       "text_required",  "field_consistent", "value_max",
    "binding_order",     "page_numbering", "toc_matches"};

int LineOf(const toml::node* n) {
  return n ? static_cast<int>(n->source().begin.line) : 0;
}

struct Ctx {
  std::string path;
  Status error;
  bool Fail(const toml::node* n, const std::string& msg) {
    if (error.ok()) error = Status("invalid_rubric", path + ":" + std::to_string(LineOf(n)) + ": " + msg);
    return false;
  }
  bool Fail(int line, const std::string& msg) {
    if (error.ok()) error = Status("invalid_rubric", path + ":" + std::to_string(line) + ": " + msg);
    return false;
  }
};

Result<std::string> ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status("io_error", path + ": cannot open");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Result<toml::table> Parse(const std::string& path, const std::string& text) {
  // toml++ is built with exceptions here: they stop at this boundary.
  try {
    return toml::parse(text, path);
  } catch (const toml::parse_error& e) {
    return Status("invalid_rubric", path + ":" + std::to_string(e.source().begin.line) + ": " +
                                        std::string(e.description()));
  }
}

std::string Str(const toml::table& t, const char* key, const std::string& def = "") {
  return t[key].value_or(def);
}

std::vector<std::string> StrList(Ctx& ctx, const toml::table& t, const char* key) {
  std::vector<std::string> out;
  const toml::node* n = t.get(key);
  if (!n) return out;
  const toml::array* a = n->as_array();
  if (!a) {
    ctx.Fail(n, std::string("'") + key + "' must be a list of strings");
    return out;
  }
  for (const auto& v : *a) {
    if (auto s = v.value<std::string>()) out.push_back(*s);
    else ctx.Fail(&v, std::string("'") + key + "' must hold strings");
  }
  return out;
}

double Num(Ctx& ctx, const toml::table& t, const char* key, double def) {
  const toml::node* n = t.get(key);
  if (!n) return def;
  if (auto v = n->value<double>()) return *v;
  ctx.Fail(n, std::string("'") + key + "' must be a number");
  return def;
}

bool CheckKeys(Ctx& ctx, const toml::table& t, const std::set<std::string>& allowed, const char* what) {
  for (const auto& [k, v] : t) {
    if (!allowed.count(std::string(k.str())))
      return ctx.Fail(&v, std::string("unknown key '") + std::string(k.str()) + "' in " + what);
  }
  return true;
}

CheckSpec ParseCheck(Ctx& ctx, const toml::table& t) {
  static const std::set<std::string> kCheckKeys = {
      "kind", "documents", "patterns", "before", "after", "from", "to", "from_field", "to_field", "periods",
      "field", "max_value", "unless_present", "when_present", "when_text", "procedure", "order", "min_count",
      "deduct", "note"};
  CheckSpec c;
  c.line = LineOf(&t);
  CheckKeys(ctx, t, kCheckKeys, "a check");
  c.kind = Str(t, "kind");
  if (c.kind.empty()) ctx.Fail(&t, "check without 'kind'");
  else if (!kKinds.count(c.kind)) ctx.Fail(t.get("kind"), "unknown check '" + c.kind + "'");
  c.documents = StrList(ctx, t, "documents");
  c.patterns = StrList(ctx, t, "patterns");
  c.before = Str(t, "before");
  c.after = Str(t, "after");
  c.from = Str(t, "from");
  c.to = Str(t, "to");
  c.from_field = Str(t, "from_field", "date");
  c.to_field = Str(t, "to_field", "date");
  c.field = Str(t, "field");
  c.max_value = Num(ctx, t, "max_value", 0);
  c.unless_present = StrList(ctx, t, "unless_present");
  c.when_present = StrList(ctx, t, "when_present");
  c.when_text = Str(t, "when_text");
  c.procedure = Str(t, "procedure");
  c.order = StrList(ctx, t, "order");
  c.min_count = static_cast<int>(Num(ctx, t, "min_count", 2));
  if (t.get("deduct")) c.deduct = Num(ctx, t, "deduct", 0);
  if (const toml::array* ps = t["periods"].as_array()) {
    for (const auto& pn : *ps) {
      const toml::table* pt = pn.as_table();
      if (!pt) { ctx.Fail(&pn, "'periods' must hold tables"); continue; }
      Period p;
      p.from = Str(*pt, "from");
      p.days = static_cast<int>(Num(ctx, *pt, "days", -1));
      p.unit = Str(*pt, "unit", "natural");
      p.law = Str(*pt, "law");
      if (p.days < 0) ctx.Fail(&pn, "period without 'days'");
      if (p.unit != "natural" && p.unit != "working") ctx.Fail(&pn, "period unit must be 'natural' or 'working'");
      if (!p.from.empty() && !ParseIso(p.from)) ctx.Fail(&pn, "period 'from' must be an ISO date");
      c.periods.push_back(p);
    }
  }
  // Required parameters per kind.
  auto need = [&](bool ok, const char* what) { if (!ok) ctx.Fail(&t, "check '" + c.kind + "' needs " + what); };
  if (c.kind == "document_required" || c.kind == "seal_required" || c.kind == "seal_owner" ||
      c.kind == "party_signed" || c.kind == "officers_certified" || c.kind == "text_required")
    need(!c.documents.empty(), "'documents'");
  if (c.kind == "text_required") need(!c.patterns.empty(), "'patterns'");
  if (c.kind == "date_order") need(!c.before.empty() && !c.after.empty(), "'before' and 'after'");
  if (c.kind == "deadline") need(!c.from.empty() && !c.to.empty() && !c.periods.empty(), "'from', 'to' and 'periods'");
  if (c.kind == "field_consistent") need(!c.from.empty() && t.get("from_field"), "'from' and 'from_field'");
  if (c.kind == "value_max") need(!c.field.empty() && t.get("max_value"), "'field' and 'max_value'");
  if (c.kind == "binding_order") need(c.order.size() >= 2, "an 'order' of at least two document types");
  return c;
}

}  // namespace

bool IsKnownCheckKind(const std::string& kind) { return kKinds.count(kind) > 0; }

Result<Rubric> LoadRubric(const std::string& path) {
  auto text = ReadAll(path);
  if (!text.ok()) return text.status();
  return ParseRubric(*text, path);
}

Result<Rubric> ParseRubric(const std::string& source, const std::string& path) {
  const std::string* text = &source;
  auto parsed = Parse(path, *text);
  if (!parsed.ok()) return parsed.status();
  const toml::table& root = *parsed;
  Ctx ctx{path, {}};
  Rubric r;
  r.path = path;
  r.sha256 = Sha256Hex(*text);
  CheckKeys(ctx, root, {"rubric", "category", "item"}, "the file");
  const toml::table* head = root["rubric"].as_table();
  if (!head) return Status("invalid_rubric", path + ":1: missing [rubric] table");
  CheckKeys(ctx, *head, {"id", "annex", "title", "case_types", "max", "veto_mode", "veto_grade", "bands"}, "[rubric]");
  r.id = Str(*head, "id");
  r.annex = Str(*head, "annex");
  r.title = Str(*head, "title");
  r.case_types = StrList(ctx, *head, "case_types");
  r.max = Num(ctx, *head, "max", 100);
  r.veto_mode = Str(*head, "veto_mode", "zero_score");
  r.veto_grade = Str(*head, "veto_grade", "不合格");
  if (r.id.empty()) ctx.Fail(head, "[rubric] needs an 'id'");
  if (r.veto_mode != "zero_score" && r.veto_mode != "not_excellent")
    ctx.Fail(head->get("veto_mode"), "veto_mode must be 'zero_score' or 'not_excellent'");
  if (const toml::array* bands = (*head)["bands"].as_array()) {
    for (const auto& b : *bands) {
      const toml::table* bt = b.as_table();
      if (!bt) { ctx.Fail(&b, "bands must be tables { min, grade }"); continue; }
      r.bands.push_back({Num(ctx, *bt, "min", 0), Str(*bt, "grade")});
    }
  }
  if (r.bands.empty()) ctx.Fail(head, "[rubric] needs 'bands'");
  std::sort(r.bands.begin(), r.bands.end(), [](const Band& a, const Band& b) { return a.min > b.min; });
  std::set<std::string> cat_ids;
  if (const toml::array* cats = root["category"].as_array()) {
    for (const auto& cn : *cats) {
      const toml::table* ct = cn.as_table();
      if (!ct) continue;
      CheckKeys(ctx, *ct, {"id", "name", "weight"}, "a category");
      Category c{Str(*ct, "id"), Str(*ct, "name"), Num(ctx, *ct, "weight", 0)};
      if (c.id.empty()) ctx.Fail(ct, "category without 'id'");
      if (!cat_ids.insert(c.id).second) ctx.Fail(ct, "duplicate category '" + c.id + "'");
      r.categories.push_back(c);
    }
  }
  std::set<std::string> item_ids;
  if (const toml::array* items = root["item"].as_array()) {
    for (const auto& in : *items) {
      const toml::table* it = in.as_table();
      if (!it) continue;
      CheckKeys(ctx, *it, {"id", "category", "text", "points", "rule", "veto", "procedures", "case_types", "check", "note", "auto"}, "an item");
      RubricItem item;
      item.line = LineOf(it);
      item.id = Str(*it, "id");
      item.category = Str(*it, "category");
      item.text = Str(*it, "text");
      item.points = Num(ctx, *it, "points", 0);
      item.rule = Str(*it, "rule");
      item.veto = (*it)["veto"].value_or(false);
      item.procedures = StrList(ctx, *it, "procedures");
      item.case_types = StrList(ctx, *it, "case_types");
      if (item.id.empty()) ctx.Fail(it, "item without 'id'");
      if (!item_ids.insert(item.id).second) ctx.Fail(it, "duplicate item '" + item.id + "'");
      if (!cat_ids.count(item.category)) ctx.Fail(it->get("category") ? it->get("category") : it, "unknown category '" + item.category + "' in item '" + item.id + "'");
      if (item.points < 0) ctx.Fail(it->get("points"), "negative points in item '" + item.id + "'");
      if (const toml::array* checks = (*it)["check"].as_array()) {
        for (const auto& cn : *checks) {
          if (const toml::table* ct = cn.as_table()) item.checks.push_back(ParseCheck(ctx, *ct));
        }
      }
      item.manual = item.checks.empty();
      r.items.push_back(std::move(item));
    }
  }
  if (r.items.empty()) ctx.Fail(&root, "no [[item]] in the file");
  if (!ctx.error.ok()) return ctx.error;
  return r;
}

Status ValidateAgainst(const Rubric& rubric, const Catalogue& catalogue) {
  for (const auto& item : rubric.items) {
    for (const auto& c : item.checks) {
      std::vector<std::string> refs = c.documents;
      for (const auto* v : {&c.unless_present, &c.when_present, &c.order}) refs.insert(refs.end(), v->begin(), v->end());
      for (const auto* s : {&c.before, &c.after, &c.from, &c.to})
        if (!s->empty()) refs.push_back(*s);
      for (const auto& id : refs) {
        if (!catalogue.Find(id))
          return Status("invalid_rubric", rubric.path + ":" + std::to_string(c.line) + ": unknown document type '" + id +
                                              "' in item '" + item.id + "'");
      }
    }
  }
  return Status::Ok();
}

Result<Catalogue> LoadCatalogue(const std::string& path) {
  auto text = ReadAll(path);
  if (!text.ok()) return text.status();
  auto parsed = Parse(path, *text);
  if (!parsed.ok()) return parsed.status();
  Ctx ctx{path, {}};
  Catalogue cat;
  cat.sha256 = Sha256Hex(*text);
  std::set<std::string> ids;
  if (const toml::array* types = (*parsed)["doctype"].as_array()) {
    std::ostringstream reading;
    reading << *types;  // the document types as parsed: no comments, no other lists
    cat.reading_sha256 = Sha256Hex(reading.str());
    for (const auto& tn : *types) {
      const toml::table* t = tn.as_table();
      if (!t) continue;
      DocType d;
      d.id = Str(*t, "id");
      d.title = Str(*t, "title");
      d.variants = StrList(ctx, *t, "variants");
      d.case_types = StrList(ctx, *t, "case_types");
      d.seal = (*t)["seal"].value_or(false);
      d.party = (*t)["party"].value_or(false);
      d.officers = (*t)["officers"].value_or(false);
      d.keywords = StrList(ctx, *t, "keywords");
      d.min_keywords = static_cast<int>(Num(ctx, *t, "min_keywords", d.keywords.empty() ? 0 : 2));
      if (!d.keywords.empty() && (d.min_keywords < 1 || d.min_keywords > static_cast<int>(d.keywords.size())))
        ctx.Fail(t, "doctype '" + d.id + "': min_keywords must be between 1 and the number of keywords");
      if (d.id.empty() || d.title.empty()) ctx.Fail(t, "doctype needs 'id' and 'title'");
      if (!ids.insert(d.id).second) ctx.Fail(t, "duplicate doctype '" + d.id + "'");
      cat.types.push_back(std::move(d));
    }
  }
  if (cat.types.empty()) ctx.Fail(&*parsed, "no [[doctype]] in the file");
  cat.internal_units = StrList(ctx, *parsed, "internal_units");
  cat.places = StrList(ctx, *parsed, "places");
  cat.bodies = StrList(ctx, *parsed, "bodies");
  cat.counties = StrList(ctx, *parsed, "counties");
  if (!ctx.error.ok()) return ctx.error;
  return cat;
}

Result<Calendar> LoadCalendar(const std::string& path) {
  auto text = ReadAll(path);
  if (!text.ok()) return text.status();
  auto parsed = Parse(path, *text);
  if (!parsed.ok()) return parsed.status();
  Ctx ctx{path, {}};
  Calendar cal;
  cal.first_year = static_cast<int>(Num(ctx, *parsed, "first_year", 0));
  cal.last_year = static_cast<int>(Num(ctx, *parsed, "last_year", 0));
  if (const toml::array* years = (*parsed)["year"].as_array()) {
    for (const auto& yn : *years) {
      const toml::table* y = yn.as_table();
      if (!y) continue;
      for (const auto& d : StrList(ctx, *y, "holidays")) {
        if (!ParseIso(d)) ctx.Fail(y, "not an ISO date: '" + d + "'");
        cal.holidays.insert(d);
      }
      for (const auto& d : StrList(ctx, *y, "workdays")) {
        if (!ParseIso(d)) ctx.Fail(y, "not an ISO date: '" + d + "'");
        cal.workdays.insert(d);
      }
    }
  }
  if (cal.first_year == 0 || cal.last_year < cal.first_year) ctx.Fail(&*parsed, "calendar needs first_year and last_year");
  if (!ctx.error.ok()) return ctx.error;
  return cal;
}

}  // namespace pingcha::checks
