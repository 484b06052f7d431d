"""Safe default accumulators (issue 15): inhibitor.attention with integer
inputs and no accumulator computes the exact result; the width comes from the
C++ bounds (C API), which agree with --inhibitor-check-overflow; an explicit
narrower accumulator wraps as the reference does; check_overflow raises before
compiling. Skipped when libInhibitorCAPI.so is not built."""

import re
import warnings

import numpy as np
import pytest

import inhibitor
from inhibitor import kernels
from inhibitor import reference as ref
from inhibitor import widths

try:
    inhibitor.library_path()
except inhibitor.LibraryNotFound as e:
    pytest.skip(str(e), allow_module_level=True)

INT_DTYPES = [np.int8, np.int16, np.int32, np.int64]


def _exact(q, k, v, gamma=1, alpha=0, signed=False, mask=None, causal=False, bias=None):
    q, k, v = (np.asarray(a).astype(object) for a in (q, k, v))
    n, m = q.shape[-2], k.shape[-2]
    z = np.abs(q[..., :, None, :] - k[..., None, :, :]).sum(-1)  # [b..., N, M]
    z = z // gamma - alpha
    if bias is not None:
        z = z - np.asarray(bias).astype(object)
    z = np.maximum(z, 0)
    attend = np.ones(z.shape, bool)
    if mask is not None:
        attend &= np.broadcast_to(mask, z.shape)
    if causal:
        attend &= np.tril(np.ones((n, m), bool))
    vv = v[..., None, :, :]  # [b..., 1, M, E]
    zz = z[..., :, :, None]  # [b..., N, M, 1]
    if signed:
        terms = np.maximum(np.maximum(vv, 0) - zz, 0) + np.minimum(np.minimum(vv, 0) + zz, 0)
    else:
        terms = np.maximum(vv - zz, 0)
    terms = np.where(attend[..., None], terms, 0)
    return terms.sum(-2)


def ints(rng, shape, dtype, lo=None, hi=None):
    info = np.iinfo(dtype)
    lo = info.min if lo is None else lo
    hi = info.max if hi is None else hi
    return rng.integers(lo, hi, shape, endpoint=True).astype(dtype)


# --- the widths themselves -------------------------------------------------

@pytest.mark.parametrize("signed,m,bits", [
    (True, 256, 16),    # [-32768, 32512]: exactly i16
    (True, 257, 32),    # [-32896, 32639]
    (False, 258, 16),   # [0, 32766]
    (False, 259, 32),   # [0, 32893]
])
def test_int8_d64_key_counts(signed, m, bits):
    assert widths.attention_accumulator_bits(8, 8, 32, m, 64, signed=signed) == bits


def test_documented_widths():
    bits = widths.attention_accumulator_bits
    assert bits(8, 8, 256, 256, 64, signed=True) == 16
    assert bits(8, 8, 8, 1024, 64, signed=True) == 32
    assert bits(8, 8, 8, 1024, 64, signed=True, causal=True) == 16   # <= 8 keys a row
    assert bits(8, 8, 8, 1024, 64, signed=True, masked=True) == 32
    assert bits(16, 16, 64, 64, 64) == 32
    assert bits(32, 32, 64, 64, 64) == 64
    assert bits(64, 64, 4, 4, 4) == 0            # differences need 65 bits
    assert bits(8, 16, 1, 1, 1, signed=True) == 16  # i16 V, one key: terms in i16
    assert bits(8, 16, 4, 4, 4) == 32            # unsigned: v - z leaves i16
    assert bits(8, 8, 4, 4, 1, gamma=100000) == 32  # gamma must be an accumulator value
    assert bits(8, 8, 4, 0, 64) == 16            # no keys: the score still needs i16
    # A bias is subtracted from the score (16320 at most here).
    assert bits(8, 8, 4, 4, 64, bias_bits=8) == 16
    assert bits(8, 8, 4, 4, 64, bias_bits=16) == 32   # 16320 + 32768 leaves i16
    assert bits(8, 8, 4, 4, 64, bias_bits=32) == 64


def _check_pass_narrowest(text):
    ok, messages = widths.check_overflow(text)
    assert ok
    found = [re.search(r"narrowest accumulator: (i\d+|none)", s) for s in messages]
    found += [re.search(r"an (i\d+) accumulator holds every intermediate", s) for s in messages]
    names = [f.group(1) for f in found if f]
    assert len(names) == 1, messages
    return 0 if names[0] == "none" else int(names[0][1:])


