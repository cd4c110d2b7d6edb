// End to end: runs build/pingcha on the committed samples through the real
// engines and compares its case reports with the samples' truth.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

std::string Root() { return std::getenv("PINGCHA_SOURCE_DIR") ? std::getenv("PINGCHA_SOURCE_DIR") : "."; }
std::string Bin() { return std::getenv("PINGCHA_BIN") ? std::getenv("PINGCHA_BIN") : Root() + "/build/pingcha"; }

std::string Slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Json Load(const fs::path& p) { return Json::parse(Slurp(p)); }

fs::path Scratch(const std::string& name) {
  fs::path p = fs::temp_directory_path() / ("pingcha_e2e_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(p);
  return p;
}

// Runs pingcha with `args`; returns its exit code.
int RunPingcha(const std::string& args) {
  std::string cmd = "'" + Bin() + "' " + args + " >/dev/null 2>&1";
  int rc = std::system(cmd.c_str());
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

std::string Q(const fs::path& p) { return "'" + p.string() + "'"; }

// One batch over the committed samples, shared by the tests below.
class SamplesBatch : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    out_ = new fs::path(Scratch("batch"));
    rc_ = RunPingcha("batch " + Q(Root() + "/samples/archive") + " --out " + Q(*out_) + " --jobs 2 --text");
  }
  static void TearDownTestSuite() {
    fs::remove_all(*out_);
    delete out_;
  }
  static fs::path* out_;
  static int rc_;
};
fs::path* SamplesBatch::out_ = nullptr;
int SamplesBatch::rc_ = -1;

TEST_F(SamplesBatch, ReviewsEveryCaseAndWritesWorkbooks) {
  EXPECT_EQ(rc_, 0);
  int truths = 0;
  for (const auto& t : fs::directory_iterator(Root() + "/samples/truth")) {
    ++truths;
    fs::path report = *out_ / "cases" / t.path().filename();
    ASSERT_TRUE(fs::exists(report)) << report;
    Json j = Load(report);
    EXPECT_EQ(j["schema"], "pingcha.case-report/1");
    EXPECT_EQ(j["status"], "ok") << j["error"].dump();
  }
  EXPECT_EQ(truths, 5);
  EXPECT_TRUE(fs::exists(*out_ / "workbooks" / "附件3_行政执法案卷统计表.xlsx"));
  EXPECT_TRUE(fs::exists(*out_ / "workbooks" / "东胜区市场监督管理局" / "附件4_自查自评情况表.xlsx"));
}

// Accuracy floors on the committed samples. bench/accuracy measures the same
// on larger generated sets; these floors catch regressions in CI.
constexpr double kMinCatalogueRecall = 0.95;  // 44/44 on 2026-12-01
constexpr double kMinSealAgreement = 0.95;     // 11/11 on 2026-12-01
// The miss on the committed samples is an honest "manual" result: a 落款
// date under a grey seal. Raise this as recognition improves.
constexpr double kMinDefectRecall = 0.8;  // 4/5 on 2026-12-01 (an internal unit's seal is now recognised)
// Automatic deductions the truth does not call for, over all five samples.
constexpr int kMaxSpuriousDeductions = 1;

