// Thin wrappers over the x86 integer and float vector intrinsics used by the
// hand-written kernels (hand_kernels.cpp, f32_attention.cpp, machine.cpp).
// Every source is compiled once per ISA (benchmarks/native_build.py): with
// AVX-512BW enabled (-march=native on such a host) the vector is a zmm and
// the exported symbols end in _avx512; with AVX2 only (-march=x86-64-v3) a
// ymm and _avx2. The kernels are written once against these wrappers.
#ifndef INHIBITOR_BENCHMARKS_NATIVE_SIMD_H
#define INHIBITOR_BENCHMARKS_NATIVE_SIMD_H

#include <cstdint>
#include <cstring>
#include <immintrin.h>

#if defined(__AVX512BW__) && defined(__AVX512F__)
#define NATIVE_FN(name) name##_avx512
namespace simd {
using Vec = __m512i;
using VecF = __m512;
constexpr int kBytes = 64;
inline Vec load(const void *p) { return _mm512_loadu_si512(p); }
inline void store(void *p, Vec x) { _mm512_storeu_si512(p, x); }
inline Vec zero() { return _mm512_setzero_si512(); }
inline Vec set1_8(int8_t x) { return _mm512_set1_epi8(x); }
inline Vec set1_16(int16_t x) { return _mm512_set1_epi16(x); }
inline Vec set1_32(int32_t x) { return _mm512_set1_epi32(x); }
inline Vec set1_64(int64_t x) { return _mm512_set1_epi64(x); }
inline Vec add16(Vec a, Vec b) { return _mm512_add_epi16(a, b); }
inline Vec sub16(Vec a, Vec b) { return _mm512_sub_epi16(a, b); }
inline Vec abs16(Vec a) { return _mm512_abs_epi16(a); }
inline Vec max16(Vec a, Vec b) { return _mm512_max_epi16(a, b); }
inline Vec min16(Vec a, Vec b) { return _mm512_min_epi16(a, b); }
inline Vec sra16(Vec a, int n) {
  return _mm512_sra_epi16(a, _mm_cvtsi32_si128(n));
}
inline Vec max8(Vec a, Vec b) { return _mm512_max_epi8(a, b); }
inline Vec min8(Vec a, Vec b) { return _mm512_min_epi8(a, b); }
inline Vec sad8(Vec a, Vec b) { return _mm512_sad_epu8(a, b); }
inline Vec maddubs(Vec u, Vec s) { return _mm512_maddubs_epi16(u, s); }
inline Vec and_(Vec a, Vec b) { return _mm512_and_si512(a, b); }
inline Vec or_(Vec a, Vec b) { return _mm512_or_si512(a, b); }
inline Vec shl64_8(Vec a) { return _mm512_slli_epi64(a, 8); }
inline Vec shl64_16(Vec a) { return _mm512_slli_epi64(a, 16); }
inline Vec shl32_16(Vec a) { return _mm512_slli_epi32(a, 16); }
// Moves the high qword of each 128-bit lane to its low qword.
inline Vec hi_qword_down(Vec a) { return _mm512_bsrli_epi128(a, 8); }
// From words 0 and 1 of each 128-bit lane (x, y), stores the dwords
// x | x << 16 of all lanes, then y | y << 16 of all lanes (kBytes / 8 dwords).
inline void store_pair_patterns(int32_t *dst, Vec a) {
  Vec idx =
      _mm512_set_epi16(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 25, 25,
                       17, 17, 9, 9, 1, 1, 24, 24, 16, 16, 8, 8, 0, 0);
  _mm256_storeu_si256(reinterpret_cast<__m256i *>(dst),
                      _mm512_castsi512_si256(_mm512_permutexvar_epi16(idx, a)));
}
// dst[0..kBytes/2) = each 16-bit lane x of `a` as the dword x | x << 16.
inline void store_dup16(int32_t *dst, Vec a) {
  Vec lo = _mm512_cvtepu16_epi32(_mm512_castsi512_si256(a));
  Vec hi = _mm512_cvtepu16_epi32(_mm512_extracti64x4_epi64(a, 1));
  store(dst, or_(lo, shl32_16(lo)));
  store(dst + 16, or_(hi, shl32_16(hi)));
}
// dst[0..kBytes/2) += the 16-bit lanes of `a`, sign-extended.
inline void add_widen16(int32_t *dst, Vec a) {
  Vec lo = _mm512_cvtepi16_epi32(_mm512_castsi512_si256(a));
  Vec hi = _mm512_cvtepi16_epi32(_mm512_extracti64x4_epi64(a, 1));
  store(dst, _mm512_add_epi32(load(dst), lo));
  store(dst + 16, _mm512_add_epi32(load(dst + 16), hi));
}
inline VecF loadf(const float *p) { return _mm512_loadu_ps(p); }
inline void storef(float *p, VecF x) { _mm512_storeu_ps(p, x); }
inline VecF set1f(float x) { return _mm512_set1_ps(x); }
inline VecF addf(VecF a, VecF b) { return _mm512_add_ps(a, b); }
inline VecF mulf(VecF a, VecF b) { return _mm512_mul_ps(a, b); }
inline VecF maxf(VecF a, VecF b) { return _mm512_max_ps(a, b); }
inline VecF minf(VecF a, VecF b) { return _mm512_min_ps(a, b); }
inline VecF fmaf_(VecF a, VecF b, VecF c) { return _mm512_fmadd_ps(a, b, c); }
inline VecF fnmaf(VecF a, VecF b, VecF c) { return _mm512_fnmadd_ps(a, b, c); }
inline VecF roundf_(VecF a) {
  return _mm512_roundscale_ps(a, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
}
inline Vec cvtf_i32(VecF a) { return _mm512_cvtps_epi32(a); }
inline VecF cast_f(Vec a) { return _mm512_castsi512_ps(a); }
inline Vec add32(Vec a, Vec b) { return _mm512_add_epi32(a, b); }
inline Vec shl32_23(Vec a) { return _mm512_slli_epi32(a, 23); }
inline float hmaxf(VecF a) { return _mm512_reduce_max_ps(a); }
inline float haddf(VecF a) { return _mm512_reduce_add_ps(a); }
} // namespace simd
#elif defined(__AVX2__) && defined(__FMA__)
#define NATIVE_FN(name) name##_avx2
namespace simd {
using Vec = __m256i;
using VecF = __m256;
constexpr int kBytes = 32;
inline Vec load(const void *p) {
  return _mm256_loadu_si256(static_cast<const __m256i *>(p));
}
inline void store(void *p, Vec x) {
  _mm256_storeu_si256(static_cast<__m256i *>(p), x);
}
inline Vec zero() { return _mm256_setzero_si256(); }
inline Vec set1_8(int8_t x) { return _mm256_set1_epi8(x); }
inline Vec set1_16(int16_t x) { return _mm256_set1_epi16(x); }
inline Vec set1_32(int32_t x) { return _mm256_set1_epi32(x); }
inline Vec set1_64(int64_t x) { return _mm256_set1_epi64x(x); }
inline Vec add16(Vec a, Vec b) { return _mm256_add_epi16(a, b); }
inline Vec sub16(Vec a, Vec b) { return _mm256_sub_epi16(a, b); }
inline Vec abs16(Vec a) { return _mm256_abs_epi16(a); }
inline Vec max16(Vec a, Vec b) { return _mm256_max_epi16(a, b); }
inline Vec min16(Vec a, Vec b) { return _mm256_min_epi16(a, b); }
inline Vec sra16(Vec a, int n) {
  return _mm256_sra_epi16(a, _mm_cvtsi32_si128(n));
}
inline Vec max8(Vec a, Vec b) { return _mm256_max_epi8(a, b); }
inline Vec min8(Vec a, Vec b) { return _mm256_min_epi8(a, b); }
inline Vec sad8(Vec a, Vec b) { return _mm256_sad_epu8(a, b); }
inline Vec maddubs(Vec u, Vec s) { return _mm256_maddubs_epi16(u, s); }
inline Vec and_(Vec a, Vec b) { return _mm256_and_si256(a, b); }
inline Vec or_(Vec a, Vec b) { return _mm256_or_si256(a, b); }
inline Vec shl64_8(Vec a) { return _mm256_slli_epi64(a, 8); }
inline Vec shl64_16(Vec a) { return _mm256_slli_epi64(a, 16); }
inline Vec shl32_16(Vec a) { return _mm256_slli_epi32(a, 16); }
inline Vec hi_qword_down(Vec a) { return _mm256_bsrli_epi128(a, 8); }
inline void store_pair_patterns(int32_t *dst, Vec a) {
  Vec dup = _mm256_shuffle_epi8(
      a, _mm256_setr_epi8(0, 1, 0, 1, 2, 3, 2, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
                          0, 1, 2, 3, 2, 3, 0, 0, 0, 0, 0, 0, 0, 0));
  Vec p = _mm256_permutevar8x32_epi32(
      dup, _mm256_setr_epi32(0, 4, 1, 5, 0, 0, 0, 0));
  _mm_storeu_si128(reinterpret_cast<__m128i *>(dst), _mm256_castsi256_si128(p));
}
inline void store_dup16(int32_t *dst, Vec a) {
  Vec lo = _mm256_cvtepu16_epi32(_mm256_castsi256_si128(a));
  Vec hi = _mm256_cvtepu16_epi32(_mm256_extracti128_si256(a, 1));
  store(dst, or_(lo, shl32_16(lo)));
  store(dst + 8, or_(hi, shl32_16(hi)));
}
inline void add_widen16(int32_t *dst, Vec a) {
  Vec lo = _mm256_cvtepi16_epi32(_mm256_castsi256_si128(a));
  Vec hi = _mm256_cvtepi16_epi32(_mm256_extracti128_si256(a, 1));
  store(dst, _mm256_add_epi32(load(dst), lo));
  store(dst + 8, _mm256_add_epi32(load(dst + 8), hi));
}
inline VecF loadf(const float *p) { return _mm256_loadu_ps(p); }
inline void storef(float *p, VecF x) { _mm256_storeu_ps(p, x); }
inline VecF set1f(float x) { return _mm256_set1_ps(x); }
inline VecF addf(VecF a, VecF b) { return _mm256_add_ps(a, b); }
inline VecF mulf(VecF a, VecF b) { return _mm256_mul_ps(a, b); }
inline VecF maxf(VecF a, VecF b) { return _mm256_max_ps(a, b); }
inline VecF minf(VecF a, VecF b) { return _mm256_min_ps(a, b); }
inline VecF fmaf_(VecF a, VecF b, VecF c) { return _mm256_fmadd_ps(a, b, c); }
inline VecF fnmaf(VecF a, VecF b, VecF c) { return _mm256_fnmadd_ps(a, b, c); }
inline VecF roundf_(VecF a) {
  return _mm256_round_ps(a, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
}
inline Vec cvtf_i32(VecF a) { return _mm256_cvtps_epi32(a); }
inline VecF cast_f(Vec a) { return _mm256_castsi256_ps(a); }
inline Vec add32(Vec a, Vec b) { return _mm256_add_epi32(a, b); }
inline Vec shl32_23(Vec a) { return _mm256_slli_epi32(a, 23); }
inline float hmaxf(VecF a) {
  __m128 m = _mm_max_ps(_mm256_castps256_ps128(a), _mm256_extractf128_ps(a, 1));
  m = _mm_max_ps(m, _mm_movehl_ps(m, m));
  m = _mm_max_ss(m, _mm_shuffle_ps(m, m, 1));
  return _mm_cvtss_f32(m);
}
inline float haddf(VecF a) {
  __m128 s = _mm_add_ps(_mm256_castps256_ps128(a), _mm256_extractf128_ps(a, 1));
  s = _mm_add_ps(s, _mm_movehl_ps(s, s));
  s = _mm_add_ss(s, _mm_shuffle_ps(s, s, 1));
  return _mm_cvtss_f32(s);
}
} // namespace simd
#else
#error                                                                         \
    "benchmarks/native needs AVX2+FMA or AVX-512BW (-march=x86-64-v3 or -march=native)"
#endif

namespace simd {
constexpr int kLanes16 = kBytes / 2;
constexpr int kLanesF = kBytes / 4;
// A 32- or 64-bit load broadcast to every lane (vpbroadcastd/q from memory:
// a load-port uop only, unlike the 16-bit vpbroadcastw).
inline Vec bcast32(const void *p) {
  int32_t x;
  std::memcpy(&x, p, 4);
  return set1_32(x);
}
inline Vec bcast64(const void *p) {
  int64_t x;
  std::memcpy(&x, p, 8);
  return set1_64(x);
}
} // namespace simd

#endif // INHIBITOR_BENCHMARKS_NATIVE_SIMD_H
