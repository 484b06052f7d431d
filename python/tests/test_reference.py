"""Tests of the NumPy reference (inhibitor.reference) against hand-worked
cases from the paper's equations and against the scalar loops (tests/loops.py).

Integer results must match exactly; float results within TOL[acc] relative to
the magnitude of the result (both sides compute in float64 and round once, so
they differ by at most about one unit in the last place of the accumulator).
"""

import math
import time

import numpy as np
import pytest

from inhibitor import reference as ref
from loops import loop_attention, loop_inhibit, loop_manhattan_score, wrap
from inhibitor.reference import attention, inhibit, manhattan_score, to_bfloat16
from inhibitor.testdata import random_inputs

INT_TYPES = ["int8", "int16", "int32"]
FLOAT_TYPES = ["float16", "float32", "float64", "bfloat16"]

TOL = {"float16": 2.0 ** -10, "bfloat16": 2.0 ** -7, "float32": 2.0 ** -22, "float64": 1e-12}


def assert_same(actual, expected, acc):
    assert actual.shape == expected.shape
    assert actual.dtype == expected.dtype
    if acc in INT_TYPES or acc == "int64":
        assert np.array_equal(actual, expected), (actual, expected)
    else:
        tol = TOL[acc]
        e = expected.astype(np.float64)
        scale = max(1.0, float(np.max(np.abs(e), initial=0.0)))
        np.testing.assert_allclose(actual.astype(np.float64), e, rtol=tol, atol=tol * scale)


# ---------------------------------------------------------------------------
# Hand-worked cases (N=2, M=3, D=2, E=2)
#
#   Q = [[0, 0],        K = [[0, 1],       V = [[5, -5],
#        [1, 2]]             [3, 0],            [2,  4],
#                            [1, 2]]            [3,  0]]
#
# Sums S[i,j] = sum_k |Q[i,k] - K[j,k]|:
#   S[0] = [|0-0|+|0-1|, |0-3|+|0-0|, |0-1|+|0-2|] = [1, 3, 3]
#   S[1] = [|1-0|+|2-1|, |1-3|+|2-0|, |1-1|+|2-2|] = [2, 4, 0]

Q = [[0, 0], [1, 2]]
K = [[0, 1], [3, 0], [1, 2]]
V = [[5, -5], [2, 4], [3, 0]]


@pytest.mark.parametrize("dt", ["int8", "int16", "int32", "float16", "float32", "float64"])
def test_hand_score_default(dt):
    # gamma = 1, alpha = 0: Z = S.
    z = manhattan_score(np.array(Q, dt), np.array(K, dt))
    assert z.dtype == np.dtype(dt)
    assert np.array_equal(z, np.array([[1, 3, 3], [2, 4, 0]], dt))


def test_hand_score_int_gamma_alpha():
    # gamma = 2, alpha = 1 (floor division):
    #   S[0] // 2 = [0, 1, 1]; - 1 = [-1, 0, 0]; max(., 0) = [0, 0, 0]
    #   S[1] // 2 = [1, 2, 0]; - 1 = [0, 1, -1]; max(., 0) = [0, 1, 0]
    z = manhattan_score(np.array(Q, np.int16), np.array(K, np.int16), gamma=2, alpha=1)
    assert np.array_equal(z, np.array([[0, 0, 0], [0, 1, 0]], np.int16))
    # gamma = 3 (not a power of two), alpha = 0: S // 3 = [[0, 1, 1], [0, 1, 0]]
    z = manhattan_score(np.array(Q, np.int8), np.array(K, np.int8), gamma=3)
    assert np.array_equal(z, np.array([[0, 1, 1], [0, 1, 0]], np.int8))


def test_hand_score_float_gamma_alpha():
    # gamma = 2, alpha = 0.5:
    #   S[0]/2 - 0.5 = [0, 1, 1]        -> [0, 1, 1]
    #   S[1]/2 - 0.5 = [0.5, 1.5, -0.5] -> [0.5, 1.5, 0]
    z = manhattan_score(np.array(Q, np.float32), np.array(K, np.float32), gamma=2.0, alpha=0.5)
    assert z.dtype == np.float32
    assert np.array_equal(z, np.array([[0, 1, 1], [0.5, 1.5, 0]], np.float32))


@pytest.mark.parametrize("dt", ["int16", "float64"])
def test_hand_inhibit_unsigned(dt):
    # Z = S (gamma 1, alpha 0).  H[i,e] = sum_j max(V[j,e] - Z[i,j], 0)
    #   H[0,0] = max(5-1,0) + max(2-3,0) + max(3-3,0) = 4
    #   H[0,1] = max(-5-1,0) + max(4-3,0) + max(0-3,0) = 1
    #   H[1,0] = max(5-2,0) + max(2-4,0) + max(3-0,0) = 6
    #   H[1,1] = max(-5-2,0) + max(4-4,0) + max(0-0,0) = 0
    q, k, v = (np.array(x, dt) for x in (Q, K, V))
    expect = np.array([[4, 1], [6, 0]], dt)
    assert np.array_equal(attention(q, k, v), expect)
    assert np.array_equal(inhibit(v, manhattan_score(q, k)), expect)