TEST_F(SamplesBatch, CatalogueAndSealsMatchTheTruth) {
  int docs = 0, found = 0, seal_docs = 0, seal_right = 0;
  for (const auto& t : fs::directory_iterator(Root() + "/samples/truth")) {
    Json truth = Load(t.path());
    Json report = Load(*out_ / "cases" / t.path().filename());
    EXPECT_EQ(report["case_type"], truth["case_type"]) << t.path();
    std::map<std::pair<std::string, int>, Json> got;
    for (const auto& d : report["documents"]) got[{d["type"], d["first_page"]}] = d;
    for (const auto& d : truth["documents"]) {
      ++docs;
      auto it = got.find({d["type"], d["first_page"]});
      if (it == got.end() || it->second["last_page"] != d["last_page"]) {
        std::cerr << "  not found: " << t.path().filename() << " " << d["type"] << " p" << d["first_page"] << "\n";
        continue;
      }
      ++found;
      // A colour scan's page without red ink is no grey scan: a seal missing
      // there is judged, not left to the reviewer.
      if (truth["colour"].get<bool>()) {
        EXPECT_FALSE(it->second.contains("seals_unknown")) << t.path() << " " << d["type"];
      }
      if (d["needs_seal"].get<bool>() && truth["colour"].get<bool>()) {
        ++seal_docs;
        bool agree = d["seals"].empty() == it->second["seals"].empty();
        seal_right += agree;
        if (!agree) std::cerr << "  seal presence differs: " << t.path().filename() << " " << d["type"] << "\n";
      }
    }
  }
  double recall = static_cast<double>(found) / docs, seals = static_cast<double>(seal_right) / seal_docs;
  std::cerr << "catalogue recall " << recall << " (" << found << "/" << docs << "), seal presence agreement " << seals
            << " (" << seal_right << "/" << seal_docs << ")\n";
  EXPECT_GE(recall, kMinCatalogueRecall);
  EXPECT_GT(seal_docs, 5);
  EXPECT_GE(seals, kMinSealAgreement);
}

// Whose seal: the report's is_agency_seal against the truth's, for the seals
// pingcha found on colour scans (as bench/accuracy counts it). The misses are
// rings too worn to verify: unknown, never the wrong owner.
// 10/12 on 2026-12-01: strips drawn from the green channel (8/11 before);
// the two bank 转讫 stamps now found have no ring and stay unknown. 9/12
// since a pale seal's strip is scaled by its own ink (seal owners on the
// generated sets: seed 7 0.921 -> 0.966, 11 0.927 -> 0.951, 41k 0.692 ->
// 0.872); one sample seal, its 东 crossed by print, no longer verifies.
constexpr double kMinSealOwnerAgreement = 0.75;

TEST_F(SamplesBatch, SealOwnersMatchTheTruth) {
  int seals = 0, right = 0;
  for (const auto& t : fs::directory_iterator(Root() + "/samples/truth")) {
    Json truth = Load(t.path());
    if (!truth["colour"].get<bool>()) continue;
    Json report = Load(*out_ / "cases" / t.path().filename());
    for (const auto& d : truth["documents"])
      for (const auto& ts : d["seals"]) {
        const auto& b = ts["bbox"];
        bool found = false, agree = false;
        for (const auto& rd : report["documents"])
          for (const auto& rs : rd["seals"]) {
            const auto& r = rs["bbox"];
            const bool overlaps = rs["page"] == ts["page"] && r[0].get<double>() < b[2].get<double>() &&
                                  b[0].get<double>() < r[2].get<double>() && r[1].get<double>() < b[3].get<double>() &&
                                  b[1].get<double>() < r[3].get<double>();
            found = found || overlaps;
            if (overlaps && rs["is_agency_seal"].is_boolean())
              agree = agree || rs["is_agency_seal"].get<bool>() == ts["is_agency_seal"].get<bool>();
          }
        if (!found) continue;  // presence is measured above; a bank's 转讫 stamp on a receipt is not looked for
        ++seals;
        right += agree;
        if (!agree) std::cerr << "  seal owner differs: " << t.path().filename() << " p" << ts["page"] << " " << ts["owner"] << "\n";
      }
  }
  const double agreement = static_cast<double>(right) / seals;
  std::cerr << "seal owner agreement " << agreement << " (" << right << "/" << seals << ")\n";
  EXPECT_GT(seals, 5);
  EXPECT_GE(agreement, kMinSealOwnerAgreement);
}

// A grey scan's seals: found on their mid-grey ink and judged on their ring
// (4 of 4 found and judged the agency's on 2026-12-01). A grey seal not
// found leaves presence unknown, so this floor guards the finder itself.
constexpr double kMinGreySealPresence = 0.75;
constexpr double kMinGreySealOwnerAgreement = 0.75;

