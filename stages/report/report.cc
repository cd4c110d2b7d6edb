#include "stages/report/report.h"

#include <unistd.h>

#include <cmath>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

namespace pingcha::report {
namespace {

using Json = nlohmann::ordered_json;

// Integral values print as integers (5, not 5.0); others rounded.
Json Num(double v, int decimals) {
  double scale = std::pow(10.0, decimals);
  double r = std::round(v * scale) / scale;
  if (r == std::floor(r) && std::abs(r) < 1e15) return static_cast<long long>(r);
  return r;
}

Json Box(const BBox& b) { return Json::array({Num(b.x0, 4), Num(b.y0, 4), Num(b.x1, 4), Num(b.y1, 4)}); }

template <typename T>
Json OrNull(const std::optional<T>& v) {
  return v ? Json(*v) : Json(nullptr);
}

Json Str(const std::string& s) { return s.empty() ? Json(nullptr) : Json(s); }

Json PageJson(const Page& p) {
  Json j;
  j["page"] = p.number;
  j["rotation"] = p.rotation;
  j["text_from"] = p.text_from;
  j["mean_confidence"] = p.mean_confidence ? Num(*p.mean_confidence, 2) : Json(nullptr);
  j["printed_number"] = OrNull(p.printed_number);
  j["printed_number_box"] = p.printed_number_box ? Box(*p.printed_number_box) : Json(nullptr);
  j["blank"] = p.blank;
  j["readable"] = p.readable;
  j["colour"] = p.colour;
  j["skew"] = Num(p.skew_degrees, 2);
  j["warning"] = Str(p.warning);
  return j;
}

Json DocumentJson(const Document& d) {
  Json j;
  j["type"] = d.type;
  j["title"] = d.title;
  j["first_page"] = d.first_page;
  j["last_page"] = d.last_page;
  j["confidence"] = Num(d.confidence, 2);
  j["doc_number"] = d.doc_number ? Json(d.doc_number->value) : Json(nullptr);
  j["date"] = d.date ? Json(d.date->value) : Json(nullptr);
  j["seals"] = Json::array();
  for (const auto& s : d.seals) {
    Json sj;
    sj["page"] = s.page;
    sj["bbox"] = Box(s.bbox);
    sj["shape"] = s.shape;
    sj["owner"] = OrNull(s.owner);
    sj["is_agency_seal"] = OrNull(s.is_agency_seal);
    sj["confidence"] = Num(s.confidence, 2);
    sj["crop"] = Str(s.crop_png);
    j["seals"].push_back(sj);
  }
  j["party_signed"] = OrNull(d.party_signed);
  j["officers"] = Json::array();
  for (const auto& o : d.officers) {
    Json oj;
    oj["name"] = Str(o.name);
    oj["certificate"] = OrNull(o.certificate);
    oj["page"] = o.page;
    j["officers"].push_back(oj);
  }
  j["fields"] = Json::object();
  for (const auto& [k, f] : d.fields) j["fields"][k] = f.value;  // std::map: sorted keys
  if (!d.seal_colour_known) j["seals_unknown"] = "grey_scan";
  return j;
}

Json FindingJson(const Finding& f) {
  Json j;
  j["item"] = f.item;
  j["status"] = f.status;
  j["points"] = Num(f.points, 2);
  j["deducted"] = Num(f.deducted, 2);
  j["reason"] = f.reason;
  j["evidence"] = Json::array();
  for (const auto& e : f.evidence) {
    Json ej;
    ej["page"] = e.page;
    ej["bbox"] = Box(e.bbox);
    ej["text"] = e.text;
    j["evidence"].push_back(ej);
  }
  if (!f.crop_png.empty()) j["crop"] = f.crop_png;
  return j;
}

}  // namespace

std::string ToJson(const Case& c) {
  Json j;
  j["schema"] = kSchema;
  j["case_id"] = c.case_id;
  j["source"] = {{"path", c.source.path}, {"sha256", c.source.sha256}, {"pages", c.source.pages}};
  j["status"] = c.status;
  j["error"] = c.error ? Json{{"code", c.error->code}, {"message", c.error->message}} : Json(nullptr);
  j["case_type"] = Str(c.case_type);
  j["case_type_from"] = Str(c.case_type_from);
  j["procedure"] = Str(c.procedure);
  j["agency"] = Str(c.agency);
  j["agency_from"] = Str(c.agency_from);
  j["pages"] = Json::array();
  for (const auto& p : c.pages) j["pages"].push_back(PageJson(p));
  j["documents"] = Json::array();
  for (const auto& d : c.documents) j["documents"].push_back(DocumentJson(d));
  j["findings"] = Json::array();
  for (const auto& f : c.findings) j["findings"].push_back(FindingJson(f));
  if (c.status == "ok") {
    j["score"] = {{"max", Num(c.score.max, 2)},           {"deducted", Num(c.score.deducted, 2)},
                  {"score", Num(c.score.score, 2)},       {"grade", c.score.grade},
                  {"veto", c.score.veto},                 {"manual_pending", c.score.manual_pending}};
  } else {
    j["score"] = nullptr;
  }
  const auto& p = c.provenance;
  j["provenance"] = {{"pingcha", p.pingcha},     {"tesseract", p.tesseract}, {"leptonica", p.leptonica},
                     {"poppler", p.poppler},     {"ocr_model", p.ocr_model}, {"rubric", p.rubric},
                     {"catalogue", p.catalogue}};
  // Invalid UTF-8 (a file name, a message) becomes U+FFFD instead of throwing.
  return j.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

namespace {

BBox ReadBox(const Json& j) {
  if (!j.is_array() || j.size() != 4) return {};
  return {j[0].get<double>(), j[1].get<double>(), j[2].get<double>(), j[3].get<double>()};
}

// j[key] for a read-only j: null when j is not an object or has no such key.
// (operator[] on a const json with a missing key is undefined behaviour: it
// read out of bounds on a damaged report, found by fuzz/fuzz_report.)
const Json& Get(const Json& j, const char* key) {
  static const Json kNull;
  if (!j.is_object()) return kNull;
  auto it = j.find(key);
  return it == j.end() ? kNull : *it;
}

std::string S(const Json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : "";
}

}  // namespace

Result<Case> FromJson(const std::string& text, const std::string& origin) {
  Json j = Json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return Status("damaged", origin + ": not a JSON case report");
  if (S(j, "schema") != kSchema)
    return Status("unsupported", origin + ": schema '" + S(j, "schema") + "' is not " + kSchema);
  try {
    Case c;
    c.case_id = S(j, "case_id");
    const Json& src = j.at("source");
    c.source = {S(src, "path"), S(src, "sha256"), src.value("pages", 0)};
    c.status = S(j, "status");
    if (Get(j, "error").is_object()) c.error = CaseError{S(Get(j, "error"), "code"), S(Get(j, "error"), "message")};
    c.case_type = S(j, "case_type");
    c.case_type_from = S(j, "case_type_from");
    c.procedure = S(j, "procedure");
    c.agency = S(j, "agency");
    c.agency_from = S(j, "agency_from");
    for (const auto& pj : j.at("pages")) {
      Page p;
      p.number = pj.value("page", 0);
      p.rotation = pj.value("rotation", 0);
      p.text_from = S(pj, "text_from");
      if (Get(pj, "mean_confidence").is_number()) p.mean_confidence = Get(pj, "mean_confidence").get<double>();
      if (Get(pj, "printed_number").is_string()) p.printed_number = Get(pj, "printed_number").get<std::string>();
      if (Get(pj, "printed_number_box").is_array()) p.printed_number_box = ReadBox(Get(pj, "printed_number_box"));
      p.blank = pj.value("blank", false);
      p.readable = pj.value("readable", true);
      p.colour = pj.value("colour", true);
      p.skew_degrees = pj.value("skew", 0.0);
      p.warning = S(pj, "warning");
      c.pages.push_back(std::move(p));
    }
    for (const auto& dj : j.at("documents")) {
      Document d;
      d.type = S(dj, "type");
      d.title = S(dj, "title");
      d.first_page = dj.value("first_page", 0);
      d.last_page = dj.value("last_page", 0);
      d.confidence = dj.value("confidence", 0.0);
      if (Get(dj, "doc_number").is_string()) d.doc_number = Field{Get(dj, "doc_number").get<std::string>(), 0, {}, ""};
      if (Get(dj, "date").is_string()) d.date = Field{Get(dj, "date").get<std::string>(), 0, {}, ""};
      for (const auto& sj : dj.at("seals")) {
        Seal s;
        s.page = sj.value("page", 0);
        s.bbox = ReadBox(Get(sj, "bbox"));
        s.shape = S(sj, "shape");
        if (Get(sj, "owner").is_string()) s.owner = Get(sj, "owner").get<std::string>();
        if (Get(sj, "is_agency_seal").is_boolean()) s.is_agency_seal = Get(sj, "is_agency_seal").get<bool>();
        s.confidence = sj.value("confidence", 0.0);
        s.crop_png = S(sj, "crop");
        d.seals.push_back(s);
      }
      if (Get(dj, "party_signed").is_boolean()) d.party_signed = Get(dj, "party_signed").get<bool>();
      for (const auto& oj : dj.at("officers")) {
        Officer o;
        o.name = S(oj, "name");
        if (Get(oj, "certificate").is_string()) o.certificate = Get(oj, "certificate").get<std::string>();
        o.page = oj.value("page", 0);
        d.officers.push_back(o);
      }
      for (const auto& [k, v] : dj.at("fields").items())
        if (v.is_string()) d.fields[k] = Field{v.get<std::string>(), 0, {}, ""};
      d.seal_colour_known = !dj.contains("seals_unknown");
      c.documents.push_back(std::move(d));
    }
    for (const auto& fj : j.at("findings")) {
      Finding f;
      f.item = S(fj, "item");
      f.status = S(fj, "status");
      f.points = fj.value("points", 0.0);
      f.deducted = fj.value("deducted", 0.0);
      f.reason = S(fj, "reason");
      for (const auto& ej : fj.at("evidence")) f.evidence.push_back({ej.value("page", 0), ReadBox(Get(ej, "bbox")), S(ej, "text")});
      f.crop_png = S(fj, "crop");
      c.findings.push_back(std::move(f));
    }
    if (Get(j, "score").is_object()) {
      const Json& s = Get(j, "score");
      c.score = {s.value("max", 100.0), s.value("deducted", 0.0), s.value("score", 0.0), S(s, "grade"),
                 s.value("veto", false), s.value("manual_pending", 0)};
    }
    const Json& pv = j.at("provenance");
    c.provenance = {S(pv, "pingcha"), S(pv, "tesseract"), S(pv, "leptonica"), S(pv, "poppler"),
                    S(pv, "ocr_model"), S(pv, "rubric"), S(pv, "catalogue")};
    return c;
  } catch (const nlohmann::json::exception& e) {
    return Status("damaged", origin + ": malformed case report: " + e.what());
  }
}

namespace {

Json LinesJson(const std::vector<TextLine>& lines) {
  Json a = Json::array();
  for (const auto& l : lines) {
    Json lj;
    lj["t"] = l.text;
    lj["b"] = Box(l.box);
    lj["c"] = Num(l.confidence, 3);
    lj["w"] = Json::array();
    for (const auto& w : l.words) lj["w"].push_back(Json::array({w.text, Box(w.box), Num(w.confidence, 3)}));
    a.push_back(lj);
  }
  return a;
}

std::vector<TextLine> LinesFrom(const Json& a) {
  std::vector<TextLine> out;
  for (const auto& lj : a) {
    TextLine l;
    l.text = lj.at("t").get<std::string>();
    l.box = ReadBox(lj.at("b"));
    l.confidence = lj.at("c").get<double>();
    for (const auto& wj : lj.at("w")) l.words.push_back({wj.at(0).get<std::string>(), ReadBox(wj.at(1)), wj.at(2).get<double>()});
    out.push_back(std::move(l));
  }
  return out;
}

// Base64 (RFC 4648) of the grey strip's pixels: a ring strip is ~15 KB.
constexpr char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string ToBase64(const std::vector<std::uint8_t>& in) {
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  for (std::size_t i = 0; i < in.size(); i += 3) {
    std::uint32_t v = static_cast<std::uint32_t>(in[i]) << 16;
    if (i + 1 < in.size()) v |= static_cast<std::uint32_t>(in[i + 1]) << 8;
    if (i + 2 < in.size()) v |= in[i + 2];
    out += kB64[(v >> 18) & 63];
    out += kB64[(v >> 12) & 63];
    out += i + 1 < in.size() ? kB64[(v >> 6) & 63] : '=';
    out += i + 2 < in.size() ? kB64[v & 63] : '=';
  }
  return out;
}

std::vector<std::uint8_t> FromBase64(const std::string& in) {
  std::vector<std::uint8_t> out;
  std::uint32_t v = 0;
  int bits = 0;
  for (char ch : in) {
    const char* p = std::strchr(kB64, ch);
    if (ch == '=' || ch == '\0' || !p) continue;
    v = (v << 6) | static_cast<std::uint32_t>(p - kB64);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<std::uint8_t>((v >> bits) & 0xFF));
    }
  }
  return out;
}

Json StripJson(const Image& strip) {
  return {{"w", strip.width}, {"h", strip.height}, {"px", ToBase64(strip.pixels)}};
}

Image StripFrom(const Json& j) {
  Image strip;
  strip.channels = 1;
  strip.width = j.at("w").get<int>();
  strip.height = j.at("h").get<int>();
  strip.pixels = FromBase64(j.at("px").get<std::string>());
  if (strip.width <= 0 || strip.height <= 0 ||
      strip.pixels.size() != static_cast<std::size_t>(strip.width) * strip.height)
    return Image{};  // a damaged cache entry: judged as unreadable
  return strip;
}

Json MarksJson(const std::vector<Mark>& marks) {
  Json a = Json::array();
  for (const auto& m : marks) {
    Json mj;
    mj["b"] = Box(m.box);
    mj["shape"] = m.shape;
    mj["role"] = m.role;
    mj["present"] = m.present;
    mj["label"] = m.label;
    mj["c"] = Num(m.confidence, 3);
    mj["ring"] = OrNull(m.ring_text);
    if (!m.ring_strip.empty()) mj["strip"] = StripJson(m.ring_strip);
    if (!m.ring_strip_angle.empty()) mj["strip_angle"] = StripJson(m.ring_strip_angle);
    a.push_back(mj);
  }
  return a;
}

std::vector<Mark> MarksFrom(const Json& a) {
  std::vector<Mark> out;
  for (const auto& mj : a) {
    Mark m;
    m.box = ReadBox(mj.at("b"));
    m.shape = mj.at("shape").get<std::string>();
    m.role = mj.at("role").get<std::string>();
    m.present = mj.at("present").get<bool>();
    m.label = mj.at("label").get<std::string>();
    m.confidence = mj.at("c").get<double>();
    if (mj.at("ring").is_string()) m.ring_text = mj.at("ring").get<std::string>();
    if (auto st = mj.find("strip"); st != mj.end()) m.ring_strip = StripFrom(*st);
    if (auto st = mj.find("strip_angle"); st != mj.end()) m.ring_strip_angle = StripFrom(*st);
    out.push_back(std::move(m));
  }
  return out;
}

}  // namespace

