"""inhibitor.compile and inhibitor.attention: JIT through the C API, compared
with the NumPy reference (bit-exact for integers). Skipped when
libInhibitorCAPI.so is not built."""

import numpy as np
import pytest

import inhibitor
from inhibitor import reference as ref
from loops import loop_attention

try:
    inhibitor.library_path()
except inhibitor.LibraryNotFound as e:
    pytest.skip(str(e), allow_module_level=True)

SCORE = """
func.func @score(%q: tensor<?x8xi8>, %k: tensor<6x8xi8>) -> tensor<?x6xi32> {
  %c0 = arith.constant 0 : index
  %n = tensor.dim %q, %c0 : tensor<?x8xi8>
  %init = tensor.empty(%n) : tensor<?x6xi32>
  %z = inhibitor.manhattan_score {gamma = 4 : i32, alpha = 2 : i32}
         ins(%q, %k : tensor<?x8xi8>, tensor<6x8xi8>)
         outs(%init : tensor<?x6xi32>) -> tensor<?x6xi32>
  return %z : tensor<?x6xi32>
}
"""


def ints(rng, shape, dtype):
    info = np.iinfo(dtype)
    return rng.integers(info.min, info.max, shape, endpoint=True).astype(dtype)


def test_compile_text_dynamic_rows():
    rng = np.random.default_rng(1)
    kernel = inhibitor.compile(SCORE)
    k = ints(rng, (6, 8), np.int8)
    for n in (1, 5, 17):
        q = ints(rng, (n, 8), np.int8)
        z = kernel(q, k)
        assert z.dtype == np.int32 and z.shape == (n, 6)
        np.testing.assert_array_equal(
            z, ref.manhattan_score(q, k, gamma=4, alpha=2, acc_dtype=np.int32))


def test_compile_is_cached_and_reads_files(tmp_path):
    assert inhibitor.compile(SCORE) is inhibitor.compile(SCORE)
    path = tmp_path / "score.mlir"
    path.write_text(SCORE)
    kernel = inhibitor.compile(path)
    assert "score" in kernel.functions
    assert kernel["score"] is kernel.functions["score"]


def test_compile_pipeline_options():
    kernel = inhibitor.compile(SCORE, pipeline="vector-bits=128 target-cpu=x86-64")
    q = np.arange(16, dtype=np.int8).reshape(2, 8)
    k = np.ones((6, 8), np.int8)
    np.testing.assert_array_equal(
        kernel(q, k), ref.manhattan_score(q, k, gamma=4, alpha=2, acc_dtype=np.int32))


@pytest.mark.parametrize("dtype,acc", [(np.int8, np.int32), (np.int16, np.int32),
                                       (np.int32, np.int64)])
@pytest.mark.parametrize("signed", [False, True])
def test_attention_integers_bit_exact(dtype, acc, signed):
    rng = np.random.default_rng(2)
    q, k = ints(rng, (2, 3, 5, 7), dtype), ints(rng, (2, 3, 9, 7), dtype)
    v = ints(rng, (2, 3, 9, 4), dtype)
    for causal in (False, True):
        got = inhibitor.attention(q, k, v, gamma=8, alpha=1, signed=signed, causal=causal,
                                  acc_dtype=acc)
        want = ref.attention(q, k, v, gamma=8, alpha=1, signed=signed, causal=causal,
                             acc_dtype=acc)
        assert got.dtype == want.dtype
        np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("dtype,acc", [(np.int8, None), (np.int16, np.int32), (np.int16, None)])
def test_attention_causal_offset(dtype, acc):
    # A KV cache's causal mask (bottom-right, d = M - N), a negative offset
    # (rows that attend nothing are 0) and one past M; the compiled kernel, the
    # reference and the loop reference agree bit for bit, and the default
    # accumulator stays exact (a moved diagonal counts as a mask).
    rng = np.random.default_rng(5)
    q, k = ints(rng, (2, 3, 16), dtype), ints(rng, (2, 40, 16), dtype)
    v = ints(rng, (2, 40, 8), dtype)
    for d in (37, -2, 50):
        got = inhibitor.attention(q, k, v, gamma=4, signed=True, causal=True, causal_offset=d,
                                  acc_dtype=acc)
        want = ref.attention(q, k, v, gamma=4, signed=True, causal=True, causal_offset=d,
                             acc_dtype=got.dtype)
        assert got.dtype == want.dtype
        np.testing.assert_array_equal(got, want)
        np.testing.assert_array_equal(
            want, loop_attention(q, k, v, gamma=4, signed=True, causal=True, causal_offset=d,
                                 acc_dtype=got.dtype))
    h = inhibitor.attention(q, k, v, gamma=4, signed=True, causal=True, causal_offset=-2,
                            acc_dtype=np.int32)
    assert not h[:, :2].any()  # rows 0 and 1 attend j <= -2, -1: no key


def test_attention_causal_offset_errors():
    q = np.zeros((3, 4), np.int16)
    with pytest.raises(ValueError, match="causal_offset needs causal=True"):
        inhibitor.attention(q, q, q, causal_offset=1)
    with pytest.raises(TypeError, match="causal_offset must be an integer"):
        inhibitor.attention(q, q, q, causal=True, causal_offset=1.5)
    with pytest.raises(ValueError, match="causal_offset needs causal=True"):
        ref.attention(q, q, q, causal_offset=1)