TEST_F(SamplesBatch, AGreyScansSealsAreFoundAndJudged) {
  int docs = 0, found = 0, judged = 0;
  for (const auto& t : fs::directory_iterator(Root() + "/samples/truth")) {
    Json truth = Load(t.path());
    if (truth["colour"].get<bool>()) continue;
    Json report = Load(*out_ / "cases" / t.path().filename());
    std::map<std::pair<std::string, int>, Json> got;
    for (const auto& d : report["documents"]) got[{d["type"], d["first_page"]}] = d;
    for (const auto& d : truth["documents"]) {
      if (!d["needs_seal"].get<bool>() || d["seals"].empty()) continue;
      ++docs;
      auto it = got.find({d["type"], d["first_page"]});
      if (it == got.end() || it->second["seals"].empty()) {
        std::cerr << "  grey seal not found: " << t.path().filename() << " " << d["type"] << "\n";
        continue;
      }
      ++found;
      const auto& rs = it->second["seals"][0];
      if (rs["is_agency_seal"].is_boolean() && rs["is_agency_seal"].get<bool>() == d["seals"][0]["is_agency_seal"].get<bool>())
        ++judged;
    }
  }
  std::cerr << "grey seals found " << found << "/" << docs << ", judged right " << judged << "\n";
  ASSERT_GT(docs, 2);
  EXPECT_GE(static_cast<double>(found) / docs, kMinGreySealPresence);
  EXPECT_GE(static_cast<double>(judged) / docs, kMinGreySealOwnerAgreement);
}

TEST_F(SamplesBatch, RequiredDefectsAreDeducted) {
  int defects = 0, hits = 0;
  for (const auto& t : fs::directory_iterator(Root() + "/samples/truth")) {
    Json truth = Load(t.path());
    Json report = Load(*out_ / "cases" / t.path().filename());
    std::set<std::string> deducted;
    for (const auto& f : report["findings"]) {
      if (f["status"] == "deduct") {
        deducted.insert(f["item"].get<std::string>());
        EXPECT_FALSE(f["reason"].get<std::string>().empty()) << f["item"];
      }
      if (f["status"] == "manual") {
        EXPECT_EQ(f["deducted"].get<double>(), 0) << f["item"];
      }
      EXPECT_LE(f["deducted"].get<double>(), f["points"].get<double>());
    }
    for (const auto& defect : truth["defects"]) {
      ++defects;
      bool hit = false;
      for (const auto& item : defect["items"]) hit = hit || deducted.count(item.get<std::string>());
      hits += hit;
      if (!hit) std::cerr << "  missed: " << t.path().filename() << " " << defect["check"] << "\n";
    }
  }
  double recall = static_cast<double>(hits) / defects;
  std::cerr << "required-defect recall " << recall << " (" << hits << "/" << defects << ")\n";
  EXPECT_GE(recall, kMinDefectRecall);
}

TEST_F(SamplesBatch, FewSpuriousDeductions) {
  int spurious = 0;
  for (const auto& t : fs::directory_iterator(Root() + "/samples/truth")) {
    Json truth = Load(t.path());
    Json report = Load(*out_ / "cases" / t.path().filename());
    std::set<std::string> allowed;
    for (const auto& defect : truth["defects"])
      for (const auto& item : defect["items"]) allowed.insert(item.get<std::string>());
    for (const auto& f : report["findings"]) {
      if (f["status"] != "deduct" || allowed.count(f["item"].get<std::string>())) continue;
      ++spurious;
      std::cerr << "  spurious: " << t.path().filename() << " " << f["item"] << " " << f["reason"] << "\n";
    }
  }
  EXPECT_LE(spurious, kMaxSpuriousDeductions);
}

TEST_F(SamplesBatch, CaseCommandReproducesTheBatchReportByteForByte) {
  fs::path out = Scratch("case");
  std::string file = Root() + "/samples/archive/伊金霍洛旗应急管理局/2021/伊应急责令2021-5.pdf";
  ASSERT_EQ(RunPingcha("case " + Q(file) + " --out " + Q(out)), 0);
  std::string name = "伊金霍洛旗应急管理局__2021__伊应急责令2021-5.json";
  EXPECT_EQ(Slurp(out / "cases" / name), Slurp(*out_ / "cases" / name));
  fs::remove_all(out);
}

