// What this core can do (benchmarks/roofline.py), compiled once per ISA (see
// simd.h): the vector throughput on the kernels' instruction mixes (8
// independent dependency chains, so throughput, not latency, bounds them) and
// the memory bandwidth of one thread.
#include "simd.h"

#include <cstdlib>
#include <ctime>

using namespace simd;

// CPU time of the calling thread in seconds: the time it waited for a core
// (the machine's cores are shared) is left out.
static double threadSeconds() {
  timespec t;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return double(t.tv_sec) + 1e-9 * double(t.tv_nsec);
}

// Runs `step(acc, x, y)` on 8 independent chains for `iterations` rounds;
// returns instructions per nanosecond given `instructions` per step. The
// integer steps feed `acc` itself through the mix (so no two chains compute a
// common subexpression); x is one of 4 opaque values. 8 chains keep each mix
// throughput-bound, and 8 + 4 + 1 vectors fit AVX2's 16 registers.
template <typename V, typename Step>
static double measure(long iterations, int instructions, V x0, V y0,
                      Step step) {
  V acc[8], x[4];
  for (int c = 0; c < 8; ++c) {
    acc[c] = x0;
    __asm__ volatile("" : "+v"(acc[c]));
  }
  for (int c = 0; c < 4; ++c) {
    x[c] = x0;
    __asm__ volatile("" : "+v"(x[c]));
  }
  V y = y0;
  double start = threadSeconds();
  for (long it = 0; it < iterations; ++it) {
    for (int c = 0; c < 8; ++c)
      acc[c] = step(acc[c], x[c & 3], y);
    __asm__ volatile("" : "+v"(y)); // y changes: nothing is hoisted
  }
  double stop = threadSeconds();
  for (int c = 0; c < 8; ++c)
    __asm__ volatile("" : : "v"(acc[c]));
  double ns = (stop - start) * 1e9;
  return double(iterations) * 8 * instructions / ns;
}

extern "C" {
// Instructions per ns of: 0 vpsubw+vpabsw+vpaddw (i16 score), 1 vpmaxsw+
// vpminsw+vpaddw (i16 inhibition), 2 vpsadbw+vpaddw (i8 score), 3 vpmaxsb+
// vpminsb+vpmaddubsw+vpaddw (i8 inhibition), 4 vfmadd231ps (f32); -1 for an
// unknown mix. Multiply by vector_bytes() / element size for lane-ops.
double NATIVE_FN(peak_instructions_per_ns)(int mix, long iterations) {
  Vec a = set1_16(3), b = set1_16(7), lim = set1_16(20), ones = set1_8(1);
  switch (mix) {
  case 0:
    return measure(iterations, 3, a, b, [](Vec acc, Vec, Vec y) {
      return add16(acc, abs16(sub16(acc, y)));
    });
  case 1:
    return measure(iterations, 3, a, b, [lim](Vec acc, Vec, Vec y) {
      return add16(acc, min16(max16(acc, y), lim));
    });
  case 2:
    return measure(iterations, 2, a, b, [](Vec acc, Vec, Vec y) {
      return add16(acc, sad8(acc, y));
    });
  case 3:
    return measure(iterations, 4, a, b, [lim, ones](Vec acc, Vec, Vec y) {
      return add16(acc, maddubs(ones, min8(max8(acc, y), lim)));
    });
  case 4:
    return measure(iterations, 1, set1f(1.0f), set1f(1e-7f),
                   [](VecF acc, VecF x, VecF y) { return fmaf_(x, y, acc); });
  default:
    return -1;
  }
}

int NATIVE_FN(vector_bytes)() { return kBytes; }

// Best of `reps` passes, in GB/s (1e9 bytes/s of thread CPU time), one
// thread, over arrays of
// `mib` MiB each: kind 0 = read (a sum over one array), kind 1 = triad
// a = b + s * c (3 arrays; bytes counted: 2 read + 1 written, no
// write-allocate). -1 when the memory cannot be had.
double NATIVE_FN(bandwidth_gbs)(int kind, long mib, int reps) {
  size_t bytes = size_t(mib) << 20, count = bytes / sizeof(float);
  int arrays = kind == 0 ? 1 : 3;
  float *mem[3] = {nullptr, nullptr, nullptr};
  for (int i = 0; i < arrays; ++i) {
    mem[i] = static_cast<float *>(std::aligned_alloc(64, bytes));
    if (!mem[i]) {
      for (float *p : mem)
        std::free(p);
      return -1;
    }
    for (size_t j = 0; j < count; ++j)
      mem[i][j] = float(j & 7);
  }
  double best = 0;
  for (int r = 0; r < reps; ++r) {
    double start = threadSeconds();
    if (kind == 0) {
      VecF s0 = set1f(0), s1 = s0, s2 = s0, s3 = s0;
      const float *a = mem[0];
      for (size_t j = 0; j + 4 * kLanesF <= count; j += 4 * kLanesF) {
        s0 = addf(s0, loadf(a + j));
        s1 = addf(s1, loadf(a + j + kLanesF));
        s2 = addf(s2, loadf(a + j + 2 * kLanesF));
        s3 = addf(s3, loadf(a + j + 3 * kLanesF));
      }
      VecF s = addf(addf(s0, s1), addf(s2, s3));
      __asm__ volatile("" : : "v"(s));
    } else {
      float *a = mem[0];
      const float *b = mem[1], *c = mem[2];
      VecF sc = set1f(3.0f);
      for (size_t j = 0; j + kLanesF <= count; j += kLanesF)
        storef(a + j, fmaf_(sc, loadf(c + j), loadf(b + j)));
      __asm__ volatile("" : : "r"(a) : "memory");
    }
    double s = threadSeconds() - start;
    double gbs = double(bytes) * arrays / s / 1e9;
    best = gbs > best ? gbs : best;
  }
  for (float *p : mem)
    std::free(p);
  return best;
}
}
