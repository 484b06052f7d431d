"""--inhibitor-quantize executed: the compiled quantized kernel against the
NumPy mirror (inhibitor.quantize.attention, bit-exact) and against the float64
reference (within the pass's error bound), on random data over sizes, bits,
rounding modes, masks, causal, alpha; the separate score and inhibit ops;
the parameter derivation; errors. Kernel tests are skipped when
libInhibitorCAPI.so is not built."""

import math

import numpy as np
import pytest

import inhibitor
from inhibitor import quantize as iq
from inhibitor import reference as ref

try:
    inhibitor.library_path()
    NO_LIB = ""
except inhibitor.LibraryNotFound as e:
    NO_LIB = str(e)

needs_kernel = pytest.mark.skipif(bool(NO_LIB), reason=NO_LIB or "library found")

F32_U = 2.0 ** -24


def random_qkv(rng, batch, n, m, d, e, qk_range=1.0, v_range=1.0):
    q = rng.uniform(-qk_range, qk_range, batch + (n, d)).astype(np.float32)
    k = rng.uniform(-qk_range, qk_range, batch + (m, d)).astype(np.float32)
    v = rng.uniform(-v_range, v_range, batch + (m, e)).astype(np.float32)
    return q, k, v


def within_bound(h_int, h_ref, p, d, m):
    """|H_int - H| <= s * bound + the float32 rounding of the dequantization."""
    err = np.abs(h_int.astype(np.float64) - h_ref)
    allowed = p.scale * iq.error_bound(d, m, p) + 2 * F32_U * np.abs(h_ref) + 1e-30
    return float(np.max(err / allowed)) if err.size else 0.0


# (batch, N, M, D, E, gamma, alpha, signed, masking)
CASES = [
    ((), 1, 1, 1, 1, 1.0, 0.0, False, "none"),
    ((2,), 5, 7, 8, 3, 8.0, 0.0, True, "none"),
    ((2, 3), 9, 9, 16, 16, 16.0, 0.0, True, "causal"),
    ((3,), 17, 13, 7, 5, math.sqrt(7), 0.25, False, "mask"),
    ((1,), 33, 65, 64, 17, 64.0, 0.5, True, "both"),
]


@needs_kernel
@pytest.mark.parametrize("bits", [8, 16])
@pytest.mark.parametrize("case", range(len(CASES)))
def test_kernel_matches_mirror_and_bound(bits, case):
    batch, n, m, d, e, gamma, alpha, signed, masking = CASES[case]
    rng = np.random.default_rng(100 * case + bits)
    q, k, v = random_qkv(rng, batch, n, m, d, e, qk_range=0.7, v_range=1.3)
    mask = None
    if masking in ("mask", "both"):
        mask = rng.random(batch + (n, m)) < 0.7
    causal = masking in ("causal", "both")
    qmax = 2 ** (bits - 1) - 1
    scale, qk_scale = iq.scales_from_ranges(max(abs(q).max(), abs(k).max()), abs(v).max(),
                                            gamma, bits)
    p = iq.parameters(gamma, alpha, scale, qk_scale, bits=bits)
    assert p.gamma >= 1 and p.qk_scale >= qk_scale * (1 - 1e-12)
    assert max(abs(q).max(), abs(k).max()) <= p.qk_scale * qmax * (1 + 1e-6)  # no saturation
    got = iq.compiled_attention(q, k, v, gamma=gamma, alpha=alpha, signed=signed, scale=scale,
                                qk_scale=qk_scale, bits=bits, mask=mask, causal=causal)
    mirror = iq.attention(q, k, v, p, signed=signed, mask=mask, causal=causal)
    np.testing.assert_array_equal(got, mirror)
    want = ref.attention(q.astype(np.float64), k.astype(np.float64), v.astype(np.float64),
                         gamma=gamma, alpha=alpha, signed=signed, mask=mask, causal=causal)
    assert within_bound(got, want, p, d, m) <= 1.0


