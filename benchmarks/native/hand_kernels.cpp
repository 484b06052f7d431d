// Hand-vectorized signed inhibitor attention, one head: the speed-of-light
// reference for the generated kernels (benchmarks/roofline.py). Compiled once
// per ISA (see simd.h); every result is bit-exact with
// python/inhibitor/reference.py (checked by
// test/Integration/hand-kernels.test).
//
// Shapes: Q [n, d], K [m, d], V [m, d], H [n, d], row-major. gamma must be a
// power of two (the floor division is an arithmetic shift). Return value:
// 0 = done, -1 = gamma is not a positive power of two, -2 = the inputs break
// the bound that makes the i32 variant's narrow partial sums exact, -3 = out
// of memory.
//
// Structure (PERF-NOTES.md): blocks of kQB = 4 queries against tiles of
// kTK = 128 keys; kQS = 32 queries take their turn on one tile before the
// next, so a tile's K and V stay in cache at every n. The score has keys in
// vector lanes (K transposed per tile, the query element broadcast), 4 queries
// x 2 key vectors of accumulators; Z lives in a [4, 128] tile only. The signed
// inhibition is
//   H[i, e] = sum_j V[j, e] - sum_j clamp(V[j, e], -Z[i, j], Z[i, j])
// (exact for Z >= 0, also modulo 2^16) with E in vector lanes, 4 queries x 2
// E vectors of accumulators, Z broadcast per key from duplicated dwords.
#include "simd.h"

#include <cstdlib>
#include <memory>

using namespace simd;

static constexpr int kQB = 4;   // queries per block
static constexpr int kQS = 32;  // queries sharing one pass over a key tile
static constexpr int kTK = 128; // keys per tile
static constexpr int kKV = 2;   // key vectors per score block
static constexpr int kEV = 2;   // E vectors per inhibition block

static int roundUp(int x, int m) { return (x + m - 1) / m * m; }

static int shiftOf(int gamma) {
  if (gamma <= 0 || (gamma & (gamma - 1)))
    return -1;
  return __builtin_ctz(unsigned(gamma));
}

template <typename T> struct Buffer {
  T *p = nullptr;
  explicit Buffer(size_t count) {
    size_t bytes = (count * sizeof(T) + 64) / 64 * 64;
    p = static_cast<T *>(std::aligned_alloc(64, bytes));
    if (p)
      std::memset(p, 0, count * sizeof(T));
  }
  ~Buffer() { std::free(p); }
  Buffer(const Buffer &) = delete;
  Buffer &operator=(const Buffer &) = delete;
};

template <typename T> static int maxAbs(const T *x, long count) {
  int m = 0;
  for (long i = 0; i < count; ++i) {
    int a = std::abs(int(x[i]));
    m = a > m ? a : m;
  }
  return m;
}