@pytest.mark.parametrize("dt", ["int16", "float64"])
def test_hand_inhibit_signed(dt):
    # V+ = [[5,0],[2,4],[3,0]], V- = [[0,-5],[0,0],[0,0]]
    #   H[0,0] = (4 + 0 + 0) + (min(0+1,0)+min(0+3,0)+min(0+3,0)) = 4
    #   H[0,1] = (max(0-1,0) + max(4-3,0) + max(0-3,0)) + min(-5+1,0) = 1 - 4 = -3
    #   H[1,0] = (3 + 0 + 3) + 0 = 6
    #   H[1,1] = (0 + 0 + 0) + min(-5+2,0) = -3
    q, k, v = (np.array(x, dt) for x in (Q, K, V))
    expect = np.array([[4, -3], [6, -3]], dt)
    assert np.array_equal(attention(q, k, v, signed=True), expect)
    assert np.array_equal(inhibit(v, manhattan_score(q, k), signed=True), expect)


@pytest.mark.parametrize("dt", ["int8", "float32"])
def test_hand_causal(dt):
    # causal: row 0 attends j = 0 only, row 1 attends j = 0, 1 (Z rows [1,..], [2,4,..]).
    # unsigned: H[0] = [max(5-1,0), max(-5-1,0)] = [4, 0]
    #           H[1] = [max(5-2,0)+max(2-4,0), max(-5-2,0)+max(4-4,0)] = [3, 0]
    # signed:   H[0,1] = 0 + min(-5+1,0) = -4;  H[1,1] = 0 + 0 + min(-5+2,0) = -3
    q, k, v = (np.array(x, dt) for x in (Q, K, V))
    assert np.array_equal(attention(q, k, v, causal=True), np.array([[4, 0], [3, 0]], dt))
    assert np.array_equal(attention(q, k, v, causal=True, signed=True),
                          np.array([[4, -4], [3, -3]], dt))


def test_hand_mask_broadcast_and_batch():
    # Mask [1, 1, 3] = [[[F, T, T]]] drops key 0 for every row and batch.
    # unsigned: H[0] = [0+0, 1+0] = [0, 1]; H[1] = [0+3, 0+0] = [3, 0]
    # Batch [2, 1]: element (1, 0) holds the operands negated: |(-a)-(-b)| = |a-b|
    # so Z is the same and H uses -V: H[0] = [max(-2-3,0)+max(-3-3,0),
    # max(-4-3,0)+max(0-3,0)] = [0, 0]; H[1] = [max(-2-4,0)+max(-3-0,0), 0+0] = [0, 0].
    q = np.array([Q, [[-x for x in r] for r in Q]], np.int32)[:, None]
    k = np.array([K, [[-x for x in r] for r in K]], np.int32)[:, None]
    v = np.array([V, [[-x for x in r] for r in V]], np.int32)[:, None]
    mask = np.array([[[False, True, True]]])
    h = attention(q, k, v, mask=mask)
    assert h.shape == (2, 1, 2, 2)
    assert np.array_equal(h[0, 0], [[0, 1], [3, 0]])
    assert np.array_equal(h[1, 0], [[0, 0], [0, 0]])


def test_fully_masked_row_is_zero():
    q, k, v = (np.array(x, np.int16) for x in (Q, K, V))
    mask = np.array([[False, False, False], [True, True, True]])
    assert np.array_equal(attention(q, k, v, mask=mask, signed=True), [[0, 0], [6, -3]])


# ---------------------------------------------------------------------------
# Integer wrapping, worked by hand (int8 accumulator: range [-128, 127])


def test_wrap_score_int8():
    i8 = np.int8
    # d = 127 - (-128) = 255 -> -1; |-1| = 1
    assert manhattan_score(np.array([[127]], i8), np.array([[-128]], i8))[0, 0] == 1
    # d = 0 - (-128) = 128 -> -128; |-128| = -128 (wrapping abs); max(-128, 0) = 0
    assert manhattan_score(np.array([[0]], i8), np.array([[-128]], i8))[0, 0] == 0
    # ... then alpha = 1: -128 - 1 = -129 -> 127
    assert manhattan_score(np.array([[0]], i8), np.array([[-128]], i8), alpha=1)[0, 0] == 127
    # ... gamma = 3: floor(-128 / 3) = -43; -43 - 1 = -44 -> 0
    assert manhattan_score(np.array([[0]], i8), np.array([[-128]], i8), gamma=3, alpha=1)[0, 0] == 0
    # gamma = 3, alpha = 86: -43 - 86 = -129 -> 127 (so floor, not truncation: -42 - 86 = -128 -> 0)
    assert manhattan_score(np.array([[0]], i8), np.array([[-128]], i8), gamma=3, alpha=86)[0, 0] == 127
    # sum wraps: 100 + 100 = 200 -> -56 -> 0;   100*3 = 300 -> 44
    assert manhattan_score(np.array([[100, 100]], i8), np.array([[0, 0]], i8))[0, 0] == 0
    assert manhattan_score(np.array([[100, 100, 100]], i8), np.array([[0, 0, 0]], i8))[0, 0] == 44
    # same with an int16 accumulator: no wrap
    assert manhattan_score(np.array([[100, 100, 100]], i8), np.array([[0, 0, 0]], i8),
                           acc_dtype=np.int16)[0, 0] == 300
    assert manhattan_score(np.array([[0]], i8), np.array([[-128]], i8), acc_dtype="int16")[0, 0] == 128


