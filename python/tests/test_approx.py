"""inhibitor.approx (the NumPy mirror and calibration of the approximate key
filter, docs/KeySkipping.md) and inhibitor.nn.calibrate_filter: the mirror
against a brute-force statement of the rule, the calibrated thresholds'
drop fractions, argument errors, and the filtered kernel paths of
InhibitorAttention (float and int8/int16) against the mirror, bit-exact."""

import math

import numpy as np
import pytest

import inhibitor
from inhibitor import approx as ia
from inhibitor import reference as ref

try:
    inhibitor.library_path()
    NO_LIB = ""
except inhibitor.LibraryNotFound as e:
    NO_LIB = str(e)

needs_kernel = pytest.mark.skipif(bool(NO_LIB), reason=NO_LIB or "library found")


def brute_keep(q, k, thresholds, shift, head_dim, integer):
    """The rule as docs/KeySkipping.md states it, one pair at a time."""
    batch = q.shape[:-2]
    out = np.zeros(batch + (q.shape[-2], k.shape[-2]), dtype=bool)
    for idx in np.ndindex(*batch):
        h = idx[head_dim] if len(thresholds) > 1 else 0
        t = thresholds[h]
        for i in range(q.shape[-2]):
            for j in range(k.shape[-2]):
                if integer:
                    s = sum(abs((int(a) >> shift) - (int(b) >> shift))
                            for a, b in zip(q[idx + (i,)], k[idx + (j,)]))
                    out[idx + (i, j)] = (s << shift) <= t
                else:
                    s = sum(abs(math.floor(float(a) * 2.0 ** -shift) - math.floor(float(b) * 2.0 ** -shift))
                            for a, b in zip(q[idx + (i,)], k[idx + (j,)]))
                    out[idx + (i, j)] = not s * 2.0 ** shift > t
    return out


@pytest.mark.parametrize("dtype,shift", [(np.int8, 0), (np.int8, 4), (np.int16, 9), (np.int32, 20)])
def test_integer_keep_mask_matches_the_rule(dtype, shift):
    rng = np.random.default_rng(shift)
    hi = np.iinfo(dtype).max
    q = rng.integers(-hi - 1, hi + 1, (2, 3, 4, 5)).astype(dtype)
    k = rng.integers(-hi - 1, hi + 1, (2, 3, 6, 5)).astype(dtype)
    s = ia.approximate_score(q, k, shift=shift)
    t = [int(np.median(s[:, h])) for h in range(3)]
    got = ia.keep_mask(q, k, t, shift=shift, head_dim=1)
    assert np.array_equal(got, brute_keep(q, k, t, shift, 1, True))
    assert got.any() and not got.all()


@pytest.mark.parametrize("shift", [-3, 0, 2])
def test_float_keep_mask_matches_the_rule(shift):
    rng = np.random.default_rng(7)
    q = (rng.standard_normal((2, 4, 6)) * 3).astype(np.float32)
    k = (rng.standard_normal((2, 5, 6)) * 3).astype(np.float32)
    s = ia.approximate_score(q, k, shift=shift)
    t = [float(np.median(s[0])), float(np.median(s[1]))]
    assert np.array_equal(ia.keep_mask(q, k, t, shift=shift), brute_keep(q, k, t, shift, 0, False))


def test_thresholds_for_drop_fractions():
    rng = np.random.default_rng(0)
    s = rng.integers(0, 1000, (4, 2, 16, 16))
    for drop in (0.0, 0.3, 0.5, 0.85, 0.9, 1.0):
        t = ia.thresholds_for_drop(s, drop, head_axis=1)
        for h, th in enumerate(t):
            frac = float((s[:, h] > th).mean())
            assert frac <= drop + 1e-12
            assert frac >= drop - 0.01          # few ties in 1000 values
    assert ia.thresholds_for_drop(s, 0.0) == [np.iinfo(np.int64).max]
    assert ia.thresholds_for_drop(s, 1.0) == [-1]
    # Ties are kept: all-equal scores drop nothing below 100%.
    assert ia.thresholds_for_drop(np.zeros((3, 3), np.int64), 0.9) == [0]
    # Floats: +-inf for nothing/everything; NaN ignored.
    f = np.array([[1.0, 2.0, np.nan, 4.0]])
    assert ia.thresholds_for_drop(f, 0.0) == [math.inf]
    assert ia.thresholds_for_drop(f, 1.0) == [-math.inf]
    assert ia.thresholds_for_drop(f, 0.5) == [2.0]


