// Tesseract's LSTM runs its gates as OpenMP parallel sections at every time
// step of every line (`#pragma omp parallel sections`). With
// OMP_THREAD_LIMIT=1 (pipeline/main.cc) each region runs on one thread, but
// libgomp still builds a team for it and ends it with a futex wake that no
// thread waits for: for one 17-page case, 2 million futex calls (strace -c),
// 5.5 % of the CPU in libgomp and 5.7 % in the kernel (perf record).
//
// The batch's workers are pingcha's parallelism. This executable defines
// the entry points libtesseract calls (it looks them up here first, before
// libgomp) and runs each region on the calling thread, as Tesseract built
// without OpenMP does: sections one after another, in order; a parallel
// loop's body once, where omp_get_num_threads() is 1 and
// omp_get_thread_num() 0 outside a team, so it takes every iteration. The
// recognised text and the reports are the same (checked on the samples).
// Only libtesseract calls these; only this executable has them — the unit
// tests run libgomp's own.
#include <tuple>
#include <utility>

namespace {
// The sections of the region running on this thread: the next one to run
// and how many there are (a region inside a region keeps its own).
thread_local unsigned t_next_section = 0;
thread_local unsigned t_sections = 0;
}  // namespace

extern "C" {

void GOMP_parallel(void (*fn)(void*), void* data, unsigned /*num_threads*/, unsigned /*flags*/) { fn(data); }

void GOMP_parallel_sections(void (*fn)(void*), void* data, unsigned /*num_threads*/, unsigned count,
                            unsigned /*flags*/) {
  const auto saved = std::make_pair(t_next_section, t_sections);
  t_next_section = 1;
  t_sections = count;
  fn(data);
  std::tie(t_next_section, t_sections) = saved;
}

// The next section to run (1-based), 0 when all have run.
unsigned GOMP_sections_next() { return t_next_section <= t_sections ? t_next_section++ : 0; }

void GOMP_sections_end_nowait() {}

}  // extern "C"
