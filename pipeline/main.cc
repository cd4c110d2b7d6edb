// pingcha — reviews scanned administrative law-enforcement case files and
// writes case reports and the annex workbooks. Thin: parses the command
// line, builds the real engines and hands them to the runners.
#include <CLI/CLI.hpp>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <thread>

#include "pipeline/archive.h"
#include "pipeline/batch.h"
#include "pipeline/case_runner.h"
#include "pipeline/standard.h"
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

pingcha::Result<pingcha::Provenance> Versions() {
  auto engine = pingcha::ocr::Engine::Create(pingcha::ocr::Options{});
  if (!engine.ok()) return engine.status();
  auto model_hash = pingcha::checks::Sha256File(engine.value()->ModelPath());
  if (!model_hash.ok()) return pingcha::Status("dependency_missing", model_hash.status().message());
  pingcha::Provenance p;
  p.pingcha = PINGCHA_VERSION;
  p.tesseract = pingcha::ocr::Engine::Version();
  p.leptonica = pingcha::preprocess::LeptonicaVersion();
  p.poppler = pingcha::ingest::Source::PopplerVersion();
  p.ocr_model = "chi_sim sha256:" + *model_hash;
  return p;
}

void PrintProgress(const pingcha::Case& c, int done, int total, double secs) {
  std::cerr << "[" << done << "/" << total << "] " << c.case_id << ": ";
  if (c.status == "ok") {
    std::cerr << c.score.score << " " << c.score.grade << ", " << c.source.pages << " pages, " << c.score.manual_pending
              << " manual";
  } else {
    std::cerr << "ERROR " << c.error->code << " — " << c.error->message;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, " (%.1f s)", secs);
  std::cerr << buf << "\n";
}

}  // namespace

int main(int argc, char** argv) {
  LimitOpenMpThreads(argv);
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

  auto* one = app.add_subcommand("case", "review one case file (same report as the batch gives)");
  one->add_option("FILE", case_file, "a case PDF or page-image folder")->required();
  one->add_option("--out", out, "output folder")->required();
  one->add_option("--root", root, "the archive root (default: guessed from <agency>/[<year>/]FILE)");
  one->add_flag("--text", bo.run.write_text, "write recognised text to OUT/text/<case_id>/<page>.txt");
  one->add_option("--dpi", bo.run.dpi, "rendering resolution for OCR")->check(CLI::Range(72, 600));

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
    if (!std::filesystem::exists(cat_path)) cat_path = pingcha::Standard::FindDir(rubrics_flag, argv[0]) + "/doctypes.toml";
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
  if (auto st = PrepareOut(out); !st.ok()) return Fail(st);

  std::vector<pingcha::CaseInput> inputs;
  if (app.got_subcommand(batch)) {
    auto found = pingcha::DiscoverArchive(archive);
    if (!found.ok()) return Fail(found.status());
    inputs = std::move(found).value();
    std::cerr << "pingcha: " << inputs.size() << " case files in " << archive << ", " << bo.jobs << " workers\n";
  } else {
    auto in = pingcha::SingleCase(case_file, root);
    if (!in.ok()) return Fail(in.status());
    inputs.push_back(*in);
    bo.jobs = 1;
    bo.workbooks = false;
  }
  bo.on_case = PrintProgress;
  auto result = pingcha::RunBatch(inputs, *standard, bo, g_stop);
  if (!result.ok()) return Fail(result.status());
  if (!result->workbooks.ok()) {
    std::cerr << "pingcha: workbooks: " << result->workbooks.message() << "\n";
    return kOutputError;
  }
  std::cerr << "pingcha: " << result->reviewed << " reviewed, " << result->failed << " could not be reviewed";
  if (result->skipped) std::cerr << ", " << result->skipped << " not started";
  std::cerr << "\n";
  if (app.got_subcommand(batch) && !result->interrupted)
    std::cout << "workbooks: " << out << "/workbooks/\n";
  std::cout << "case reports: " << out << "/cases/\n";
  if (result->interrupted) return kInterrupted;
  return result->failed > 0 ? kSomeFailed : kAllReviewed;
}