// i16 data. Wide = false: i16 accumulator and result, wrapping (reference
// acc_dtype=int16, exact for all inputs). Wide = true: i32 result (reference
// acc_dtype=int32) from i16 partial sums widened once per key tile; exact
// while d * (max|Q| + max|K|) and 128 * max|V| fit in i16 (else -2).
template <bool Wide>
static int inhibitorI16(const int16_t *q, const int16_t *k, const int16_t *v,
                        void *hOut, int n, int m, int d, int gamma,
                        int threads = 1) {
  int sh = shiftOf(gamma);
  if (sh < 0)
    return -1;
  if (Wide &&
      (long(d) * (maxAbs(q, long(n) * d) + maxAbs(k, long(m) * d)) > 32767 ||
       kTK * maxAbs(v, long(m) * d) > 32767))
    return -2;
  const int mp = roundUp(m, kTK), np = roundUp(n, kQB);
  const int ep = roundUp(d, kEV * kLanes16);
  Buffer<int16_t> kt(size_t(mp) * d), vp(size_t(mp) * ep);
  Buffer<int32_t> qd(size_t(np) * d), colsum(ep);
  if (!kt.p || !vp.p || !qd.p || !colsum.p)
    return -3;
  // K transposed per tile: kt[t][c][jj]; V padded to ep columns; Q as
  // duplicated dwords (q | q << 16) for 32-bit broadcasts.
  for (int j = 0; j < m; ++j)
    for (int c = 0; c < d; ++c) {
      kt.p[(size_t(j / kTK) * d + c) * kTK + j % kTK] = k[size_t(j) * d + c];
      vp.p[size_t(j) * ep + c] = v[size_t(j) * d + c];
      colsum.p[c] += v[size_t(j) * d + c];
    }
  for (int i = 0; i < n; ++i)
    for (int c = 0; c < d; ++c) {
      uint32_t x = uint16_t(q[size_t(i) * d + c]);
      qd.p[size_t(i) * d + c] = int32_t(x | x << 16);
    }
  // One super-block of kQS queries against every key tile, with its own
  // accumulators (hacc [kQS, ep]; zd, nzd [kQB, kTK]).
  auto superBlock = [&](int s0, int32_t *hacc, int32_t *zd, int32_t *nzd) {
    int16_t *h16 = reinterpret_cast<int16_t *>(hacc); // Wide = false
    const Vec vzero = zero();
    std::memset(hacc, 0, sizeof(int32_t) * kQS * ep);
    for (int t = 0; t < mp / kTK; ++t) {
      const int16_t *ktt = kt.p + size_t(t) * d * kTK;
      for (int i0 = s0; i0 < s0 + kQS && i0 < np; i0 += kQB) {
        const int hr = i0 - s0; // row of hacc
        for (int jv = 0; jv < kTK / kLanes16; jv += kKV) {
          Vec acc[kQB][kKV];
          for (auto &r : acc)
            for (auto &x : r)
              x = vzero;
          for (int c = 0; c < d; ++c) {
            Vec k0 = load(ktt + c * kTK + jv * kLanes16);
            Vec k1 = load(ktt + c * kTK + (jv + 1) * kLanes16);
            for (int r = 0; r < kQB; ++r) {
              Vec qb = bcast32(qd.p + size_t(i0 + r) * d + c);
              acc[r][0] = add16(acc[r][0], abs16(sub16(qb, k0)));
              acc[r][1] = add16(acc[r][1], abs16(sub16(qb, k1)));
            }
          }
          for (int r = 0; r < kQB; ++r)
            for (int x = 0; x < kKV; ++x) {
              Vec z = max16(sra16(acc[r][x], sh), vzero);
              store_dup16(zd + r * kTK + (jv + x) * kLanes16, z);
              store_dup16(nzd + r * kTK + (jv + x) * kLanes16, sub16(vzero, z));
            }
        }
        for (int e0 = 0; e0 < ep; e0 += kEV * kLanes16) {
          Vec a[kQB][kEV];
          for (auto &r : a)
            for (auto &x : r)
              x = vzero;
          const int16_t *vt = vp.p + size_t(t) * kTK * ep + e0;
          for (int jj = 0; jj < kTK; ++jj) {
            Vec v0 = load(vt + size_t(jj) * ep);
            Vec v1 = load(vt + size_t(jj) * ep + kLanes16);
            for (int r = 0; r < kQB; ++r) {
              Vec zp = bcast32(zd + r * kTK + jj);
              Vec zn = bcast32(nzd + r * kTK + jj);
              a[r][0] = add16(a[r][0], min16(max16(v0, zn), zp));
              a[r][1] = add16(a[r][1], min16(max16(v1, zn), zp));
            }
          }
          for (int r = 0; r < kQB; ++r)
            for (int x = 0; x < kEV; ++x) {
              int e = e0 + x * kLanes16;
              if (Wide) {
                add_widen16(hacc + (hr + r) * ep + e, a[r][x]);
              } else {
                int16_t *dst = h16 + (hr + r) * ep + e;
                store(dst, add16(load(dst), a[r][x]));
              }
            }
        }
      }
    }
    for (int r = 0; r < kQS && s0 + r < n; ++r)
      for (int e = 0; e < d; ++e) {
        if (Wide)
          static_cast<int32_t *>(hOut)[size_t(s0 + r) * d + e] =
              colsum.p[e] - hacc[r * ep + e];
        else
          static_cast<int16_t *>(hOut)[size_t(s0 + r) * d + e] =
              int16_t(uint16_t(colsum.p[e]) - uint16_t(h16[r * ep + e]));
      }
  };
  // Threads (`threads` > 1, OpenMP) share the prepared K, V and Q and take
  // the super-blocks in static chunks, as our kernel's `threads=T` takes its
  // query tiles.
  if (threads <= 1) {
    Buffer<int32_t> hacc(size_t(kQS) * ep), zd(kQB * kTK), nzd(kQB * kTK);
    if (!hacc.p || !zd.p || !nzd.p)
      return -3;
    for (int s0 = 0; s0 < np; s0 += kQS)
      superBlock(s0, hacc.p, zd.p, nzd.p);
    return 0;
  }
  int status = 0;
#pragma omp parallel num_threads(threads)
  {
    Buffer<int32_t> hacc(size_t(kQS) * ep), zd(kQB * kTK), nzd(kQB * kTK);
    const bool ok = hacc.p && zd.p && nzd.p;
    if (!ok) {
#pragma omp atomic write
      status = -3;
    }
#pragma omp for schedule(static)
    for (int s0 = 0; s0 < np; s0 += kQS)
      if (ok)
        superBlock(s0, hacc.p, zd.p, nzd.p);
  }
  return status;
}

