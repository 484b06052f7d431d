#!/usr/bin/env python3
"""Execution test of the approximate key filter (--inhibitor-approximate-filter,
`approximate-filter=true` of --inhibitor-to-llvm; docs/KeySkipping.md).

Every case is compiled through the JIT (libInhibitorCAPI) with the filter's
attributes and run; the result must equal the NumPy mirror
(inhibitor.approx.attention): bit for bit for integers, within a relative
1e-5 of the output's scale for floats. Per case three threshold sets:
  calibrated  per head, dropping about half of the pairs of these data
              (the filter must change the result somewhere: checked over all
              cases, since a dropped pair may also have been extinguished);
  keep-all    thresholds above every score: equal to the unfiltered compiled
              op and to the reference;
  keep-none   thresholds below every score: zeros.
Cases: i8 (i16, i32 accumulators), i16 (i32), i32 (i64), f32, f64 and f16
data in f32; signed and unsigned inhibition; a mask, causal, both; one
threshold or one per head along batch dim 0 or 1 ([B, H, N, D]); grouped
heads; a bias; shifts 0, 4, 12 (ints) and -3, 0, 2 (floats); and the
quantized path (float op with inhibitor.quant_* and the filter's
attributes, --inhibitor-quantize then the filter on the integer op); +inf
in float Q/K (inf scores, a NaN score kept); the filter with skip-keys.
Prints one line per case and "N passed, M failed".
"""

from __future__ import annotations

import sys

import numpy as np

from inhibitor import approx as A
from inhibitor import kernels as K
from inhibitor import quantize as Q
from inhibitor import reference as R


def data(rng, dtype, qs, ks, vs):
    if np.dtype(dtype).kind == "i":
        hi = {np.int8: 127, np.int16: 3000, np.int32: 100000}[dtype]
        return (rng.integers(-hi, hi + 1, qs).astype(dtype), rng.integers(-hi, hi + 1, ks).astype(dtype),
                rng.integers(-hi, hi + 1, vs).astype(dtype))
    return tuple((rng.standard_normal(s) * 4).astype(dtype) for s in (qs, ks, vs))


CASES = [
    # name, dtype, acc, q, k, v shapes, shift, head_dim, per_head, signed, mask, causal, bias
    ("i8-i16-heads", np.int8, np.int16, (2, 6, 16), (2, 7, 16), (2, 7, 5), 4, 0, True, True, False, False, False),
    ("i8-i32-unsigned-mask", np.int8, np.int32, (3, 5, 8), (3, 5, 8), (3, 5, 4), 4, 0, True, False, True, False, False),
    ("i8-i16-causal-one", np.int8, np.int16, (2, 8, 16), (2, 8, 16), (2, 8, 3), 0, 0, False, True, False, True, False),
    ("i16-i32-bhnd-mask-causal", np.int16, np.int32, (2, 3, 6, 8), (2, 3, 6, 8), (2, 3, 6, 4), 12, 1, True, True, True, True, False),
    ("i16-i32-grouped", np.int16, np.int32, (4, 5, 8), (2, 6, 8), (2, 6, 3), 8, 0, True, False, False, False, False),
    ("i32-i64-bias", np.int32, np.int64, (2, 4, 8), (2, 5, 8), (2, 5, 3), 12, 0, True, True, False, False, True),
    ("f32-heads", np.float32, np.float32, (2, 6, 16), (2, 7, 16), (2, 7, 5), -3, 0, True, True, False, False, False),
    ("f32-unsigned-mask-causal", np.float32, np.float32, (2, 3, 6, 8), (2, 3, 6, 8), (2, 3, 6, 4), 0, 1, True, False, True, True, False),
    ("f64-one-grouped", np.float64, np.float64, (4, 5, 8), (1, 6, 8), (1, 6, 3), 2, 0, False, True, False, False, False),
    ("f16-f32", np.float16, np.float32, (2, 5, 8), (2, 5, 8), (2, 5, 4), -2, 0, True, True, True, False, False),
]


def close(a, b):
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    scale = max(1.0, float(np.max(np.abs(b))) if b.size else 1.0)
    return bool(np.all(np.abs(a - b) <= 1e-5 * scale))