def test_wrap_score_int16_extremes():
    i16 = np.int16
    # D = 2: |32767 - (-32768)| = |-1| = 1, twice: 2
    z = manhattan_score(np.array([[32767, 32767]], i16), np.array([[-32768, -32768]], i16))
    assert z[0, 0] == 2
    # int32 accumulator: 65535 * 2 = 131070
    z = manhattan_score(np.array([[32767, 32767]], i16), np.array([[-32768, -32768]], i16),
                        acc_dtype=np.int32)
    assert z.dtype == np.int32 and z[0, 0] == 131070


def test_wrap_inhibit_int8():
    i8 = np.int8
    # z given directly may be negative: 127 - (-1) = 128 -> -128 -> max 0
    assert inhibit(np.array([[127]], i8), np.array([[-1]], i8))[0, 0] == 0
    # sum wraps: 100 + 100 = 200 -> -56
    assert inhibit(np.array([[100], [100]], i8), np.array([[0, 0]], i8))[0, 0] == -56
    # signed: V+ = 0, V- = -128; max(0 - (-1), 0) = 1; min(-128 + (-1), 0) = min(127, 0) = 0
    assert inhibit(np.array([[-128]], i8), np.array([[-1]], i8), signed=True)[0, 0] == 1
    # acc defaults to the wider of v and z: int8 v, int16 z -> int16, no wrap
    h = inhibit(np.array([[100], [100]], i8), np.array([[0, 0]], np.int16))
    assert h.dtype == np.int16 and h[0, 0] == 200


def test_numpy_sum_wraps_in_given_dtype():
    # The reference relies on np.sum(..., dtype=int8) wrapping without promotion.
    a = np.full((3,), 100, np.int8)
    assert np.sum(a).dtype == np.int64  # default promotes...
    s = np.sum(a, dtype=np.int8)
    assert s.dtype == np.int8 and int(s) == 44  # ...dtype= wraps
    assert int(np.abs(np.array([-128], np.int8))[0]) == -128


def test_wrap_helper():
    assert wrap(128, 8) == -128 and wrap(-129, 8) == 127 and wrap(255, 8) == -1
    assert wrap(2 ** 31, 32) == -(2 ** 31)


# ---------------------------------------------------------------------------
# bfloat16


def test_to_bfloat16_rne():
    # bf16 has 8 significant bits: neighbours of 1 are 1 - 2^-8 ... 1, 1 + 2^-7.
    x = np.array([1 + 2 ** -8,            # tie -> even (1.0)
                  1 + 2 ** -7 + 2 ** -8,  # tie -> even (1 + 2^-6)
                  1 + 2 ** -8 + 2 ** -12,  # above tie -> up
                  -(1 + 2 ** -8 + 2 ** -12),
                  3.4e38, np.inf, -np.inf, 0.0])
    r = to_bfloat16(x)
    assert r.dtype == np.float32
    assert list(r[:4]) == [1.0, 1 + 2 ** -6, 1 + 2 ** -7, -(1 + 2 ** -7)]
    # bf16 max is (2 - 2^-7) * 2^127 ~ 3.3895e38; 3.4e38 is past the halfway point to 2^128
    assert np.isinf(r[4]) and r[4] > 0
    assert list(r[5:]) == [np.inf, -np.inf, 0.0]
    assert np.isnan(to_bfloat16(np.nan))


def test_hand_bf16_score():
    # q = [1, 2^-7 + 2^-8], k = 0: S = 1 + 2^-7 + 2^-8 = 1.01171875, halfway
    # between the bf16 values 1 + 2^-7 = 1.0078125 (odd significand) and
    # 1 + 2^-6 = 1.015625 (even): rounds to 1.015625.
    q = np.array([[1.0, 2 ** -7 + 2 ** -8]], np.float32)
    k = np.zeros((1, 2), np.float32)
    z = manhattan_score(q, k, acc_dtype="bfloat16")
    assert z.dtype == np.float32 and z[0, 0] == 1.015625
    assert manhattan_score(q, k)[0, 0] == np.float32(1.01171875)  # float32 acc: exact