@needs_kernel
@pytest.mark.parametrize("rounding", iq.ROUNDING_MODES)
def test_rounding_modes(rounding):
    rng = np.random.default_rng(5)
    q, k, v = random_qkv(rng, (2,), 6, 10, 12, 4)
    gamma, alpha = 12.0, 0.3
    scale, qk_scale = iq.scales_from_ranges(1.0, 1.0, gamma, 8)
    p = iq.parameters(gamma, alpha, scale, qk_scale, bits=8, rounding=rounding)
    got = iq.compiled_attention(q, k, v, gamma=gamma, alpha=alpha, signed=True, scale=scale,
                                qk_scale=qk_scale, bits=8, rounding=rounding)
    np.testing.assert_array_equal(got, iq.attention(q, k, v, p, signed=True))
    want = ref.attention(q.astype(np.float64), k.astype(np.float64), v.astype(np.float64),
                         gamma=gamma, alpha=alpha, signed=True)
    assert within_bound(got, want, p, 12, 10) <= 1.0


def test_rounding_of_ties():
    x = np.array([-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 1.25, -1.75, 300.0, -300.0], np.float32)
    assert iq.quantize_array(x, 1.0, 8, "nearest").tolist() == [-2, -2, 0, 0, 2, 2, 1, -2, 127, -127]
    assert iq.quantize_array(x, 1.0, 8, "nearest-away").tolist() == [-3, -2, -1, 1, 2, 3, 1, -2, 127, -127]
    assert iq.quantize_array(x, 1.0, 8, "floor").tolist() == [-3, -2, -1, 0, 1, 2, 1, -2, 127, -127]
    assert iq.quantize_array(x, 1.0, 8, "toward-zero").tolist() == [-2, -1, 0, 0, 1, 2, 1, -1, 127, -127]


@needs_kernel
@pytest.mark.parametrize("acc_bits", [32, 64])
def test_explicit_accumulator(acc_bits):
    rng = np.random.default_rng(9)
    q, k, v = random_qkv(rng, (), 4, 5, 6, 3)
    p = iq.parameters(6.0, 0.0, 1 / 127, bits=8)
    got = iq.compiled_attention(q, k, v, gamma=6.0, signed=True, scale=1 / 127, bits=8,
                                acc_bits=acc_bits)
    np.testing.assert_array_equal(got, iq.attention(q, k, v, p, signed=True, acc_bits=acc_bits))


def test_error_bound_is_attained_order():
    """The bound is not loose by orders of magnitude: adversarial inputs
    reach a good fraction of it (here every Q-K difference truncates by
    almost 2 in the same direction, so all score errors add up)."""
    d, m, gamma = 8, 4, 8.0
    p = iq.parameters(gamma, 0.0, 1.0, 1.0, bits=8, rounding="toward-zero")
    q = np.full((1, d), 0.999, np.float32)       # truncates to 0: error ~1 each
    k = np.full((m, d), -0.999, np.float32)      # truncates to 0: |q - k| off by ~2
    v = np.full((m, 1), 10.0, np.float32)        # exact
    h = iq.attention(q, k, v, p)
    exact = ref.attention(q.astype(np.float64), k.astype(np.float64), v.astype(np.float64),
                          gamma=gamma)
    err = float(np.abs(h - exact).max())
    assert err <= iq.error_bound(d, m, p)
    assert err >= 0.4 * iq.error_bound(d, m, p)


def test_parameters():
    p = iq.parameters(4.0, 1.0, 0.5, bits=8)              # qk_scale = scale: g = gamma
    assert (p.gamma, p.alpha, p.qk_scale, p.scale) == (4, 2, 0.5, 0.5)
    p = iq.parameters(math.sqrt(8), 0.0, 1.0, 0.25, bits=16)
    assert p.gamma == 11 and math.isclose(p.qk_scale, math.sqrt(8) / 11)
    assert p.qk_scale >= 0.25
    p = iq.parameters(1.0, 0.0, 0.1, 1.0, bits=8)          # ratio < 1: g = 1, finer step
    assert p.gamma == 1 and math.isclose(p.qk_scale, 0.1)
    assert iq.accumulator_bits(8, 6, iq.parameters(4.0, 0.0, 1.0, bits=8)) == 16
    assert iq.accumulator_bits(8, 6, iq.parameters(4.0, 0.0, 1.0, bits=16)) == 32
    assert iq.accumulator_bits(None, 6, iq.parameters(4.0, 0.0, 1.0, bits=8)) == 32
    with pytest.raises(ValueError, match="bits must be 8 or 16"):
        iq.parameters(1.0, 0.0, 1.0, bits=4)
    with pytest.raises(ValueError, match="rounding must be"):
        iq.parameters(1.0, 0.0, 1.0, rounding="up")
    with pytest.raises(ValueError, match="scale must be a positive"):
        iq.parameters(1.0, 0.0, -1.0)