def test_c_api_agrees_with_check_overflow():
    """The C API's width equals what --inhibitor-check-overflow reports for the
    same op written in MLIR (an i64 accumulator), over random shapes/options."""
    rng = np.random.default_rng(15)
    types = {8: "i8", 16: "i16", 32: "i32"}
    for _ in range(40):
        qk, vb = rng.choice([8, 16, 32]), rng.choice([8, 16, 32])
        n, m, d = (int(x) for x in rng.integers(1, 600, 3))
        gamma, alpha = int(rng.choice([1, 3, 8, 1000])), int(rng.choice([0, 1, 7]))
        signed, causal, masked = (bool(x) for x in rng.integers(0, 2, 3))
        text = kernels.attention_mlir(
            (n, d), (m, d), (m, 5), types[qk], types[vb], "i64", gamma=gamma, alpha=alpha,
            signed=signed, causal=causal, mask_shape=(n, m) if masked else None)
        want = widths.attention_accumulator_bits(qk, vb, n, m, d, gamma=gamma, alpha=alpha,
                                                 signed=signed, causal=causal, masked=masked)
        assert _check_pass_narrowest(text) == want, text


def test_check_overflow_reports_wrapping_accumulator():
    text = kernels.attention_mlir((4, 64), (6, 64), (6, 3), "i8", "i8", "i8")
    ok, messages = widths.check_overflow(text)
    assert ok  # warnings only
    assert any("'score: sum over D' can overflow the i8 accumulator: its values lie in "
               "[0, 16320]" in s for s in messages), messages
    ok, messages = widths.check_overflow(text, "fail=true")
    assert not ok


# --- exact results with default arguments -------------------------------------

@pytest.mark.parametrize("dtype", INT_DTYPES)
def test_default_accumulator_exact_extremes(dtype):
    """Inputs at the type's extremes: the default accumulator is exact."""
    rng = np.random.default_rng(int(np.iinfo(dtype).bits))
    info = np.iinfo(dtype)
    lo, hi = (info.min, info.max) if dtype != np.int64 else (-2**20, 2**20)
    q = np.where(rng.random((2, 5, 9)) < 0.5, lo, hi).astype(dtype)
    k = np.where(rng.random((2, 7, 9)) < 0.5, lo, hi).astype(dtype)
    v = np.where(rng.random((2, 7, 4)) < 0.5, lo, hi).astype(dtype)
    for signed in (False, True):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            got = inhibitor.attention(q, k, v, signed=signed)
        want = _exact(q, k, v, signed=signed)
        np.testing.assert_array_equal(got.astype(object), want)
        if dtype == np.int64:
            assert got.dtype == np.int64
            assert any("int64" in str(w.message) for w in caught)
        else:
            assert got.dtype.itemsize * 8 == widths.attention_accumulator_bits(
                np.iinfo(dtype).bits, np.iinfo(dtype).bits, 5, 7, 9, signed=signed)
            assert not caught


@pytest.mark.parametrize("dtype", INT_DTYPES)
def test_default_accumulator_exact_random(dtype):
    """Random sizes 1-33 and random values (int64: within +-2^20, where int64
    is exact): default arguments give the exact result."""
    rng = np.random.default_rng(100 + np.iinfo(dtype).bits)
    bound = None if dtype != np.int64 else 2**20
    for _ in range(6):
        n, m, d, e = (int(x) for x in rng.integers(1, 34, 4))
        lo, hi = (-bound, bound) if bound else (None, None)
        q, k = ints(rng, (n, d), dtype, lo, hi), ints(rng, (m, d), dtype, lo, hi)
        v = ints(rng, (m, e), dtype, lo, hi)
        gamma, alpha = int(rng.integers(1, 9)), int(rng.integers(0, 4))
        signed, causal = bool(rng.integers(0, 2)), bool(rng.integers(0, 2))
        mask = rng.random((n, m)) < 0.7 if rng.random() < 0.3 else None
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            got = inhibitor.attention(q, k, v, gamma=gamma, alpha=alpha, signed=signed,
                                      causal=causal, mask=mask)
        want = _exact(q, k, v, gamma=gamma, alpha=alpha, signed=signed, causal=causal,
                      mask=mask)
        np.testing.assert_array_equal(got.astype(object), want,
                                      err_msg=f"{dtype.__name__} n={n} m={m} d={d} e={e}")


def test_issue_scenario_int8_values_100():
    """The issue's report: int8 values in +-100 came back wrong in the old
    int8 default; now exact."""
    rng = np.random.default_rng(300)
    for _ in range(8):
        n, m, d, e = (int(x) for x in rng.integers(1, 34, 4))
        q, k = ints(rng, (n, d), np.int8, -100, 100), ints(rng, (m, d), np.int8, -100, 100)
        v = ints(rng, (m, e), np.int8, -100, 100)
        got = inhibitor.attention(q, k, v, signed=True)
        np.testing.assert_array_equal(got.astype(object), _exact(q, k, v, signed=True))


def test_int8_d64_256_keys_default_is_int16_and_exact():
    rng = np.random.default_rng(7)
    q = ints(rng, (3, 64), np.int8)
    k = np.full((256, 64), 127, np.int8)
    v = np.full((256, 2), -128, np.int8)
    k[:, 0] = -128
    h = inhibitor.attention(np.full((1, 64), 127, np.int8), np.full((256, 64), 127, np.int8),
                            v, signed=True)
    assert h.dtype == np.int16
    np.testing.assert_array_equal(h, np.full((1, 2), -32768, np.int16))  # Z = 0: every V
    h = inhibitor.attention(q, k, v, signed=True)
    np.testing.assert_array_equal(h.astype(object), _exact(q, k, v, signed=True))


