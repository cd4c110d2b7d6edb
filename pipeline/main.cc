// pingcha — reviews scanned administrative law-enforcement case files and
// writes case reports and the annex workbooks. Thin: parses the command
// line, builds the real engines and hands them to the runners.
#include <CLI/CLI.hpp>
#include <malloc.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <optional>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <thread>
#include <vector>

#include "pipeline/archive.h"
#include "pipeline/batch.h"
#include "pipeline/case_runner.h"
#include "pipeline/merge.h"
#include "pipeline/standard.h"
#include "pipeline/state.h"
#include "stages/catalogue/catalogue.h"
#include "stages/checks/digest.h"
#include "stages/checks/loader.h"
#include "stages/ingest/ingest.h"
#include "stages/ocr/ocr.h"
#include "stages/preprocess/preprocess.h"
#include "stages/report/report.h"
#include "stages/workbook/workbook.h"

#ifndef PINGCHA_VERSION
#define PINGCHA_VERSION "0.0.0"
#endif

namespace {

// Exit codes (README "Exit codes").
constexpr int kAllReviewed = 0;
constexpr int kBadArguments = 2;
constexpr int kDependencyMissing = 3;
constexpr int kSomeFailed = 4;
constexpr int kOutputError = 5;
constexpr int kInterrupted = 130;

std::atomic<bool> g_stop{false};

extern "C" void OnSignal(int) { g_stop.store(true); }

// Tesseract's OpenMP threads fight the batch's own workers (4× slower on two
// cores here). libgomp reads OMP_THREAD_LIMIT when it loads, before main():
// so set it and re-execute once.
void LimitOpenMpThreads(char** argv) {
  const char* v = std::getenv("OMP_THREAD_LIMIT");
  if (v && std::strcmp(v, "1") == 0) return;
  if (std::getenv("PINGCHA_NO_REEXEC")) return;
  setenv("OMP_THREAD_LIMIT", "1", 1);
  setenv("PINGCHA_NO_REEXEC", "1", 1);
  execv("/proc/self/exe", argv);
  // If re-exec fails we go on: correct, only slower.
}

// Every page allocates a few images of 4–12 MB (the render, the grey and red
// channels, Leptonica's copies). glibc serves blocks that large with mmap and
// returns them with munmap, so each page faults its images in afresh: the
// kernel's page-fault time was a third of the render's (perf, 2 cores). Kept
// in the heap they are reused page after page; the heap keeps at most 256 MB
// free before giving memory back.
void KeepPageImagesInHeap() {
  mallopt(M_MMAP_THRESHOLD, 64 << 20);
  mallopt(M_TRIM_THRESHOLD, 256 << 20);
}

int Fail(const pingcha::Status& st) {
  std::cerr << "pingcha: " << st.message() << "\n";
  if (st.code() == "dependency_missing") return kDependencyMissing;
  if (st.code() == "io_error") return kOutputError;
  return kBadArguments;
}

// Refuses an output folder we cannot write, before any work is done.
pingcha::Status PrepareOut(const std::string& out) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(out, ec);
  if (ec) return pingcha::Status("io_error", out + ": cannot create the output folder: " + ec.message());
  std::string probe = out + "/.pingcha-write-test";
  std::FILE* f = std::fopen(probe.c_str(), "wb");
  if (!f) return pingcha::Status("io_error", out + ": the output folder is not writable");
  std::fclose(f);
  std::remove(probe.c_str());
  return pingcha::Status::Ok();
}

// A run killed while writing leaves "<file>.tmp-<pid>" behind; the real file
// is untouched (writes are rename-into-place), so the leftovers just go.
void RemoveStaleTemporaries(const std::string& out) {
  namespace fs = std::filesystem;
  std::error_code ec;
  for (const char* sub : {"cases", "workbooks", "text", "evidence"}) {
    fs::path dir = fs::path(out) / sub;
    if (!fs::is_directory(dir, ec)) continue;
    for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
      std::string name = it->path().filename().string();
      if (name.find(".tmp-") != std::string::npos || name.ends_with(".tmp.png")) fs::remove(it->path(), ec);
    }
  }
}