def test_attention_mask_broadcast():
    rng = np.random.default_rng(3)
    q, k = ints(rng, (2, 4, 3), np.int16), ints(rng, (2, 6, 3), np.int16)
    v = ints(rng, (2, 6, 5), np.int16)
    mask = rng.random((4, 6)) < 0.5
    np.testing.assert_array_equal(
        inhibitor.attention(q, k, v, gamma=2, mask=mask, causal=True, acc_dtype=np.int32),
        ref.attention(q, k, v, gamma=2, mask=mask, causal=True, acc_dtype=np.int32))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_attention_floats(dtype):
    rng = np.random.default_rng(4)
    q, k = rng.standard_normal((3, 8)).astype(dtype), rng.standard_normal((5, 8)).astype(dtype)
    v = rng.standard_normal((5, 4)).astype(dtype)
    got = inhibitor.attention(q, k, v, gamma=np.sqrt(8), alpha=0.5, signed=True)
    want = ref.attention(q, k, v, gamma=np.sqrt(8), alpha=0.5, signed=True)
    assert got.dtype == dtype
    np.testing.assert_allclose(got, want, rtol=0, atol=4 * (8 + 5) * np.finfo(dtype).eps * 10)


@pytest.mark.parametrize("hkv", [1, 2, 4])
def test_attention_grouped_heads_and_bias_ints(hkv):
    rng = np.random.default_rng(10 + hkv)
    q = ints(rng, (2, 4, 5, 7), np.int8)
    k, v = ints(rng, (2, hkv, 9, 7), np.int8), ints(rng, (2, hkv, 9, 3), np.int8)
    bias = rng.integers(-300, 300, size=(4, 1, 9)).astype(np.int32)
    for causal in (False, True):
        got = inhibitor.attention(q, k, v, gamma=4, signed=True, causal=causal, bias=bias,
                                  acc_dtype=np.int32)
        want = ref.attention(q, k, v, gamma=4, signed=True, causal=causal, bias=bias,
                             acc_dtype=np.int32)
        np.testing.assert_array_equal(got, want)


def test_attention_float_bias_infinities_grouped():
    rng = np.random.default_rng(5)
    q = rng.standard_normal((6, 4, 8)).astype(np.float32)
    k = rng.standard_normal((3, 7, 8)).astype(np.float32)
    v = rng.standard_normal((3, 7, 2)).astype(np.float32)
    bias = rng.standard_normal((4, 7)).astype(np.float32)
    bias[0, :3] = -np.inf
    bias[1, 2] = np.inf
    bias[2, :] = -np.inf  # a row with nothing attended: 0
    got = inhibitor.attention(q, k, v, gamma=np.sqrt(8), alpha=0.5, bias=bias)
    want = ref.attention(q, k, v, gamma=np.sqrt(8), alpha=0.5, bias=bias)
    assert np.all(np.isfinite(got))
    np.testing.assert_allclose(got, want, rtol=0, atol=4 * (8 + 7) * np.finfo(np.float32).eps * 10)


def test_bad_ir_text():
    with pytest.raises(inhibitor.CompileError, match="inhibitor.attentio' is unknown"):
        inhibitor.compile("func.func @f() {\n  inhibitor.attentio\n  return\n}\n")
    with pytest.raises(inhibitor.CompileError, match=r"feature dim \(D\) mismatch"):
        inhibitor.compile(SCORE.replace("%k: tensor<6x8xi8>", "%k: tensor<6x7xi8>")
                          .replace("tensor<6x8xi8>)", "tensor<6x7xi8>)"))


def test_bad_pipeline():
    with pytest.raises(inhibitor.CompileError, match="invalid --inhibitor-to-llvm options"):
        inhibitor.compile(SCORE, pipeline="no-such-option=1")
    with pytest.raises(inhibitor.CompileError, match="failed"):
        inhibitor.compile(SCORE, pipeline="builtin.module(no-such-pass)")


def test_bad_arrays():
    kernel = inhibitor.compile(SCORE)
    q, k = np.zeros((2, 8), np.int8), np.zeros((6, 8), np.int8)
    with pytest.raises(TypeError, match="expected a int8 array .*got int16"):
        kernel(q.astype(np.int16), k)
    with pytest.raises(ValueError, match="dim 0 must be 6"):
        kernel(q, np.zeros((5, 8), np.int8))
    with pytest.raises(ValueError, match="expected 2 dims"):
        kernel(q[0], k)
    with pytest.raises(TypeError, match="takes 2 arrays"):
        kernel(q)
    with pytest.raises(ValueError, match="disagree on M"):
        inhibitor.attention(np.zeros((4, 8), np.int8), np.zeros((6, 8), np.int8),
                            np.zeros((5, 3), np.int8))
    with pytest.raises(ValueError, match="q and k must share one dtype"):
        inhibitor.attention(np.zeros((4, 8), np.int8), np.zeros((6, 8), np.int16),
                            np.zeros((6, 3), np.int16))
    with pytest.raises(ValueError, match="does not broadcast"):
        inhibitor.attention(np.zeros((4, 8), np.int8), np.zeros((6, 8), np.int8),
                            np.zeros((6, 3), np.int8), mask=np.ones((3, 6), bool))