def main() -> int:
    rng = np.random.default_rng(21)
    passed = failed = 0
    changed = 0

    def report(name, ok, what=""):
        nonlocal passed, failed
        print(f"{'PASS' if ok else 'FAIL'}: {name}{' ' + what if what else ''}")
        passed += ok
        failed += not ok

    for (name, dt, acc, qs, ks, vs, shift, head_dim, per_head, signed, use_mask, causal,
         use_bias) in CASES:
        q, k, v = data(rng, dt, qs, ks, vs)
        integer = np.dtype(dt).kind == "i"
        d = qs[-1]
        gamma = 4 * d if integer else float(d)   # scores on the scale of V: dropping matters
        batch, n, m = qs[:-2], qs[-2], ks[-2]
        mask = rng.random(batch + (n, m)) < 0.8 if use_mask else None
        bias = None
        if use_bias:
            bias = rng.integers(-50, 51, (n, m)).astype(acc)
        kw = dict(gamma=gamma, signed=signed, mask=mask, causal=causal, bias=bias, acc_dtype=acc)
        cal = A.calibrate_thresholds(q, k, 0.5, shift=shift, head_dim=head_dim, acc_dtype=acc,
                                     mask=mask, causal=causal, per_head=per_head)
        if integer:
            keep_all, keep_none = [np.iinfo(np.int64).max] * len(cal), [-1] * len(cal)
        else:
            keep_all, keep_none = [float("inf")] * len(cal), [-1.0] * len(cal)
        plain = K.attention(q, k, v, **kw)
        ref = R.attention(q, k, v, **kw)
        for label, t in (("calibrated", cal), ("keep-all", keep_all), ("keep-none", keep_none)):
            case = f"{name} {label}"
            try:
                got = K.attention(q, k, v, approx_thresholds=t, approx_shift=shift,
                                  approx_head_dim=head_dim, **kw)
                want = A.attention(q, k, v, t, shift=shift, head_dim=head_dim, **kw)
            except Exception as e:  # noqa: BLE001
                report(case, False, f"raised {type(e).__name__}: {e}")
                continue
            ok = got.dtype == want.dtype and (np.array_equal(got, want) if integer
                                              else close(got, want))
            if label == "keep-all":
                ok &= np.array_equal(got, plain) and (np.array_equal(got, ref) if integer
                                                      else close(got, ref))
            if label == "keep-none":
                ok &= not np.any(got)
            if label == "calibrated":
                keep = A.keep_mask(q, k, t, shift=shift, head_dim=head_dim, acc_dtype=acc)
                ok &= bool(keep.any()) and not bool(keep.all())
                changed += not np.array_equal(got, plain)
            report(case, ok, f"(kept {A.keep_mask(q, k, t, shift=shift, head_dim=head_dim, acc_dtype=acc).mean():.0%})")

    # Floats with +inf in Q and K: inf scores are dropped by finite
    # thresholds and kept by +inf; the NaN score of inf - inf is kept by
    # every threshold (the unordered compare), as in the mirror.
    q, k, v = data(rng, np.float32, (1, 4, 8), (1, 5, 8), (1, 5, 3))
    q[0, 1, 2] = np.inf
    k[0, 3, 2] = np.inf
    for t in ([-1.0], [5.0], [float("inf")]):
        got = K.attention(q, k, v, signed=True, approx_thresholds=t)
        want = A.attention(q, k, v, t, signed=True)
        keep = A.keep_mask(q, k, t)
        report(f"f32 inf/NaN scores, threshold {t[0]}",
               np.array_equal(got, want, equal_nan=True) and bool(keep[0, 1, 3])
               and bool(keep[0, 0, 3]) == (t[0] == float("inf")))

    # With exact key skipping in the fused kernel (dropped pairs count as
    # masked out, so whole tiles of them are skipped), tiles ragged.
    for dt, acc in ((np.int8, np.int16), (np.int16, np.int32)):
        q, k, v = data(rng, dt, (2, 16, 16), (2, 20, 16), (2, 20, 8))
        t = A.calibrate_thresholds(q, k, 0.8, shift=4)
        kw = dict(gamma=64, signed=True, causal=True, acc_dtype=acc, approx_thresholds=t,
                  approx_shift=4)
        got = K.attention(q, k, v, pipeline="skip-keys=true query-tile=3 key-tile=5", **kw)
        want = A.attention(q, k, v, t, shift=4, gamma=64, signed=True, causal=True,
                           acc_dtype=acc)
        report(f"skip-keys {np.dtype(dt).name}", np.array_equal(got, want))

    # The quantized path: float op + quant scales + the filter in integer units.
    for bits in (8, 16):
        q, k, v = data(rng, np.float32, (2, 8, 16), (2, 8, 16), (2, 8, 16))
        gamma = 16.0
        scale, qk_scale = Q.scales_from_ranges(max(np.abs(q).max(), np.abs(k).max()),
                                               np.abs(v).max(), gamma, bits)
        p = Q.parameters(gamma, 0.0, scale, qk_scale, bits=bits)
        qi = Q.quantize_array(q, p.qk_scale, bits)
        ki = Q.quantize_array(k, p.qk_scale, bits)
        shift = bits - 4
        t = A.calibrate_thresholds(qi, ki, 0.6, shift=shift)
        got = Q.compiled_attention(q, k, v, gamma=gamma, signed=True, scale=scale,
                                   qk_scale=qk_scale, bits=bits, approx_thresholds=t,
                                   approx_shift=shift)
        want = Q.attention(q, k, v, p, signed=True, approx_thresholds=t, approx_shift=shift)
        plain = Q.compiled_attention(q, k, v, gamma=gamma, signed=True, scale=scale,
                                     qk_scale=qk_scale, bits=bits)
        report(f"quantized int{bits}", np.array_equal(got, want) and not np.array_equal(got, plain))

    report("the filter changed some calibrated results", changed > 0, f"({changed} cases)")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