TEST_F(SamplesBatch, TextOutputHasOneFilePerPage) {
  fs::path dir = *out_ / "text" / "东胜区生态环境局__2021__东环强制2021-4";
  ASSERT_TRUE(fs::exists(dir / "1.txt"));
  EXPECT_TRUE(fs::exists(dir / "10.txt"));
  EXPECT_NE(Slurp(dir / "1.txt").find("案卷"), std::string::npos);
}

// The text files keep the page's reading order: a page number printed at the
// top comes first; a red letterhead (dropped from the page reading with the
// seals' ink, read again on its ink) heads its page.
TEST_F(SamplesBatch, TextFilesReadThePageInOrderLetterheadAndNumberIncluded) {
  auto first_line = [&](const std::string& id, int page) {
    std::string text = Slurp(*out_ / "text" / id / (std::to_string(page) + ".txt"));
    return text.substr(0, text.find('\n'));
  };
  EXPECT_NE(first_line("东胜区生态环境局__2021__东环强制2021-4", 5).find("东胜区生态环境局"), std::string::npos);
  Json report = Load(*out_ / "cases" / "伊金霍洛旗应急管理局__2021__伊应急责令2021-5.json");
  int top_numbers = 0;
  for (const auto& page : report["pages"]) {
    if (page["printed_number"].is_null() || page["printed_number_box"].is_null() || page["printed_number_box"][1] > 0.1)
      continue;
    ++top_numbers;
    EXPECT_EQ(first_line("伊金霍洛旗应急管理局__2021__伊应急责令2021-5", page["page"].get<int>()),
              page["printed_number"].get<std::string>());
  }
  EXPECT_GE(top_numbers, 3);
}

TEST(BadInput, ErrorsAreReportedAndTheBatchGoesOn) {
  fs::path archive = Scratch("bad_archive");
  fs::path out = Scratch("bad_out");
  fs::create_directories(archive / "某局" / "2021" / "空卷");
  std::ofstream(archive / "某局" / "2021" / "文本.pdf") << "this is not a pdf";
  std::ofstream(archive / "某局" / "2021" / "截断.pdf") << "%PDF-1.4\n1 0 obj\n<< /Type /Catalog";
  std::ofstream(archive / "某局" / "2021" / "空.pdf");
  fs::copy_file(Root() + "/samples/archive/伊金霍洛旗应急管理局/2021/伊应急责令2021-5.pdf",
                archive / "某局" / "2021" / "好.pdf");
  EXPECT_EQ(RunPingcha("batch " + Q(archive) + " --out " + Q(out) + " --jobs 2"), 4);  // some cases failed
  std::map<std::string, std::string> codes;
  for (const auto& e : fs::directory_iterator(out / "cases")) {
    Json j = Load(e.path());
    codes[e.path().stem().string()] = j["status"] == "ok" ? "ok" : j["error"]["code"].get<std::string>();
    if (j["status"] != "ok") {
      EXPECT_TRUE(j["score"].is_null());
      EXPECT_FALSE(j["error"]["message"].get<std::string>().empty());
      EXPECT_EQ(j["error"]["message"].get<std::string>().find(archive.string()), std::string::npos)
          << "absolute path leaked into the report";
    }
  }
  EXPECT_EQ(codes["某局__2021__文本"], "not_a_pdf");
  EXPECT_EQ(codes["某局__2021__截断"], "damaged");
  EXPECT_EQ(codes["某局__2021__空"], "not_a_pdf");
  EXPECT_EQ(codes["某局__2021__空卷"], "no_pages");
  EXPECT_EQ(codes["某局__2021__好"], "ok");
  EXPECT_TRUE(fs::exists(out / "workbooks" / "附件3_行政执法案卷统计表.xlsx"));
  // Nothing was written beside the input.
  int entries = 0;
  for (auto it = fs::recursive_directory_iterator(archive); it != fs::recursive_directory_iterator(); ++it) ++entries;
  EXPECT_EQ(entries, 7);
  fs::remove_all(archive);
  fs::remove_all(out);
}