# ---------------------------------------------------------------------------
# Float specials


def test_nan_propagates_and_mask_removes_it():
    q = np.array([[0.0], [np.nan]])
    k = np.array([[1.0], [2.0]])
    v = np.array([[1.0], [np.nan]])
    z = manhattan_score(q, k)
    assert z[0, 0] == 1.0 and np.all(np.isnan(z[1]))
    h = attention(q, k, v)
    assert np.all(np.isnan(h))
    # mask out key 1 (the NaN value): row 0 becomes finite, row 1 (NaN Z) stays NaN
    h = attention(q, k, v, mask=np.array([True, False]))
    assert h[0, 0] == 0.0 and np.isnan(h[1, 0])


def test_float_accumulator_rounding():
    # float16 acc: S = 2048 + 1 = 2049 is not a float16 (spacing 2 there): rounds to even 2048.
    q = np.array([[2048.0, 1.0]], np.float16)
    k = np.zeros((1, 2), np.float16)
    assert manhattan_score(q, k)[0, 0] == 2048
    assert manhattan_score(q, k, acc_dtype=np.float32)[0, 0] == 2049


# ---------------------------------------------------------------------------
# Random cross-checks against the scalar loops


def _case(rng, dtype):
    """One random configuration; keeps the scalar-loop cost small."""
    while True:
        nb = int(rng.integers(0, 3))
        batch = tuple(int(x) for x in rng.integers(1, 3, size=nb))
        N, M = (int(x) for x in rng.choice([1, 3, 7, 17], size=2))
        D, E = (int(x) for x in rng.choice([1, 3, 7], size=2))
        if int(np.prod(batch)) * N * M * (D + E) <= 8000:
            break
    is_int = dtype in INT_TYPES
    acc_choices = {
        "int8": [None, "int8", "int16", "int32"], "int16": [None, "int16", "int32"],
        "int32": [None, "int32"], "float16": [None, "float16", "float32"],
        "float32": [None, "float32", "float64"], "float64": [None],
        "bfloat16": ["bfloat16", "float32"],
    }[dtype]
    acc = acc_choices[int(rng.integers(len(acc_choices)))]
    if is_int:
        gamma = int(rng.choice([1, 1, 4, 64, 3, 5, 7]))
        alpha = int(rng.choice([0, 0, 1, 5]))
        extremes = bool(rng.integers(2))
        low = high = None
        if not extremes and rng.integers(2):  # small values: the non-wrapping regime
            low, high = -20, 20
    else:
        gamma = float(rng.choice([1.0, 4.0, 3.0, math.sqrt(D)]))
        alpha = float(rng.choice([0.0, 0.5, 2.0]))
        extremes = bool(rng.integers(2))
        low = high = None
    mk = int(rng.integers(6))
    full = batch + (N, M)
    if mk == 0:
        mask, causal = None, False
    elif mk == 1:
        mask, causal = None, True
    elif mk == 2:
        mask, causal = rng.random(full) < 0.7, False
    elif mk == 3:
        mask, causal = rng.random((N, M)) < 0.7, bool(rng.integers(2))
    elif mk == 4:
        mask, causal = rng.random((1,) * nb + (1, M)) < 0.7, False  # broadcast over rows
    else:
        mask, causal = rng.random((N, 1)) < 0.7, False  # broadcast over keys
    return dict(batch=batch, N=N, M=M, D=D, E=E, acc=acc, gamma=gamma, alpha=alpha,
                signed=bool(rng.integers(2)), extremes=extremes, low=low, high=high,
                mask=mask, causal=causal)


def _inputs(rng, dtype, c):
    kw = dict(extremes=c["extremes"], low=c["low"], high=c["high"])
    q = random_inputs(rng, c["batch"] + (c["N"], c["D"]), dtype, **kw)
    k = random_inputs(rng, c["batch"] + (c["M"], c["D"]), dtype, **kw)
    v = random_inputs(rng, c["batch"] + (c["M"], c["E"]), dtype, **kw)
    return q, k, v


def _acc_name(dtype, c):
    if c["acc"] is not None:
        return c["acc"]
    return "float32" if dtype == "bfloat16" else dtype


SEEDS = range(60)


@pytest.mark.parametrize("dtype", INT_TYPES + FLOAT_TYPES)
def test_random_vs_loops(dtype):
    for seed in SEEDS:
        rng = np.random.default_rng([seed, (INT_TYPES + FLOAT_TYPES).index(dtype)])
        c = _case(rng, dtype)
        q, k, v = _inputs(rng, dtype, c)
        acc = _acc_name(dtype, c)
        g, a = c["gamma"], c["alpha"]
        z = manhattan_score(q, k, gamma=g, alpha=a, acc_dtype=c["acc"])
        assert_same(z, loop_manhattan_score(q, k, gamma=g, alpha=a, acc_dtype=c["acc"]), acc)
        h = inhibit(v, z, signed=c["signed"], acc_dtype=c["acc"])
        assert_same(h, loop_inhibit(v, z, signed=c["signed"], acc_dtype=c["acc"]), acc)
        kw = dict(gamma=g, alpha=a, signed=c["signed"], mask=c["mask"], causal=c["causal"],
                  acc_dtype=c["acc"])
        assert_same(attention(q, k, v, **kw), loop_attention(q, k, v, **kw), acc)
        if c["mask"] is None and not c["causal"]:
            assert np.array_equal(attention(q, k, v, **kw), h, equal_nan=True)