pingcha::Result<pingcha::Provenance> Versions() {
  // The model must be there (exit 3 with the install hint otherwise), but no
  // engine is started here: a rerun that reuses every report needs none.
  // chi_sim reads the pages; eng reads isolated page numbers.
  std::string hashes;
  for (const auto& [lang, package] : {std::pair{"chi_sim", "tesseract-ocr-chi-sim"}, std::pair{"eng", "tesseract-ocr-eng"}}) {
    std::string model = pingcha::ocr::DefaultTessdata() + "/" + lang + ".traineddata";
    if (!std::filesystem::exists(model))
      return pingcha::Status("dependency_missing", "OCR model " + model + " not found; install it with `apt-get install " +
                                                       package + "` (or set TESSDATA_PREFIX)");
    auto model_hash = pingcha::checks::Sha256File(model);
    if (!model_hash.ok()) return pingcha::Status("dependency_missing", model_hash.status().message());
    hashes += (hashes.empty() ? "" : ", ") + std::string(lang) + " sha256:" + *model_hash;
  }
  pingcha::Provenance p;
  p.pingcha = PINGCHA_VERSION;
  p.tesseract = pingcha::ocr::Engine::Version();
  p.leptonica = pingcha::preprocess::LeptonicaVersion();
  p.poppler = pingcha::ingest::Source::PopplerVersion();
  p.ocr_model = hashes;
  return p;
}

// Progress: a bar on a terminal, plain lines otherwise, JSON lines for machines.
class Progress {
 public:
  explicit Progress(std::string mode) : mode_(std::move(mode)), start_(std::chrono::steady_clock::now()) {
    if (mode_ == "auto") mode_ = isatty(STDERR_FILENO) ? "bar" : "log";
  }
  void OnCase(const pingcha::Case& c, int done, int total, double secs, bool reused) {
    if (!reused) pages_ += c.source.pages;
    double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    double rate = elapsed > 0 ? pages_ / elapsed : 0;
    double eta = done > 0 ? elapsed / done * (total - done) : 0;
    if (mode_ == "json") {
      nlohmann::ordered_json j;
      j["event"] = "case";
      j["case_id"] = c.case_id;
      j["status"] = c.status;
      j["error"] = c.error ? nlohmann::ordered_json(c.error->code) : nlohmann::ordered_json(nullptr);
      j["score"] = c.status == "ok" ? nlohmann::ordered_json(c.score.score) : nlohmann::ordered_json(nullptr);
      j["pages"] = c.source.pages;
      j["seconds"] = std::round(secs * 10) / 10;
      j["reused"] = reused;
      j["done"] = done;
      j["total"] = total;
      j["pages_per_second"] = std::round(rate * 100) / 100;
      j["eta_seconds"] = static_cast<long>(eta);
      std::cerr << j.dump() << "\n";
      return;
    }
    char line[256];
    if (mode_ == "bar") {
      int width = 30, filled = total ? width * done / total : width;
      std::string bar(static_cast<std::size_t>(filled), '=');
      bar.resize(static_cast<std::size_t>(width), ' ');
      std::snprintf(line, sizeof line, "\r[%s] %d/%d cases  %.2f pages/s  ETA %ldm%02lds ", bar.c_str(), done, total, rate,
                    static_cast<long>(eta) / 60, static_cast<long>(eta) % 60);
      std::cerr << line << (done == total ? "\n" : "") << std::flush;
      if (c.status != "ok") std::cerr << "\n  " << c.case_id << ": " << c.error->message << "\n";
      return;
    }
    std::cerr << "[" << done << "/" << total << "] " << c.case_id << ": ";
    if (reused) std::cerr << "unchanged, ";
    if (c.status == "ok") {
      std::cerr << c.score.score << " " << c.score.grade << ", " << c.source.pages << " pages, " << c.score.manual_pending
                << " manual";
    } else {
      std::cerr << "ERROR " << c.error->code << " — " << c.error->message;
    }
    std::snprintf(line, sizeof line, " (%.1f s; %.2f pages/s, ETA %lds)", secs, rate, static_cast<long>(eta));
    std::cerr << line << "\n";
  }

