// The processor time the calling thread has used, in seconds: what the
// batch's time accounting adds up (time in recognition, each phase, each
// worker). A clock of the thread's own work is not stretched when the
// machine is shared — wall time measured the neighbours too.
#pragma once

#include <ctime>

namespace pingcha {

inline double ThreadCpuSeconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

}  // namespace pingcha