@pytest.mark.parametrize("dtype,acc", [("int8", "int8"), ("int16", "int16"), ("int32", "int32"),
                                       ("int16", "int32")])
def test_extremes_wrap_vs_loops(dtype, acc):
    # All-extreme inputs: every step wraps in a narrow accumulator.
    rng = np.random.default_rng(7)
    info = np.iinfo(np.dtype(dtype))
    pool = np.array([info.min, info.max, info.min + 1, info.max - 1, -1, 0, 1], dtype)
    q, k, v = (rng.choice(pool, size=(2, n, d)) for n, d in ((5, 7), (6, 7), (6, 3)))
    for signed in (False, True):
        for gamma, alpha in ((1, 0), (2, 3), (3, 1)):
            kw = dict(gamma=gamma, alpha=alpha, signed=signed, acc_dtype=acc)
            h = attention(q, k, v, **kw)
            assert h.dtype == np.dtype(acc)
            assert np.array_equal(h, loop_attention(q, k, v, **kw))
            # and z of arbitrary sign given to inhibit directly
            z = rng.choice(pool, size=(2, 5, 6))
            assert np.array_equal(inhibit(v, z, signed=signed, acc_dtype=acc),
                                  loop_inhibit(v, z, signed=signed, acc_dtype=acc))


def test_mask_equals_dropping_keys():
    # Masking keys out for every row is the same as removing them (exact for ints,
    # even with wrapping: the masked terms are skipped, not computed).
    rng = np.random.default_rng(3)
    q = random_inputs(rng, (2, 9, 5), "int16", extremes=True)
    k = random_inputs(rng, (2, 11, 5), "int16", extremes=True)
    v = random_inputs(rng, (2, 11, 4), "int16", extremes=True)
    keep = rng.random(11) < 0.5
    for signed in (False, True):
        h = attention(q, k, v, signed=signed, mask=keep, gamma=3, alpha=2)
        h2 = attention(q, k[:, keep], v[:, keep], signed=signed, gamma=3, alpha=2)
        assert np.array_equal(h, h2)


def test_causal_nonsquare():
    # N > M and N < M: top-left aligned, pair (i, j) kept where j <= i.
    rng = np.random.default_rng(5)
    for N, M in ((7, 3), (3, 7)):
        q = random_inputs(rng, (N, 4), "int32", low=-50, high=50)
        k = random_inputs(rng, (M, 4), "int32", low=-50, high=50)
        v = random_inputs(rng, (M, 2), "int32", low=-50, high=50)
        tri = np.array([[j <= i for j in range(M)] for i in range(N)])
        assert np.array_equal(attention(q, k, v, causal=True, signed=True),
                              attention(q, k, v, mask=tri, signed=True))
        assert np.array_equal(attention(q, k, v, causal=True),
                              loop_attention(q, k, v, causal=True))


def test_causal_offset():
    # j <= i + d: bottom-right (d = M - N), negative, past M; the same as the
    # explicit mask and as the loop reference.
    rng = np.random.default_rng(6)
    for N, M, d in ((3, 7, 4), (7, 3, -4), (4, 6, -1), (5, 5, 9)):
        q = random_inputs(rng, (2, N, 4), "int16", low=-50, high=50)
        k = random_inputs(rng, (2, M, 4), "int16", low=-50, high=50)
        v = random_inputs(rng, (2, M, 2), "int16", low=-50, high=50)
        tri = np.array([[j <= i + d for j in range(M)] for i in range(N)])
        got = attention(q, k, v, causal=True, causal_offset=d, signed=True, acc_dtype="int32")
        assert np.array_equal(got, attention(q, k, v, mask=tri, signed=True, acc_dtype="int32"))
        assert np.array_equal(got, loop_attention(q, k, v, causal=True, causal_offset=d,
                                                  signed=True, acc_dtype="int32"))


def test_blocking_does_not_change_results(monkeypatch):
    rng = np.random.default_rng(11)
    q = random_inputs(rng, (3, 17, 7), "int16", extremes=True)
    k = random_inputs(rng, (3, 13, 7), "int16", extremes=True)
    v = random_inputs(rng, (3, 13, 5), "int16", extremes=True)
    mask = rng.random((17, 13)) < 0.6
    kw = dict(gamma=5, alpha=1, signed=True, mask=mask)
    expect = attention(q, k, v, **kw)
    for elems in (1, 50, 13 * 7 * 4, 13 * 7 * 40):  # row blocks, single rows, batch blocks
        monkeypatch.setattr(ref, "_BLOCK_ELEMS", elems)
        assert np.array_equal(attention(q, k, v, **kw), expect)