def test_scales_from_ranges():
    s, t = iq.scales_from_ranges(2.0, 1.0, gamma=8.0, bits=8)
    assert math.isclose(s, 1 / 127) and math.isclose(t, 2 / 127)
    s, t = iq.scales_from_ranges(100.0, 1.0, gamma=2.0, bits=8)   # raised so that g >= 1
    assert math.isclose(s, 50 / 127) and iq.parameters(2.0, 0, s, t).gamma == 1
    assert iq.scales_from_ranges(0.0, 0.0, gamma=1.0, bits=8) == (1.0, 1.0)


SCORE_INHIBIT = """
func.func @score(%q: tensor<5x9xf32>, %k: tensor<7x9xf32>) -> tensor<5x7xf32> {
  %init = tensor.empty() : tensor<5x7xf32>
  %z = inhibitor.manhattan_score {gamma = 3.0 : f32, alpha = 0.5 : f32,
         inhibitor.quant_scale = 0.015625 : f64}
         ins(%q, %k : tensor<5x9xf32>, tensor<7x9xf32>)
         outs(%init : tensor<5x7xf32>) -> tensor<5x7xf32>
  return %z : tensor<5x7xf32>
}
func.func @inhibit(%v: tensor<7x3xf32>, %z: tensor<5x7xf32>) -> tensor<5x3xf32> {
  %init = tensor.empty() : tensor<5x3xf32>
  %h = inhibitor.inhibit signed {inhibitor.quant_scale = 0.015625 : f64}
         ins(%v, %z : tensor<7x3xf32>, tensor<5x7xf32>)
         outs(%init : tensor<5x3xf32>) -> tensor<5x3xf32>
  return %h : tensor<5x3xf32>
}
"""


@needs_kernel
def test_score_and_inhibit_ops():
    rng = np.random.default_rng(3)
    q, k = rng.uniform(-1, 1, (5, 9)).astype(np.float32), rng.uniform(-1, 1, (7, 9)).astype(np.float32)
    v = rng.uniform(-1.5, 1.5, (7, 3)).astype(np.float32)
    z = rng.uniform(0, 1.5, (5, 7)).astype(np.float32)
    kernel = inhibitor.compile(SCORE_INHIBIT, iq.quantize_pipeline(8))
    s = 0.015625
    p = iq.parameters(3.0, 0.5, s, bits=8)                  # g = 3, t = s
    zq = kernel["score"](q, k)
    zi = ref.manhattan_score(iq.quantize_array(q, p.qk_scale, 8), iq.quantize_array(k, p.qk_scale, 8),
                             gamma=p.gamma, alpha=p.alpha, acc_dtype=np.int16)
    np.testing.assert_array_equal(zq, zi.astype(np.float32) * np.float32(s))
    zref = ref.manhattan_score(q.astype(np.float64), k.astype(np.float64), gamma=3.0, alpha=0.5)
    r = p.rounding_bound
    assert np.abs(zq - zref).max() <= s * (p.alpha_error + (2 * r * 9 + p.gamma - 1) / p.gamma)
    hq = kernel["inhibit"](v, z)
    hi = ref.inhibit(iq.quantize_array(v, s, 8), iq.quantize_array(z, s, 8), signed=True,
                     acc_dtype=np.int16)
    np.testing.assert_array_equal(hq, hi.astype(np.float32) * np.float32(s))
    href = ref.inhibit(v.astype(np.float64), z.astype(np.float64), signed=True)
    assert np.abs(hq - href).max() <= s * 2 * r * 7


@needs_kernel
def test_pass_errors_surface_in_python():
    q = np.zeros((2, 4), np.float32)
    with pytest.raises(inhibitor.CompileError, match="acc-bits=16 can overflow"):
        iq.compiled_attention(q, q, q, gamma=1.0, scale=1.0, bits=16, acc_bits=16)
    text = SCORE_INHIBIT.replace("inhibitor.quant_scale = 0.015625 : f64", "inhibitor.other = 1")
    with pytest.raises(inhibitor.CompileError, match="has no quantization scale"):
        inhibitor.compile(text, iq.quantize_pipeline(8))