// i8 data, i16 accumulator and result, wrapping (reference acc_dtype=int16,
// exact for all inputs). The score is a byte sum of absolute differences
// (vpsadbw) on values offset by 128, keys in qword lanes (K stored as
// [group][8-byte chunk][key]), the query chunk broadcast. The inhibition runs
// in bytes: clamp(V, -min(Z, 128), min(Z, 127)) equals clamp(V, -Z, Z) for
// every i8 V; two keys' V are interleaved bytewise so that vpmaddubsw with
// ones adds the pair into i16 lanes.
static int inhibitorI8(const int8_t *q, const int8_t *k, const int8_t *v,
                       int16_t *h, int n, int m, int d, int gamma) {
  int sh = shiftOf(gamma);
  if (sh < 0)
    return -1;
  constexpr int kG = kBytes / 8; // keys per vector
  const int mp = roundUp(m, kTK), np = roundUp(n, kQB);
  const int dp = roundUp(d, 8), c8n = dp / 8;
  const int ep = roundUp(d, kEV * kLanes16);
  Buffer<uint8_t> ks(size_t(mp) * dp), qx(size_t(np) * dp);
  Buffer<int8_t> vp(size_t(mp) * ep);
  Buffer<int16_t> colsum(ep), hacc(size_t(kQS) * ep);
  Buffer<int32_t> zp4(kQB * kTK / 2), zn4(kQB * kTK / 2);
  if (!ks.p || !qx.p || !vp.p || !colsum.p || !hacc.p || !zp4.p || !zn4.p)
    return -3;
  std::memset(ks.p, 0x80, size_t(mp) * dp);
  std::memset(qx.p, 0x80, size_t(np) * dp);
  for (int j = 0; j < m; ++j)
    for (int c = 0; c < d; ++c) {
      int8_t x = k[size_t(j) * d + c];
      ks.p[((size_t(j / kG) * c8n + c / 8) * kG + j % kG) * 8 + c % 8] =
          uint8_t(x) ^ 0x80;
      int8_t y = v[size_t(j) * d + c];
      vp.p[(size_t(j / 2) * ep + c) * 2 + j % 2] = y;
      colsum.p[c] = int16_t(uint16_t(colsum.p[c]) + uint16_t(y));
    }
  for (int i = 0; i < n; ++i)
    for (int c = 0; c < d; ++c)
      qx.p[size_t(i) * dp + c] = uint8_t(q[size_t(i) * d + c]) ^ 0x80;
  const Vec vzero = zero(), ones = set1_8(1), lowByte = set1_16(0xFF);
  const Vec c127 = set1_16(127), cm128 = set1_16(-128);
  for (int s0 = 0; s0 < np; s0 += kQS) {
    std::memset(hacc.p, 0, sizeof(int16_t) * kQS * ep);
    for (int t = 0; t < mp / kTK; ++t) {
      for (int i0 = s0; i0 < s0 + kQS && i0 < np; i0 += kQB) {
        const int hr = i0 - s0; // row of hacc
        for (int g0 = 0; g0 < kTK / kG; g0 += kKV) {
          Vec acc[kQB][kKV];
          for (auto &r : acc)
            for (auto &x : r)
              x = vzero;
          const uint8_t *kg =
              ks.p + (size_t(t) * (kTK / kG) + g0) * c8n * kG * 8;
          for (int c8 = 0; c8 < c8n; ++c8) {
            Vec k0 = load(kg + c8 * kG * 8);
            Vec k1 = load(kg + (c8n + c8) * kG * 8);
            for (int r = 0; r < kQB; ++r) {
              Vec qb = bcast64(qx.p + size_t(i0 + r) * dp + c8 * 8);
              acc[r][0] = add16(acc[r][0], sad8(qb, k0));
              acc[r][1] = add16(acc[r][1], sad8(qb, k1));
            }
          }
          // Each qword lane holds one key's i16 score in its low word; the
          // second group's go to word 1, and words 2-3 stay 0 throughout.
          // Pair (2p, 2p + 1) of a group sits in one 128-bit lane: its
          // bytes [z_2p, z_2p+1] form word 0 (group g0) or 1 (g0 + 1) of
          // the lane's low qword.
          static_assert(kKV == 2, "two key groups share the Z conversion");
          for (int r = 0; r < kQB; ++r) {
            Vec sc = or_(acc[r][0], shl64_16(acc[r][1]));
            Vec z = max16(sra16(sc, sh), vzero);
            Vec zp = and_(min16(z, c127), lowByte);
            Vec zn = and_(max16(sub16(vzero, z), cm128), lowByte);
            int pair = r * (kTK / 2) + (g0 * kG) / 2;
            store_pair_patterns(zp4.p + pair,
                                or_(zp, shl64_8(hi_qword_down(zp))));
            store_pair_patterns(zn4.p + pair,
                                or_(zn, shl64_8(hi_qword_down(zn))));
          }
        }
        for (int e0 = 0; e0 < ep; e0 += kEV * kLanes16) {
          Vec a[kQB][kEV];
          for (auto &r : a)
            for (auto &x : r)
              x = vzero;
          const int8_t *vt = vp.p + (size_t(t) * (kTK / 2) * ep + e0) * 2;
          for (int p = 0; p < kTK / 2; ++p) {
            Vec v0 = load(vt + size_t(p) * ep * 2);
            Vec v1 = load(vt + size_t(p) * ep * 2 + kBytes);
            for (int r = 0; r < kQB; ++r) {
              Vec hi = bcast32(zp4.p + r * (kTK / 2) + p);
              Vec lo = bcast32(zn4.p + r * (kTK / 2) + p);
              a[r][0] = add16(a[r][0], maddubs(ones, min8(max8(v0, lo), hi)));
              a[r][1] = add16(a[r][1], maddubs(ones, min8(max8(v1, lo), hi)));
            }
          }
          for (int r = 0; r < kQB; ++r)
            for (int x = 0; x < kEV; ++x) {
              int16_t *dst = hacc.p + (hr + r) * ep + e0 + x * kLanes16;
              store(dst, add16(load(dst), a[r][x]));
            }
        }
      }
    }
    for (int r = 0; r < kQS && s0 + r < n; ++r)
      for (int e = 0; e < d; ++e)
        h[size_t(s0 + r) * d + e] =
            int16_t(uint16_t(colsum.p[e]) - uint16_t(hacc.p[r * ep + e]));
  }
  return 0;
}

extern "C" {
int NATIVE_FN(hand_inhibitor_i16)(const int16_t *q, const int16_t *k,
                                  const int16_t *v, int16_t *h, int n, int m,
                                  int d, int gamma) {
  return inhibitorI16<false>(q, k, v, h, n, m, d, gamma);
}
// The i16 kernel on 2 threads (what this host gives `threads=2`).
int NATIVE_FN(hand_inhibitor_i16_t2)(const int16_t *q, const int16_t *k,
                                     const int16_t *v, int16_t *h, int n, int m,
                                     int d, int gamma) {
  return inhibitorI16<false>(q, k, v, h, n, m, d, gamma, 2);
}
int NATIVE_FN(hand_inhibitor_i16_i32)(const int16_t *q, const int16_t *k,
                                      const int16_t *v, int32_t *h, int n,
                                      int m, int d, int gamma) {
  return inhibitorI16<true>(q, k, v, h, n, m, d, gamma);
}
int NATIVE_FN(hand_inhibitor_i8)(const int8_t *q, const int8_t *k,
                                 const int8_t *v, int16_t *h, int n, int m,
                                 int d, int gamma) {
  return inhibitorI8(q, k, v, h, n, m, d, gamma);
}
}