 private:
  std::string mode_;
  std::chrono::steady_clock::time_point start_;
  long pages_ = 0;
};

// "K/N" → {K, N} with 1 ≤ K ≤ N.
std::optional<std::pair<int, int>> ParseShard(const std::string& s) {
  int k = 0, n = 0;
  char tail = 0;
  if (std::sscanf(s.c_str(), "%d/%d%c", &k, &n, &tail) != 2 || n < 1 || k < 1 || k > n) return std::nullopt;
  return std::pair{k, n};
}

// Stable across runs and machines: FNV-1a of the case id.
bool InShard(const std::string& case_id, int k, int n) {
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char c : case_id) h = (h ^ c) * 1099511628211ull;
  return static_cast<int>(h % static_cast<std::uint64_t>(n)) == k - 1;
}

}  // namespace

int main(int argc, char** argv) {
  LimitOpenMpThreads(argv);
  KeepPageImagesInHeap();
  std::signal(SIGINT, OnSignal);
  std::signal(SIGTERM, OnSignal);

  CLI::App app{"pingcha — reviews scanned law-enforcement case files (行政执法案卷评查)"};
  app.require_subcommand(0, 1);
  bool show_version = false;
  app.add_flag("--version", show_version, "print the versions of pingcha and its engines");
  std::string rubrics_flag;
  app.add_option("--rubrics", rubrics_flag, "the rubrics folder (default: beside the program)");

  pingcha::BatchOptions bo;
  bo.jobs = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  std::string archive, out, case_file, root, rubric_file;
  auto* batch = app.add_subcommand("batch", "review every case file of an archive");
  batch->add_option("ARCHIVE", archive, "archive folder (<agency>/[<year>/]<case>.pdf)")->required();
  batch->add_option("--out", out, "output folder")->required();
  batch->add_option("--jobs", bo.jobs, "parallel workers (default: cores)")->check(CLI::Range(1, 256));
  batch->add_flag("--text", bo.run.write_text, "write recognised text to OUT/text/<case_id>/<page>.txt");
  batch->add_option("--dpi", bo.run.dpi, "rendering resolution for OCR")->check(CLI::Range(72, 600));
  batch->add_option("--page-timeout", bo.run.page_timeout_ms, "OCR time limit per page, ms")->check(CLI::Range(1000, 3600000));
  batch->add_option("--case-timeout", bo.run.case_timeout_s, "time limit per case, s (0: none)")->check(CLI::Range(0, 86400));
  batch->add_option("--max-pages", bo.run.limits.max_pages, "refuse files with more pages (too_large)")->check(CLI::Range(1, 100000));
  std::string shard, progress_mode = "auto";
  bool fresh = false;
  batch->add_option("--shard", shard, "review only shard K of N (K/N), for a cluster job array");
  batch->add_option("--progress", progress_mode, "auto | bar | log | json")
      ->check(CLI::IsMember({"auto", "bar", "log", "json"}));
  batch->add_flag("--fresh", fresh, "ignore OUT/state.sqlite and review every case again");
  batch->add_flag("--no-workbooks", [&](std::int64_t) { bo.workbooks = false; }, "write case reports only (shards)");

  auto* one = app.add_subcommand("case", "review one case file (same report as the batch gives)");
  one->add_option("FILE", case_file, "a case PDF or page-image folder")->required();
  one->add_option("--out", out, "output folder")->required();
  one->add_option("--root", root, "the archive root (default: guessed from <agency>/[<year>/]FILE)");
  one->add_flag("--text", bo.run.write_text, "write recognised text to OUT/text/<case_id>/<page>.txt");
  one->add_option("--dpi", bo.run.dpi, "rendering resolution for OCR")->check(CLI::Range(72, 600));

  std::vector<std::string> merge_inputs;
  auto* merge = app.add_subcommand("merge", "merge shard outputs and write the workbooks");
  merge->add_option("OUTS", merge_inputs, "output folders of the shards")->required();
  merge->add_option("--out", out, "merged output folder")->required();

  std::string explain_out, explain_case, explain_item;
  auto* explain = app.add_subcommand("explain", "print the evidence trail of a case's findings");
  explain->add_option("OUT", explain_out, "an output folder")->required();
  explain->add_option("CASE_ID", explain_case, "the case id")->required();
  explain->add_option("ITEM", explain_item, "one rubric item (default: every deduction and manual item)");

  auto* rubric = app.add_subcommand("rubric", "rubric tools");
  auto* rubric_check = rubric->add_subcommand("check", "validate a rubric file");
  rubric_check->add_option("FILE", rubric_file, "a rubric .toml file")->required();
  rubric->require_subcommand(1);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : kBadArguments;
  }

  if (show_version) {
    auto v = Versions();
    if (!v.ok()) return Fail(v.status());
    std::cout << "pingcha " << v->pingcha << "\n"
              << "tesseract " << v->tesseract << "\n"
              << "leptonica " << v->leptonica << "\n"
              << "poppler " << v->poppler << "\n"
              << "libxlsxwriter " << pingcha::workbook::XlsxwriterVersion() << "\n"
              << "icu " << pingcha::catalogue::IcuVersion() << "\n"
              << "ocr model " << v->ocr_model << "\n";
    return kAllReviewed;
  }
  if (app.got_subcommand(rubric)) {
    auto r = pingcha::checks::LoadRubric(rubric_file);
    if (!r.ok()) {
      std::cerr << r.status().message() << "\n";
      return kBadArguments;
    }
    // Document types are checked against the catalogue beside the file.
    std::string cat_path = (std::filesystem::path(rubric_file).parent_path() / "doctypes.toml").string();
    std::error_code ec;
    if (!std::filesystem::exists(cat_path, ec)) cat_path = pingcha::Standard::FindDir(rubrics_flag, argv[0]) + "/doctypes.toml";
    auto cat = pingcha::checks::LoadCatalogue(cat_path);
    if (cat.ok()) {
      auto st = pingcha::checks::ValidateAgainst(*r, *cat);
      if (!st.ok()) {
        std::cerr << st.message() << "\n";
        return kBadArguments;
      }
    }
    std::cout << rubric_file << ": ok (" << r->items.size() << " items, rubric '" << r->id << "')\n";
    return kAllReviewed;
  }
  if (app.got_subcommand(explain)) {
    auto st = pingcha::Explain(explain_out, explain_case, explain_item, std::cout);
    return st.ok() ? kAllReviewed : Fail(st);
  }
  if (app.got_subcommand(merge)) {
    auto standard = pingcha::Standard::Load(pingcha::Standard::FindDir(rubrics_flag, argv[0]));
    if (!standard.ok()) return Fail(standard.status());
    if (auto st = PrepareOut(out); !st.ok()) return Fail(st);
    auto merged = pingcha::MergeOutputs(merge_inputs, out, *standard);
    if (!merged.ok()) return Fail(merged.status());
    std::cerr << "pingcha: merged " << merged->reviewed + merged->failed << " case reports from " << merge_inputs.size()
              << " folders\n";
    std::cout << "workbooks: " << out << "/workbooks/\n";
    return merged->failed > 0 ? kSomeFailed : kAllReviewed;
  }
  if (!app.got_subcommand(batch) && !app.got_subcommand(one)) {
    std::cerr << app.help();
    return kBadArguments;
  }

  auto standard = pingcha::Standard::Load(pingcha::Standard::FindDir(rubrics_flag, argv[0]));
  if (!standard.ok()) return Fail(standard.status());
  auto versions = Versions();
  if (!versions.ok()) return Fail(versions.status());
  bo.run.provenance = *versions;
  bo.run.out_dir = out;
  bo.run.stop = &g_stop;

  // The inputs first: a bad archive or manifest (exit 2) leaves OUT untouched.
  std::vector<pingcha::CaseInput> inputs;
  std::unique_ptr<pingcha::State> state;
  if (app.got_subcommand(batch)) {
    auto found = pingcha::DiscoverArchive(archive);
    if (!found.ok()) return Fail(found.status());
    inputs = std::move(found).value();
    if (!shard.empty()) {
      auto kn = ParseShard(shard);
      if (!kn) return Fail(pingcha::Status("bad_argument", "--shard wants K/N with 1 ≤ K ≤ N, got '" + shard + "'"));
      std::erase_if(inputs, [&](const pingcha::CaseInput& in) { return !InShard(in.case_id, kn->first, kn->second); });
    }
    if (auto st = PrepareOut(out); !st.ok()) return Fail(st);
    RemoveStaleTemporaries(out);
    std::cerr << "pingcha: " << inputs.size() << " case files in " << archive << (shard.empty() ? "" : " (shard " + shard + ")")
              << ", " << bo.jobs << " workers\n";
    if (!fresh) {
      auto st = pingcha::State::Open(out + "/state.sqlite");
      if (!st.ok()) return Fail(st.status());
      state = std::move(st).value();
      bo.state = state.get();
      bo.run.cache = state.get();
      bo.config_key = pingcha::ConfigKey(*standard, bo.run);
    }
  } else {
    auto in = pingcha::SingleCase(case_file, root);
    if (!in.ok()) return Fail(in.status());
    if (auto st = PrepareOut(out); !st.ok()) return Fail(st);
    RemoveStaleTemporaries(out);
    inputs.push_back(*in);
    bo.jobs = 1;
    bo.workbooks = false;
  }
  Progress progress(app.got_subcommand(batch) ? progress_mode : "log");
  bo.on_case = [&](const pingcha::Case& c, int done, int total, double secs, bool reused) {
    progress.OnCase(c, done, total, secs, reused);
  };
  auto result = pingcha::RunBatch(inputs, *standard, bo, g_stop);
  if (!result.ok()) return Fail(result.status());
  if (!result->workbooks.ok()) {
    std::cerr << "pingcha: workbooks: " << result->workbooks.message() << "\n";
    return kOutputError;
  }
  std::cerr << "pingcha: " << result->reviewed << " reviewed, " << result->failed << " could not be reviewed";
  if (result->skipped) std::cerr << ", " << result->skipped << " not started";
  std::cerr << "\n";
  if (result->worker_seconds > 0) {
    char line[160];
    std::snprintf(line, sizeof line, "pingcha: OCR share %.1f%% (%.1f s in Tesseract recognition of %.1f s workers' processor time)\n",
                  100.0 * result->ocr_seconds / result->worker_seconds, result->ocr_seconds, result->worker_seconds);
    std::cerr << line;
    // Where the rest went, largest first; what no phase holds is the batch's
    // own work (reports, state, hashing the input).
    std::vector<std::pair<double, std::string>> rest;
    double phased = 0;
    for (const auto& [phase, secs] : result->phase_seconds) rest.emplace_back(secs, phase), phased += secs;
    rest.emplace_back(result->worker_seconds - result->ocr_seconds - phased, "reports and state");
    std::sort(rest.rbegin(), rest.rend());
    std::string outside = "pingcha: outside recognition:";
    for (const auto& [secs, phase] : rest) {
      std::snprintf(line, sizeof line, " %s %.1f s (%.1f%%),", phase.c_str(), secs, 100.0 * secs / result->worker_seconds);
      outside += line;
    }
    outside.back() = '\n';
    std::cerr << outside;
  }
  if (app.got_subcommand(batch) && !result->interrupted)
    std::cout << "workbooks: " << out << "/workbooks/\n";
  std::cout << "case reports: " << out << "/cases/\n";
  if (result->interrupted) return kInterrupted;
  return result->failed > 0 ? kSomeFailed : kAllReviewed;
}