def test_float_stays_float():
    rng = np.random.default_rng(8)
    for dtype in (np.float32, np.float64):
        q = rng.standard_normal((3, 4)).astype(dtype)
        k = rng.standard_normal((5, 4)).astype(dtype)
        v = rng.standard_normal((5, 2)).astype(dtype)
        assert inhibitor.attention(q, k, v).dtype == dtype
        assert inhibitor.attention(q, k, v, check_overflow=True).dtype == dtype


# --- explicit accumulators and check_overflow ---------------------------------

def test_explicit_narrow_accumulator_wraps_like_the_reference():
    rng = np.random.default_rng(9)
    q, k = ints(rng, (4, 16), np.int8), ints(rng, (6, 16), np.int8)
    v = ints(rng, (6, 3), np.int8)
    got = inhibitor.attention(q, k, v, acc_dtype=np.int8)
    np.testing.assert_array_equal(got, ref.attention(q, k, v, acc_dtype=np.int8))
    assert got.dtype == np.int8
    assert not np.array_equal(got.astype(object), _exact(q, k, v))  # it wrapped


def test_check_overflow_raises_before_compiling(monkeypatch):
    def no_compile(*args, **kwargs):
        raise AssertionError("compiled despite check_overflow")
    monkeypatch.setattr(kernels, "_compile", no_compile)
    q, k, v = np.zeros((4, 64), np.int8), np.zeros((256, 64), np.int8), np.zeros((256, 3), np.int8)
    with pytest.raises(widths.AccumulatorOverflowError, match="int16 is the narrowest"):
        inhibitor.attention(q, k, v, acc_dtype=np.int8, check_overflow=True)
    with pytest.raises(OverflowError, match="int32 is the narrowest"):
        inhibitor.attention(q, np.zeros((257, 64), np.int8), np.zeros((257, 3), np.int8),
                            signed=True, acc_dtype=np.int16, check_overflow=True)
    with pytest.raises(widths.AccumulatorOverflowError, match="no integer accumulator"):
        inhibitor.attention(q.astype(np.int64), k.astype(np.int64), v.astype(np.int64),
                            check_overflow=True)


def test_check_overflow_accepts_safe_accumulators():
    rng = np.random.default_rng(10)
    q, k = ints(rng, (4, 64), np.int8), ints(rng, (256, 64), np.int8)
    v = ints(rng, (256, 3), np.int8)
    for acc in (np.int16, np.int32):
        got = inhibitor.attention(q, k, v, signed=True, acc_dtype=acc, check_overflow=True)
        np.testing.assert_array_equal(got.astype(object), _exact(q, k, v, signed=True))


def test_bad_arguments_still_reported_first():
    q = np.zeros((4, 8), np.int8)
    with pytest.raises(ValueError, match="narrower"):
        inhibitor.attention(q, q, np.zeros((4, 3), np.int16), acc_dtype=np.int8,
                            check_overflow=True)
    with pytest.raises(ValueError):
        inhibitor.attention(q, q, q, gamma=0)


def test_integer_bias_counts_as_an_input():
    """The default accumulator with an integer bias (ops' bias operand, merged
    separately): a bias of its dtype's range, or of its values for Python ints."""
    q, v = np.zeros((4, 64), np.int8), np.zeros((4, 3), np.int8)
    t = ref._input_type(q, "q")

    def default(bias):
        return kernels._integer_accumulator(q, q, v, t, t, 1, 0, True, None, False, None,
                                            False, bias=bias)
    assert default(None) == np.int16
    assert default(np.zeros((4, 4), np.int8)) == np.int16
    assert default(np.zeros((4, 4), np.int16)) == np.int32   # 16320 + 32768
    assert default([[5, -3, 0, 1]]) == np.int16              # Python ints: by value
    assert default([[40000]]) == np.int32


def test_bias_default_exact():
    """An int16 bias: the score minus it needs int32 (16320 + 32768), which
    the default picks; the result is the exact one."""
    rng = np.random.default_rng(11)
    q, k = ints(rng, (2, 5, 64), np.int8), ints(rng, (2, 7, 64), np.int8)
    v = ints(rng, (2, 7, 3), np.int8)
    k[:, :3] = q[:, :3]
    bias = ints(rng, (5, 7), np.int16, -300, 300)
    got = inhibitor.attention(q, k, v, signed=True, bias=bias)
    assert got.dtype == np.int32
    np.testing.assert_array_equal(got.astype(object), _exact(q, k, v, signed=True, bias=bias))
    small = [[1, -2, 3, 0, 0, 5, -7]] * 5  # Python ints: by their values
    got = inhibitor.attention(q, k, v, signed=True, bias=small)
    assert got.dtype == np.int16
    np.testing.assert_array_equal(got.astype(object), _exact(q, k, v, signed=True, bias=small))