def test_calibrate_thresholds_counts_attended_pairs_only():
    rng = np.random.default_rng(3)
    q = rng.integers(-100, 100, (1, 8, 4)).astype(np.int16)
    k = rng.integers(-100, 100, (1, 8, 4)).astype(np.int16)
    t = ia.calibrate_thresholds(q, k, 0.5, causal=True)
    s = ia.approximate_score(q, k)
    tri = np.tri(8, 8, dtype=bool)
    assert t == ia.thresholds_for_drop(s[0][tri], 0.5)


def test_attention_mirror_drops_pairs_and_keeps_the_reference_otherwise():
    rng = np.random.default_rng(5)
    q = rng.integers(-20, 20, (2, 6, 8)).astype(np.int8)
    k = rng.integers(-20, 20, (2, 6, 8)).astype(np.int8)
    v = rng.integers(-100, 100, (2, 6, 4)).astype(np.int8)
    plain = ref.attention(q, k, v, gamma=8, signed=True, acc_dtype=np.int32)
    keep_all = ia.attention(q, k, v, [2 ** 62], gamma=8, signed=True, acc_dtype=np.int32)
    assert np.array_equal(keep_all, plain)
    none = ia.attention(q, k, v, [-1], gamma=8, signed=True, acc_dtype=np.int32)
    assert not none.any()
    keep = ia.keep_mask(q, k, [80, 80])
    half = ia.attention(q, k, v, [80, 80], gamma=8, signed=True, acc_dtype=np.int32)
    assert np.array_equal(half, ref.attention(q, k, v, gamma=8, signed=True, mask=keep,
                                              acc_dtype=np.int32))


def test_errors():
    q = np.zeros((2, 3, 4), np.int8)
    with pytest.raises(ValueError, match="shift must lie in"):
        ia.keep_mask(q, q, [1], shift=8)
    with pytest.raises(TypeError, match="shift must be an integer"):
        ia.keep_mask(q, q, [1], shift=1.5)
    with pytest.raises(ValueError, match="3 thresholds"):
        ia.keep_mask(q, q, [1, 2, 3])
    with pytest.raises(ValueError, match="none"):
        ia.keep_mask(q, q, [])
    with pytest.raises(ValueError, match="NaN"):
        ia.keep_mask(q.astype(np.float32), q.astype(np.float32), [math.nan])
    with pytest.raises(ValueError, match="drop must lie"):
        ia.thresholds_for_drop(np.zeros(3), 1.5)
    with pytest.raises(NotImplementedError, match="bfloat16"):
        ia.keep_mask(q.astype(np.float32), q.astype(np.float32), [1.0], acc_dtype="bfloat16")


def test_filter_attributes_text():
    assert ia.filter_attributes([1, -2], 4, 1) == (
        "inhibitor.approx_thresholds = array<i64: 1, -2>, inhibitor.approx_shift = 4 : i64, "
        "inhibitor.approx_head_dim = 1 : i64")
    assert ia.filter_attributes([math.inf], integer=False) == (
        "inhibitor.approx_thresholds = array<f64: 0x7FF0000000000000>")
    assert ia.shift_for_bits(None, 4, integer_bits=8) == 4
    assert ia.shift_for_bits(3.0, 4) == -1        # grid 1/2: |x| / 0.5 <= 8


@needs_kernel
def test_kernel_rejects_a_whole_pipeline_with_the_filter():
    q = np.zeros((1, 2, 4), np.int8)
    with pytest.raises(ValueError, match="inhibitor-to-llvm options"):
        inhibitor.attention(q, q, q, approx_thresholds=[1],
                            pipeline="builtin.module(inhibitor-to-llvm)")


torch = pytest.importorskip("torch", reason="PyTorch (Debian's python3-torch) is not installed")
import inhibitor.nn as inn  # noqa: E402


def layer(seed):
    torch.manual_seed(seed)
    m = inn.InhibitorAttention(16, num_heads=2)
    with torch.no_grad():
        for proj in (m.q_proj, m.k_proj, m.v_proj, m.out_proj):
            proj.weight.normal_(0, 0.3)
            proj.bias.normal_(0, 0.1)
    return m.eval()


def qkv(m, x):
    with torch.no_grad():
        return [m._split(p(x)).numpy() for p in (m.q_proj, m.k_proj, m.v_proj)]


