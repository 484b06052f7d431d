// Hand-written baselines for benchmarks/run.py, built with
// clang -O3 -march=native: the plain C++ analogue of the paper's Rust code
// (Table 2) for both mechanisms, and a micro-benchmark of the vector
// throughput this CPU reaches on the inhibitor's instruction mix.
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <immintrin.h>

extern "C" {

// Signed inhibitor attention, one head: i16 data, i32 accumulators.
void plain_inhibitor_i16(const int16_t *q, const int16_t *k, const int16_t *v,
                         int32_t *h, int n, int d, int gamma) {
  for (int i = 0; i < n; ++i) {
    for (int e = 0; e < d; ++e)
      h[i * d + e] = 0;
    for (int j = 0; j < n; ++j) {
      int32_t s = 0;
      for (int c = 0; c < d; ++c)
        s += std::abs(int32_t(q[i * d + c]) - int32_t(k[j * d + c]));
      int32_t z = s / gamma;
      for (int e = 0; e < d; ++e) {
        int32_t x = v[j * d + e];
        int32_t pos = x > 0 ? x : 0, neg = x < 0 ? x : 0;
        int32_t a = pos - z, b = neg + z;
        h[i * d + e] += (a > 0 ? a : 0) + (b < 0 ? b : 0);
      }
    }
  }
}

// softmax(Q K^T / sqrt(d)) V, one head, f32.
void plain_dot_f32(const float *q, const float *k, const float *v, float *h,
                   float *scratch /* n floats */, int n, int d) {
  float scale = 1.0f / std::sqrt(float(d));
  for (int i = 0; i < n; ++i) {
    float mx = -INFINITY;
    for (int j = 0; j < n; ++j) {
      float s = 0;
      for (int c = 0; c < d; ++c)
        s += q[i * d + c] * k[j * d + c];
      scratch[j] = s * scale;
      mx = scratch[j] > mx ? scratch[j] : mx;
    }
    float sum = 0;
    for (int j = 0; j < n; ++j) {
      scratch[j] = std::exp(scratch[j] - mx);
      sum += scratch[j];
    }
    for (int e = 0; e < d; ++e)
      h[i * d + e] = 0;
    for (int j = 0; j < n; ++j) {
      float p = scratch[j] / sum;
      for (int e = 0; e < d; ++e)
        h[i * d + e] += p * v[j * d + e];
    }
  }
}

// Lane operations per nanosecond of vpsubw + vpabsw + vpaddw (the i16 score
// mix) on 8 independent ymm chains.
__attribute__((target("avx2"))) double
peak_i16_score_lane_ops_per_ns(long iterations) {
  __m256i acc[8], x[8];
  for (int c = 0; c < 8; ++c) {
    acc[c] = _mm256_set1_epi16(int16_t(c));
    x[c] = _mm256_set1_epi16(int16_t(3 * c + 1));
  }
  __m256i y = _mm256_set1_epi16(7);
  auto start = std::chrono::steady_clock::now();
  for (long it = 0; it < iterations; ++it) {
    for (int c = 0; c < 8; ++c) {
      __m256i t = _mm256_abs_epi16(_mm256_sub_epi16(x[c], y));
      acc[c] = _mm256_add_epi16(acc[c], t);
    }
    __asm__ volatile("" : "+x"(y));
  }
  auto stop = std::chrono::steady_clock::now();
  volatile int16_t sink = 0;
  for (int c = 0; c < 8; ++c)
    sink = sink + int16_t(_mm256_extract_epi16(acc[c], 0));
  double ns = std::chrono::duration<double, std::nano>(stop - start).count();
  return double(iterations) * 8 * 3 * 16 / ns;
}
}