def test_large_sizes_are_fast_and_consistent():
    rng = np.random.default_rng(13)
    q = random_inputs(rng, (1024, 64), "int16", extremes=True)
    k = random_inputs(rng, (1024, 64), "int16", extremes=True)
    v = random_inputs(rng, (1024, 64), "int16", extremes=True)
    t0 = time.perf_counter()
    z = manhattan_score(q, k, gamma=8, alpha=3)
    h = inhibit(v, z, signed=True)
    assert time.perf_counter() - t0 < 10.0
    assert z.shape == (1024, 1024) and h.shape == (1024, 64)
    rows = [0, 517, 1023]
    assert np.array_equal(z[rows], loop_manhattan_score(q[rows], k, gamma=8, alpha=3))
    assert np.array_equal(h[rows], loop_inhibit(v, z[rows], signed=True))


def test_empty_dims():
    q = np.zeros((2, 0, 3), np.int8)
    k = np.zeros((2, 4, 3), np.int8)
    v = np.ones((2, 4, 5), np.int8)
    assert attention(q, k, v).shape == (2, 0, 5)
    # D = 0: sums are empty, Z = 0; M = 0: H = 0
    z = manhattan_score(np.zeros((2, 0), np.int8), np.zeros((3, 0), np.int8))
    assert np.array_equal(z, np.zeros((2, 3), np.int8))
    h = attention(np.zeros((2, 3), np.float32), np.zeros((0, 3), np.float32),
                  np.zeros((0, 4), np.float32))
    assert np.array_equal(h, np.zeros((2, 4), np.float32))


def test_testdata_extremes_present():
    rng = np.random.default_rng(0)
    for dt in ("int8", "int16", "int32"):
        a = random_inputs(rng, (4, 5), dt, extremes=True)
        info = np.iinfo(np.dtype(dt))
        assert a.dtype == np.dtype(dt) and a.min() == info.min and a.max() == info.max
    b = random_inputs(rng, (100,), "bfloat16", extremes=True)
    assert b.dtype == np.float32 and np.array_equal(to_bfloat16(b), b)


# ---------------------------------------------------------------------------
# Errors


def _qkv(dt="int16"):
    return (np.array(x, dt) for x in (Q, K, V))