@needs_kernel
@pytest.mark.parametrize("bits", [None, 8, 16])
def test_calibrate_filter_runs_the_filtered_kernel(bits):
    m = layer(1)
    x = torch.randn(6, 8, 16)
    batches = [x[:3], x[3:]]
    if bits:
        inn.calibrate(m, batches)
        inn.quantize(m, bits)
    filters = inn.calibrate_filter(m, batches, 0.6)
    f = filters[""]
    assert f.bits == bits and len(f.thresholds) == 2 and f.drop == 0.6
    with torch.no_grad():
        y = m(x)
    assert m.last_path.endswith("+filter")
    q, k, v = qkv(m, x)
    if bits:
        p = m.quantization.parameters(m.gamma, m.alpha)
        qi = inhibitor.quantize.quantize_array(q, p.qk_scale, bits)
        ki = inhibitor.quantize.quantize_array(k, p.qk_scale, bits)
        keep = ia.keep_mask(qi, ki, f.thresholds, shift=f.shift, head_dim=1)
        h = inhibitor.quantize.attention(q, k, v, p, signed=True, approx_thresholds=f.thresholds,
                                         approx_shift=f.shift, approx_head_dim=1)
    else:
        keep = ia.keep_mask(q, k, f.thresholds, shift=f.shift, head_dim=1)
        h = ia.attention(q, k, v, f.thresholds, shift=f.shift, head_dim=1, gamma=m.gamma,
                         signed=True)
    # Calibrated on these very data: about 60% dropped per head.
    assert 0.5 <= 1 - keep.mean() <= 0.6
    with torch.no_grad():
        want = m.out_proj(torch.from_numpy(np.ascontiguousarray(h)).transpose(1, 2)
                          .reshape(6, 8, 16))
    if bits:
        assert torch.equal(y, want)
    else:
        assert torch.allclose(y, want, rtol=1e-5, atol=1e-5)
    # Removing the filter gives the unfiltered module back.
    inn.calibrate_filter(m, batches, None)
    with torch.no_grad():
        m(x)
    assert not m.last_path.endswith("+filter")


@needs_kernel
def test_filter_of_another_form_is_an_error():
    m = layer(2)
    x = torch.randn(2, 8, 16)
    inn.calibrate(m, [x])
    inn.calibrate_filter(m, [x], 0.5)          # float units
    inn.quantize(m, 8)
    with pytest.raises(ValueError, match="calibrated for float attention, the module runs int8"):
        with torch.no_grad():
            m(x)


def test_calibrate_filter_errors():
    m = layer(3)
    x = torch.randn(2, 8, 16)
    with pytest.raises(ValueError, match="drop must lie"):
        inn.calibrate_filter(m, [x], 2.0)
    with pytest.raises(ValueError, match="operand_bits"):
        inn.calibrate_filter(m, [x], 0.5, operand_bits=0)
    with pytest.raises(ValueError, match="no batches"):
        inn.calibrate_filter(m, [], 0.5)
    with pytest.raises(ValueError, match="no InhibitorAttention"):
        inn.calibrate_filter(torch.nn.Linear(2, 2), [x], 0.5)


@needs_kernel
def test_float_filter_on_the_torch_path_matches_the_kernel():
    m = layer(4)
    x = torch.randn(4, 8, 16)
    inn.calibrate_filter(m, [x], 0.5)
    with torch.no_grad():
        y_kernel = m(x)
    assert m.last_path == "kernel+filter"
    m.kernel = "never"
    with torch.no_grad():
        y_torch = m(x)
    assert m.last_path == "torch+filter"
    assert torch.allclose(y_torch, y_kernel, rtol=1e-5, atol=1e-5)
    # Training with it on: gradients flow (through V and the kept pairs).
    m.kernel = "auto"
    y = m(x)
    assert m.last_path == "torch+filter"
    y.sum().backward()
    assert m.q_proj.weight.grad is not None and m.v_proj.weight.grad.abs().sum() > 0


def test_integer_filter_on_the_torch_path_is_an_error():
    m = layer(5)
    x = torch.randn(2, 8, 16)
    inn.calibrate(m, [x])
    inn.quantize(m, 16)
    inn.calibrate_filter(m, [x], 0.5)
    m.kernel = "never"
    with pytest.raises(RuntimeError, match="calibrated for int16 attention"):
        with torch.no_grad():
            m(x)