// A page scanned upside down (a grey 卷内目录, from a generated case): the
// orientation detector is unsure of it on the prepared image, and the page
// reads as noise with Latin letters in it; it is read again turned and kept
// turned. The case is one page, so it cannot say what kind of case it is.
TEST(Orientation, AnUpsideDownPageIsReadTurned) {
  fs::path out = Scratch("upside_down");
  RunPingcha("case " + Q(Root() + "/tests/data/upside_down_toc") + " --out " + Q(out));
  Json report = Load(out / "cases" / "data__upside_down_toc.json");
  ASSERT_FALSE(report["pages"].empty());
  EXPECT_EQ(report["pages"][0]["rotation"], 180);
  ASSERT_FALSE(report["documents"].empty());
  EXPECT_EQ(report["documents"][0]["type"], "toc");
  fs::remove_all(out);
}

// The review standard is data: a point value edited in a copy of rubrics/
// changes the next run's report, with the same binary.
TEST(Rubrics, EditingAPointValueChangesTheOutputWithoutARebuild) {
  fs::path rubrics = Scratch("rubrics");
  fs::copy(Root() + "/rubrics", rubrics, fs::copy_options::recursive);
  std::string text = Slurp(rubrics / "coercion.toml");
  // Q-V01 is a veto item; make the backup-note requirement (Q-M13) worth 7.
  auto at = text.find("id = \"Q-M13\"");
  ASSERT_NE(at, std::string::npos);
  auto pts = text.find("points = ", at);
  auto eol = text.find('\n', pts);
  text.replace(pts, eol - pts, "points = 7");
  std::ofstream(rubrics / "coercion.toml", std::ios::binary) << text;
  std::string file = Root() + "/samples/archive/伊金霍洛旗应急管理局/2021/伊应急责令2021-5.pdf";
  fs::path a = Scratch("rubric_a"), b = Scratch("rubric_b");
  ASSERT_EQ(RunPingcha("case " + Q(file) + " --out " + Q(a)), 0);
  ASSERT_EQ(RunPingcha("--rubrics " + Q(rubrics) + " case " + Q(file) + " --out " + Q(b)), 0);
  std::string name = "伊金霍洛旗应急管理局__2021__伊应急责令2021-5.json";
  Json ja = Load(a / "cases" / name), jb = Load(b / "cases" / name);
  auto points = [](const Json& j) {
    for (const auto& f : j["findings"])
      if (f["item"] == "Q-M13") return f["points"].get<double>();
    return -1.0;
  };
  EXPECT_NE(points(ja), 7);
  EXPECT_EQ(points(jb), 7);
  EXPECT_NE(ja["provenance"]["rubric"], jb["provenance"]["rubric"]);  // the rubric's sha256 is recorded
  fs::remove_all(rubrics);
  fs::remove_all(a);
  fs::remove_all(b);
}

TEST(Cli, BadArgumentsAndVersion) {
  EXPECT_EQ(RunPingcha("batch"), 2);
  EXPECT_EQ(RunPingcha("frobnicate"), 2);
  EXPECT_EQ(RunPingcha("batch /nonexistent/archive --out " + Q(Scratch("x"))), 2);
  EXPECT_EQ(RunPingcha("--version"), 0);
  EXPECT_EQ(RunPingcha("rubric check " + Q(Root() + "/rubrics/penalty.toml")), 0);
}

TEST(Cli, MissingOcrModelSaysSoWithItsOwnExitCode) {
  std::string cmd = "TESSDATA_PREFIX=/nonexistent '" + Bin() + "' --version 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  ASSERT_NE(p, nullptr);
  std::string output;
  char buf[512];
  while (fgets(buf, sizeof buf, p)) output += buf;
  int rc = pclose(p);
  EXPECT_EQ(WEXITSTATUS(rc), 3);
  EXPECT_NE(output.find("apt-get install tesseract-ocr-chi-sim"), std::string::npos) << output;
}

}  // namespace
