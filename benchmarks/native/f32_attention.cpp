// The strongest f32 dot-product attention baselines (benchmarks/roofline.py):
// softmax(Q K^T / sqrt(d)) V, one head, Q [n, d], K and V [m, d], row-major,
// one thread, compiled once per ISA (see simd.h). Both are tiled per block of
// `block` queries, so the score matrix is at most [block, m]:
// - Eigen 3 (header-only; single-threaded without -fopenmp): the GEMMs, the
//   row max/sum and its vectorized exp;
// - OpenBLAS cblas_sgemm (whatever kernel its runtime dispatch picks; see
//   openblas_get_corename) for Q K^T and P V, and a softmax written with
//   intrinsics and a polynomial exp (exp_approx below).
#include "simd.h"

#include <Eigen/Dense>
#include <cblas.h>
#include <cmath>
#include <vector>

using namespace simd;

// exp(x) for x <= 0 (Cephes expf's range reduction and degree-5 polynomial):
// x = n ln2 + r with |r| <= ln2 / 2, exp(r) by the polynomial, 2^n through
// the exponent bits. Inputs below -87.3 are clamped (giving ~1e-38, not 0).
// Its maximum relative error over [-87, 0] is measured by exp_max_rel_err.
static inline VecF expApprox(VecF x) {
  x = maxf(minf(x, set1f(88.3762626647949f)), set1f(-87.3365447504f));
  VecF fx = roundf_(mulf(x, set1f(1.44269504088896341f)));
  x = fnmaf(fx, set1f(0.693359375f), x);
  x = fnmaf(fx, set1f(-2.12194440e-4f), x);
  VecF y = set1f(1.9875691500E-4f);
  y = fmaf_(y, x, set1f(1.3981999507E-3f));
  y = fmaf_(y, x, set1f(8.3334519073E-3f));
  y = fmaf_(y, x, set1f(4.1665795894E-2f));
  y = fmaf_(y, x, set1f(1.6666665459E-1f));
  y = fmaf_(y, x, set1f(5.0000001201E-1f));
  y = fmaf_(y, mulf(x, x), addf(x, set1f(1.0f)));
  Vec e = shl32_23(add32(cvtf_i32(fx), set1_32(127)));
  return mulf(y, cast_f(e));
}

// In place: row <- exp(row - max(row)); returns the sum of the row.
static float softmaxRow(float *s, int m) {
  int j = 0;
  VecF mx = set1f(-INFINITY);
  for (; j + kLanesF <= m; j += kLanesF)
    mx = maxf(mx, loadf(s + j));
  float mxs = hmaxf(mx);
  for (; j < m; ++j)
    mxs = s[j] > mxs ? s[j] : mxs;
  VecF vmx = set1f(mxs), sum = set1f(0.0f);
  for (j = 0; j + kLanesF <= m; j += kLanesF) {
    VecF e = expApprox(addf(loadf(s + j), mulf(vmx, set1f(-1.0f))));
    storef(s + j, e);
    sum = addf(sum, e);
  }
  float sums = haddf(sum);
  for (; j < m; ++j) {
    s[j] = std::exp(s[j] - mxs);
    sums += s[j];
  }
  return sums;
}

using RowMat =
    Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

extern "C" {
int NATIVE_FN(eigen_dot_f32)(const float *q, const float *k, const float *v,
                             float *h, int n, int m, int d, int block) {
  Eigen::Map<const RowMat> Q(q, n, d), K(k, m, d), V(v, m, d);
  Eigen::Map<RowMat> H(h, n, d);
  const float scale = 1.0f / std::sqrt(float(d));
  RowMat S(block, m);
  Eigen::VectorXf mx(block), sum(block);
  for (int i0 = 0; i0 < n; i0 += block) {
    int b = std::min(block, n - i0);
    auto s = S.topRows(b);
    s.noalias() = (Q.middleRows(i0, b) * scale) * K.transpose();
    mx.head(b) = s.rowwise().maxCoeff();
    s = (s.colwise() - mx.head(b)).array().exp().matrix();
    sum.head(b) = s.rowwise().sum();
    auto hb = H.middleRows(i0, b);
    hb.noalias() = s * V;
    hb.array().colwise() /= sum.head(b).array();
  }
  return 0;
}

int NATIVE_FN(openblas_dot_f32)(const float *q, const float *k, const float *v,
                                float *h, int n, int m, int d, int block) {
  const float scale = 1.0f / std::sqrt(float(d));
  std::vector<float> s(size_t(block) * m);
  std::vector<float> sum(block);
  for (int i0 = 0; i0 < n; i0 += block) {
    int b = std::min(block, n - i0);
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, b, m, d, scale,
                q + size_t(i0) * d, d, k, d, 0.0f, s.data(), m);
    for (int r = 0; r < b; ++r)
      sum[r] = softmaxRow(s.data() + size_t(r) * m, m);
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, b, d, m, 1.0f,
                s.data(), m, v, d, 0.0f, h + size_t(i0) * d, d);
    for (int r = 0; r < b; ++r) {
      float inv = 1.0f / sum[r];
      for (int e = 0; e < d; ++e)
        h[size_t(i0 + r) * d + e] *= inv;
    }
  }
  return 0;
}

// Maximum relative error of expApprox against exp in double over `count`
// evenly spaced points of [lo, 0].
double NATIVE_FN(exp_max_rel_err)(float lo, int count) {
  std::vector<float> x(size_t(count) + kLanesF, 0.0f), y(x.size());
  for (int i = 0; i < count; ++i)
    x[i] = lo * float(i) / float(count - 1);
  for (size_t i = 0; i + kLanesF <= x.size(); i += kLanesF)
    storef(y.data() + i, expApprox(loadf(x.data() + i)));
  double worst = 0;
  for (int i = 0; i < count; ++i) {
    double want = std::exp(double(x[i]));
    double err = std::fabs(double(y[i]) - want) / want;
    worst = err > worst ? err : worst;
  }
  return worst;
}

const char *NATIVE_FN(openblas_core)() { return openblas_get_corename(); }
}