@pytest.mark.parametrize("call,match", [
    (lambda: manhattan_score(np.zeros((2, 3), np.int8), np.zeros((2, 3), np.int16)), "share one dtype"),
    (lambda: manhattan_score(np.zeros((2, 3), np.int8), np.zeros((2, 4), np.int8)), "share D"),
    (lambda: manhattan_score(np.zeros((2, 2, 3), np.int8), np.zeros((3, 2, 3), np.int8)), "batch dims"),
    (lambda: manhattan_score(np.zeros((2, 3), np.int8), np.zeros((1, 2, 3), np.int8)), "batch dims"),
    (lambda: manhattan_score(np.zeros(3, np.int8), np.zeros(3, np.int8)), "at least 2 dims"),
    (lambda: manhattan_score(np.zeros((2, 3), np.uint8), np.zeros((2, 3), np.uint8)), "unsupported element"),
    (lambda: manhattan_score(np.zeros((2, 3), bool), np.zeros((2, 3), bool)), "unsupported element"),
    (lambda: manhattan_score(*list(_qkv())[:2], gamma=0), "gamma"),
    (lambda: manhattan_score(*list(_qkv())[:2], gamma=-2), "gamma"),
    (lambda: manhattan_score(*list(_qkv())[:2], gamma=1.5), "gamma"),
    (lambda: manhattan_score(*list(_qkv())[:2], gamma=2.0), "gamma"),
    (lambda: manhattan_score(*list(_qkv())[:2], gamma=True), "gamma"),
    (lambda: manhattan_score(*list(_qkv())[:2], gamma=40000), "fit"),
    (lambda: manhattan_score(*list(_qkv())[:2], alpha=-1), "alpha"),
    (lambda: manhattan_score(*list(_qkv())[:2], alpha=0.5), "alpha"),
    (lambda: manhattan_score(*list(_qkv("float32"))[:2], alpha=-0.5), "alpha"),
    (lambda: manhattan_score(*list(_qkv("float32"))[:2], gamma=0.0), "gamma"),
    (lambda: manhattan_score(*list(_qkv("float32"))[:2], gamma=-1.0), "gamma"),
    (lambda: manhattan_score(*list(_qkv("float32"))[:2], gamma=float("nan")), "gamma"),
    (lambda: manhattan_score(*list(_qkv("float32"))[:2], alpha=float("inf")), "alpha"),
    (lambda: manhattan_score(*list(_qkv("int16"))[:2], acc_dtype="int8"), "narrower"),
    (lambda: manhattan_score(*list(_qkv("float32"))[:2], acc_dtype="float16"), "narrower"),
    (lambda: manhattan_score(*list(_qkv("float64"))[:2], acc_dtype="float32"), "narrower"),
    (lambda: manhattan_score(*list(_qkv("int8"))[:2], acc_dtype="float32"), "another kind"),
    (lambda: manhattan_score(*list(_qkv("float32"))[:2], acc_dtype="int32"), "another kind"),
    (lambda: manhattan_score(*list(_qkv("int8"))[:2], acc_dtype="uint16"), "unsupported accumulator"),
    (lambda: manhattan_score(*list(_qkv("int8"))[:2], acc_dtype="nonsense"), "unsupported accumulator"),
    (lambda: manhattan_score(np.array([[1 + 2 ** -10]], np.float32), np.zeros((1, 1), np.float32),
                             acc_dtype="bfloat16"), "bfloat16"),
    (lambda: inhibit(np.zeros((3, 2), np.int8), np.zeros((2, 4), np.int8)), "disagree on M"),
    (lambda: inhibit(np.zeros((2, 3, 2), np.int8), np.zeros((3, 2, 3), np.int8)), "batch dims"),
    (lambda: inhibit(np.zeros((3, 2), np.int8), np.zeros((2, 3), np.float32)), "mix integer and float"),
    (lambda: inhibit(np.zeros((3, 2), np.int32), np.zeros((2, 3), np.int8), acc_dtype="int16"), "narrower"),
    (lambda: attention(*_qkv("int16"), acc_dtype="int8"), "narrower"),
    (lambda: attention(*list(_qkv("int16"))[:2], np.zeros((3, 2), np.float32)), "mix integer and float"),
    (lambda: attention(*list(_qkv("int16"))[:2], np.zeros((4, 2), np.int16)), "disagree on M"),
    (lambda: attention(*list(_qkv("int16"))[:2], np.zeros((1, 3, 2), np.int16)), "batch dims"),
    (lambda: attention(*_qkv(), mask=np.ones((2, 2), bool)), "does not broadcast"),
    (lambda: attention(*_qkv(), mask=np.ones((2, 2, 3), bool)), "does not broadcast"),
    (lambda: attention(*_qkv(), mask=np.ones((2, 3), np.int8)), "bool"),
])
def test_errors(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_acc_widening_defaults():
    q, k, v = _qkv("int8")
    assert attention(q, k, v.astype(np.int32)).dtype == np.int32
    assert attention(q, k, v, acc_dtype=np.int64).dtype == np.int64
    q, k, v = _qkv("float16")
    assert attention(q, k, v.astype(np.float64)).dtype == np.float64
    # bf16 data carried in float32: bfloat16 accumulator accepted, float32 result storage
    assert attention(*_qkv("float32"), acc_dtype="bf16").dtype == np.float32


# --------------------------------------------------------------------------
# Additive bias and grouped heads (SPEC section 1)


def test_hand_bias_int():
    # |q - k| sums: Z0 = [[2, 4]]; Z = max(Z0 / 2 - 0 - B, 0) with B = [[-1, 3]]
    q = np.array([[1, 1]], np.int16)
    k = np.array([[0, 0], [3, -1]], np.int16)
    z = manhattan_score(q, k, gamma=2, bias=np.array([[-1, 3]], np.int16))
    assert z.tolist() == [[2, 0]]


def test_bias_int_wraps():
    q = np.array([[0]], np.int8)
    k = np.array([[0]], np.int8)
    # 0 - 0 - (-128) wraps to -128 in int8: Z = max(-128, 0) = 0
    z = manhattan_score(q, k, bias=np.array([[-128]], np.int8))
    assert z.tolist() == [[0]]
    assert loop_manhattan_score(q, k, bias=np.array([[-128]], np.int8)).tolist() == [[0]]


@pytest.mark.parametrize("dt", ["float32", "float64", "float16"])
def test_bias_infinities(dt):
    q = np.array([[0.0, 1.0], [2.0, -1.0]], dt)
    k = np.array([[1.0, 1.0], [0.0, 3.0], [2.0, 2.0]], dt)
    v = np.array([[1.0, -2.0], [3.0, 0.5], [-4.0, 8.0]], dt)
    inf = np.inf
    bias = np.array([[-inf, 0.0, inf], [inf, -inf, 0.5]], dt)
    for signed in (False, True):
        h = attention(q, k, v, signed=signed, bias=bias)
        # -inf: as a false mask; +inf: Z = 0, V passes unchanged.
        mask = np.array([[False, True, True], [True, False, True]])
        z = manhattan_score(q, k)
        z_expected = np.where(np.isposinf(bias), 0.0, z - np.where(np.isinf(bias), 0.0, bias))
        z_expected = np.maximum(z_expected, 0.0)
        z_got = manhattan_score(q, k, bias=bias)
        assert np.isposinf(z_got[0, 0]) and np.isposinf(z_got[1, 1])
        assert z_got[0, 2] == 0 and z_got[1, 0] == 0
        assert np.allclose(np.where(mask, z_got, 0), np.where(mask, z_expected, 0))
        # Masked out by -inf == masked out by the mask (with the other bias terms)
        finite = np.where(np.isneginf(bias), 0.0, bias).astype(dt)
        h_mask = attention(q, k, v, signed=signed, bias=finite, mask=mask)
        np.testing.assert_allclose(h, h_mask, rtol=1e-3)
        np.testing.assert_allclose(h, loop_attention(q, k, v, signed=signed, bias=bias), rtol=1e-3)


def test_bias_broadcast_and_mask_causal_vs_loops():
    rng = np.random.default_rng(7)
    for dt, acc in [("int8", "int16"), ("int16", "int32"), ("float32", "float32"),
                    ("float16", "float32")]:
        q = random_inputs(rng, (2, 3, 5, 4), dt)
        k = random_inputs(rng, (2, 3, 6, 4), dt)
        v = random_inputs(rng, (2, 3, 6, 3), dt)
        if dt.startswith("int"):
            bias = rng.integers(-50, 50, size=(3, 1, 6)).astype(acc)
        else:
            bias = rng.normal(size=(3, 1, 6)).astype(acc)
            bias[0, 0, 2] = -np.inf
            bias[1, 0, 1] = np.inf
        mask = rng.random((5, 6)) < 0.7
        for causal in (False, True):
            got = attention(q, k, v, gamma=3, alpha=1, signed=True, bias=bias, mask=mask,
                            causal=causal, acc_dtype=acc)
            exp = loop_attention(q, k, v, gamma=3, alpha=1, signed=True, bias=bias, mask=mask,
                                 causal=causal, acc_dtype=acc)
            assert_same(got, exp, acc)


@pytest.mark.parametrize("hkv", [1, 2, 4, 8])
def test_grouped_heads_equal_repeat_interleave(hkv):
    rng = np.random.default_rng(hkv)
    q = random_inputs(rng, (2, 8, 5, 4), "int8")
    k = random_inputs(rng, (2, hkv, 7, 4), "int8")
    v = random_inputs(rng, (2, hkv, 7, 3), "int8")
    kr, vr = (np.repeat(x, 8 // hkv, axis=1) for x in (k, v))
    for signed in (False, True):
        got = attention(q, k, v, gamma=2, signed=signed, causal=True, acc_dtype="int16")
        assert_same(got, attention(q, kr, vr, gamma=2, signed=signed, causal=True,
                                   acc_dtype="int16"), "int16")
        assert_same(got, loop_attention(q, k, v, gamma=2, signed=signed, causal=True,
                                        acc_dtype="int16"), "int16")
    # query head h reads key/value head h // g
    g = 8 // hkv
    z = manhattan_score(q, k)
    for h in range(8):
        assert np.array_equal(z[:, h], manhattan_score(q[:, h], k[:, h // g]))
    z16 = z.astype(np.int16)
    assert np.array_equal(inhibit(v, z16, signed=True), inhibit(vr, z16, signed=True))
    assert np.array_equal(loop_inhibit(v, z16), inhibit(v, z16))


def test_grouped_heads_float_with_bias_vs_loops():
    rng = np.random.default_rng(3)
    q = random_inputs(rng, (6, 3, 5), "float32")
    k = random_inputs(rng, (2, 4, 5), "float32")
    v = random_inputs(rng, (2, 4, 2), "float32")
    bias = rng.normal(size=(6, 3, 4)).astype(np.float32)
    got = attention(q, k, v, gamma=2.0, alpha=0.5, bias=bias)
    exp = loop_attention(q, k, v, gamma=2.0, alpha=0.5, bias=bias)
    assert_same(got, exp, "float32")


@pytest.mark.parametrize("call,match", [
    (lambda: manhattan_score(np.zeros((6, 2, 3), np.int8), np.zeros((4, 2, 3), np.int8)),
     "does not divide"),
    (lambda: manhattan_score(np.zeros((2, 2, 3), np.int8), np.zeros((4, 2, 3), np.int8)),
     "does not divide"),
    (lambda: attention(np.zeros((4, 2, 3), np.int8), np.zeros((2, 2, 3), np.int8),
                       np.zeros((1, 2, 3), np.int8)), "key and value"),
    (lambda: manhattan_score(*list(_qkv())[:2], bias=np.zeros((2, 3), np.int32)), "accumulator dtype"),
    (lambda: manhattan_score(*list(_qkv())[:2], bias=np.zeros((2, 2), np.int16)), "does not broadcast"),
    (lambda: attention(*_qkv("float32"), bias=np.zeros((2, 3), np.int32)), "float bias"),
])
def test_bias_and_group_errors(call, match):
    with pytest.raises(ValueError, match=match):
        call()