std::string PageToJson(const Page& p) {
  Json j = PageJson(p);
  j["width_px"] = p.width_px;
  j["height_px"] = p.height_px;
  j["lines"] = LinesJson(p.lines);
  j["margin_lines"] = LinesJson(p.margin_lines);
  j["seals"] = MarksJson(p.seals);
  j["signatures"] = MarksJson(p.signatures);
  return j.dump();
}

Result<Page> PageFromJson(const std::string& text) {
  Json j = Json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return Status("damaged", "cached page is not JSON");
  try {
    Page p;
    p.number = j.at("page").get<int>();
    p.rotation = j.at("rotation").get<int>();
    p.text_from = j.at("text_from").get<std::string>();
    if (j.at("mean_confidence").is_number()) p.mean_confidence = j.at("mean_confidence").get<double>();
    if (j.at("printed_number").is_string()) p.printed_number = j.at("printed_number").get<std::string>();
    if (j.contains("printed_number_box") && j.at("printed_number_box").is_array()) p.printed_number_box = ReadBox(j.at("printed_number_box"));
    p.blank = j.at("blank").get<bool>();
    p.readable = j.at("readable").get<bool>();
    p.colour = j.at("colour").get<bool>();
    p.skew_degrees = j.at("skew").get<double>();
    if (j.at("warning").is_string()) p.warning = j.at("warning").get<std::string>();
    p.width_px = j.at("width_px").get<int>();
    p.height_px = j.at("height_px").get<int>();
    p.lines = LinesFrom(j.at("lines"));
    p.margin_lines = LinesFrom(j.at("margin_lines"));
    p.seals = MarksFrom(j.at("seals"));
    p.signatures = MarksFrom(j.at("signatures"));
    return p;
  } catch (const nlohmann::json::exception& e) {
    return Status("damaged", std::string("cached page: ") + e.what());
  }
}

Status WriteAtomic(const std::string& path, const std::string& bytes) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path p(path);
  if (p.has_parent_path()) fs::create_directories(p.parent_path(), ec);
  if (ec) return Status("io_error", path + ": cannot create folder: " + ec.message());
  std::string tmp = path + ".tmp-" + std::to_string(::getpid());
  {
    std::FILE* f = std::fopen(tmp.c_str(), "wb");
    if (!f) return Status("io_error", path + ": cannot write (" + std::string(std::strerror(errno)) + ")");
    bool ok = std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size();
    ok = std::fflush(f) == 0 && ok;
    ok = ::fsync(::fileno(f)) == 0 && ok;
    ok = std::fclose(f) == 0 && ok;
    if (!ok) {
      std::remove(tmp.c_str());
      return Status("io_error", path + ": write failed (disk full?)");
    }
  }
  fs::rename(tmp, path, ec);
  if (ec) {
    std::remove(tmp.c_str());
    return Status("io_error", path + ": cannot rename into place: " + ec.message());
  }
  return Status::Ok();
}

}  // namespace pingcha::report
