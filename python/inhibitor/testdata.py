"""Seeded random inputs for the reference and the compiler's execution tests."""

from __future__ import annotations

import numpy as np

from .reference import BFLOAT16, to_bfloat16

__all__ = ["random_inputs"]


def _float_extremes(dtype_name: str):
    if dtype_name == BFLOAT16:
        sub, normal = 2.0 ** -133, 2.0 ** -126
    else:
        fi = np.finfo(np.dtype(dtype_name))
        sub, normal = float(fi.smallest_subnormal), float(fi.tiny)
    return [0.0, -0.0, sub, -sub, normal, -normal, 1.0, -1.0]


def random_inputs(rng: np.random.Generator, shape, dtype, extremes: bool = False,
                  *, low=None, high=None) -> np.ndarray:
    """A random array of ``shape`` and element type ``dtype``.

    dtype: int8/int16/int32/int64, float16/float32/float64, or ``"bfloat16"``
    (returned as float32 holding bf16 values).

    Integers are uniform over ``[low, high]`` (inclusive; default the full
    range of the type).  Floats are uniform over ``[low, high)`` (default
    ``[-4, 4)``), rounded to the type.

    ``extremes=True`` overwrites about a quarter of the elements with special
    values: for ints the type's MIN, MAX, MIN+1, MAX-1, 0, -1, 1 (and, when the
    array has at least two elements, MIN and MAX each appear at least once);
    for floats +-0.0, +-the smallest subnormal, +-the smallest normal, +-1
    (no inf/NaN, and nothing that overflows the type in a sum).
    """
    shape = (int(shape),) if np.isscalar(shape) else tuple(int(s) for s in shape)
    if isinstance(dtype, str) and dtype.lower() in ("bfloat16", "bf16"):
        name = BFLOAT16
    else:
        name = np.dtype(dtype).name
    size = int(np.prod(shape, dtype=np.int64))

    if name in ("int8", "int16", "int32", "int64"):
        info = np.iinfo(np.dtype(name))
        lo = int(info.min) if low is None else int(low)
        hi = int(info.max) if high is None else int(high)
        a = rng.integers(lo, hi, size=size, dtype=np.int64, endpoint=True).astype(name)
        if extremes and size:
            special = np.array(
                [info.min, info.max, info.min + 1, info.max - 1, 0, -1, 1], dtype=name
            )
            idx = rng.random(size) < 0.25
            a[idx] = rng.choice(special, size=int(idx.sum()))
            if size >= 2:
                i, j = rng.choice(size, size=2, replace=False)
                a[i], a[j] = info.min, info.max
        return a.reshape(shape)

    if name in ("float16", "float32", "float64", BFLOAT16):
        lo = -4.0 if low is None else float(low)
        hi = 4.0 if high is None else float(high)
        a = rng.uniform(lo, hi, size=size)
        if extremes and size:
            special = np.array(_float_extremes(name), dtype=np.float64)
            idx = rng.random(size) < 0.25
            a[idx] = special[rng.integers(0, len(special), size=int(idx.sum()))]
        a = to_bfloat16(a) if name == BFLOAT16 else a.astype(name)
        return a.reshape(shape)

    raise ValueError(f"random_inputs: unsupported dtype {dtype!r}")
