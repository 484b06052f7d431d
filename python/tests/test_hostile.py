"""Hostile input to the Python API: arrays in every layout NumPy allows,
wrong kinds of objects, handles outliving their module, and sizes only the
running kernel can compare (stopped by the generated code's run-time check,
in a subprocess). Skipped when libInhibitorCAPI.so is not built."""

import gc
import os
import subprocess
import sys

import numpy as np
import pytest

import inhibitor
from inhibitor import reference as ref

try:
    inhibitor.library_path()
except inhibitor.LibraryNotFound as e:
    pytest.skip(str(e), allow_module_level=True)

SCORE = """
func.func @score(%q: tensor<?x?xi16>, %k: tensor<?x?xi16>) -> tensor<?x?xi32> {
  %c0 = arith.constant 0 : index
  %n = tensor.dim %q, %c0 : tensor<?x?xi16>
  %m = tensor.dim %k, %c0 : tensor<?x?xi16>
  %init = tensor.empty(%n, %m) : tensor<?x?xi32>
  %z = inhibitor.manhattan_score ins(%q, %k : tensor<?x?xi16>, tensor<?x?xi16>)
         outs(%init : tensor<?x?xi32>) -> tensor<?x?xi32>
  return %z : tensor<?x?xi32>
}
"""


@pytest.fixture(scope="module")
def kernel():
    return inhibitor.compile(SCORE)


def data(seed=0, n=5, m=7, d=9):
    rng = np.random.default_rng(seed)
    q = rng.integers(-300, 300, (n, d)).astype(np.int16)
    k = rng.integers(-300, 300, (m, d)).astype(np.int16)
    return q, k


def want(q, k):
    return ref.manhattan_score(q, k, acc_dtype="int32")


def test_layouts(kernel):
    q, k = data()
    # Fortran order, a strided view, a transposed view, a negative stride.
    np.testing.assert_array_equal(kernel(np.asfortranarray(q), k), want(q, k))
    wide = np.zeros((5, 18), np.int16)
    wide[:, ::2] = q
    np.testing.assert_array_equal(kernel(wide[:, ::2], k), want(q, k))
    np.testing.assert_array_equal(kernel(q, k.T.copy().T), want(q, k))
    np.testing.assert_array_equal(kernel(q[::-1], k), want(q[::-1], k))


def test_misaligned(kernel):
    q, k = data(1)
    raw = np.zeros(q.nbytes + 1, np.uint8)
    odd = np.ndarray(q.shape, np.int16, buffer=raw.data, offset=1)
    odd[...] = q
    assert not odd.flags.aligned
    np.testing.assert_array_equal(kernel(odd, k), want(q, k))


def test_read_only_and_zero_size(kernel):
    q, k = data(2)
    q.setflags(write=False)
    np.testing.assert_array_equal(kernel(q, k), want(q, k))
    z = kernel(np.zeros((0, 9), np.int16), k)
    assert z.shape == (0, 7)


@pytest.mark.parametrize("bad", ["text", None, 3, [[1, 2]], np.zeros((5, 9), np.int32),
                                 np.zeros((5, 9), object), np.zeros((5, 9), bool),
                                 np.zeros((5, 9), np.uint16), np.zeros(9, np.int16)])
def test_wrong_objects(kernel, bad):
    _, k = data()
    with pytest.raises((TypeError, ValueError)):
        kernel(bad, k)


def test_function_outlives_module():
    f = inhibitor.compile(SCORE)["score"]
    gc.collect()
    q, k = data(3)
    np.testing.assert_array_equal(f(q, k), want(q, k))


def test_disagreeing_dynamic_sizes_stop_with_message():
    """D of Q (100000) against D of K (8): only the running kernel sees it.
    The generated run-time check stops the process with a message naming
    the op and the sizes (an abort: run in a subprocess), no out-of-bounds
    read."""
    script = "\n".join([
        "import numpy as np, inhibitor",
        f"kernel = inhibitor.compile({SCORE!r})",
        "kernel(np.ones((3, 100000), np.int16), np.ones((4, 8), np.int16))",
        "print('returned')"])
    env = dict(os.environ, PYTHONPATH=os.path.join(os.path.dirname(__file__), ".."))
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         env=env, timeout=300)
    assert run.returncode != 0
    assert "returned" not in run.stdout
    assert ("inhibitor run-time check failed: inhibitor.manhattan_score" in run.stderr
            and "D of query (100000) != D of key (8)" in run.stderr), run.stderr
