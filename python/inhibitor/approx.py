"""The approximate key filter (``--inhibitor-approximate-filter``, LATTE-style).

An ``inhibitor.attention`` carrying ``inhibitor.approx_thresholds`` (one
threshold ``T[h]`` per head of batch dim ``inhibitor.approx_head_dim``, or
one for all) and ``inhibitor.approx_shift`` (``s`` low bits dropped) drops
every pair ``(i, j)`` whose low-precision score exceeds its head's
threshold::

    integers: q' = q >> s,          S' = sum_d |q' - k'| (exact), keep iff S' <= floor(T / 2^s)
    floats:   q' = floor(q * 2^-s), S' = sum_d |q' - k'| (acc),   keep iff not S' > fl(T) * 2^-s

i.e. keep iff ``2^s S' <= T``: the score on a grid of ``2^s`` (``s`` may be
negative for floats: a finer grid). A dropped pair is treated as masked out
(it contributes nothing), AND-ed with the op's own mask and causal flag. The
filter is approximate: unlike exact key skipping (docs/KeySkipping.md) a
dropped pair may have contributed. The score ignores gamma, alpha and a bias.

This module is the NumPy mirror of the compiled filter (:func:`keep_mask`,
:func:`attention`: integer results bit-exact with the kernel; floats within
the reference's tolerance, bit-exact decisions where the sums of the grid
values are exact, i.e. below 2^24 units of the grid for f32) and the
calibration of the thresholds (:func:`thresholds_for_drop`,
:func:`calibrate_thresholds`); ``inhibitor.nn.calibrate_filter`` applies it
to a model. Only NumPy is needed.
"""

from __future__ import annotations

import numbers

import numpy as np

from . import reference as _ref

__all__ = ["low_precision", "approximate_score", "keep_mask", "attention", "thresholds_for_drop",
           "calibrate_thresholds", "filter_attributes", "shift_for_bits"]


def _acc_of(q, k, acc_dtype):
    """The op's accumulator as a reference type (q/k's kind)."""
    q = _ref._as_array(q, "q", 2)
    k = _ref._as_array(k, "k", 2)
    tq, tk = _ref._input_type(q, "q"), _ref._input_type(k, "k")
    acc = _ref._resolve_acc(acc_dtype, [("q", q, tq), ("k", k, tk)])
    if acc.is_bf16:
        raise NotImplementedError("the mirror of the filter has no bfloat16 accumulator "
                                  "(the compiled filter has)")
    return q, k, acc


def _check_shift(shift, acc, q):
    if isinstance(shift, (bool, np.bool_)) or not isinstance(shift, numbers.Integral):
        raise TypeError(f"shift must be an integer, got {shift!r}")
    shift = int(shift)
    if acc.kind == "i":
        w = q.dtype.itemsize * 8
        if not 0 <= shift < w:
            raise ValueError(f"shift must lie in [0, {w}) for {q.dtype.name} q/k, got {shift}")
    return shift


def low_precision(x, shift, acc_dtype):
    """``x`` on the coarse grid: ``x >> shift`` (int64) for integers,
    ``floor(x * 2^-shift)`` in the float accumulator ``acc_dtype``."""
    x = np.asarray(x)
    if x.dtype.kind in "iu":
        return x.astype(np.int64) >> int(shift)
    ct = np.dtype(acc_dtype)
    with np.errstate(over="ignore", invalid="ignore"):
        return np.floor(x.astype(ct) * ct.type(2.0 ** -int(shift)))


def _unscaled_score(q, k, shift, acc):
    """S' = sum_d |q' - k'| [b..., N, M]: int64 (exact) or the float acc."""
    if acc.kind == "i":
        return _ref.manhattan_score(low_precision(q, shift, None), low_precision(k, shift, None),
                                    acc_dtype=np.int64)
    ql, kl = low_precision(q, shift, acc.storage), low_precision(k, shift, acc.storage)
    return _ref.manhattan_score(ql, kl, acc_dtype=acc.storage)


def approximate_score(q, k, *, shift=0, acc_dtype=None):
    """The filter's score ``2^shift * S'`` [b..., N, M] in the units of the
    thresholds: int64 for integers, float64 for floats (``S'`` computed in
    the accumulator as the kernel does)."""
    q, k, acc = _acc_of(q, k, acc_dtype)
    shift = _check_shift(shift, acc, q)
    s = _unscaled_score(q, k, shift, acc)
    if acc.kind == "i":
        return s << shift
    return np.ldexp(s.astype(np.float64), shift)


def _threshold_array(thresholds, batch, head_dim, acc):
    t = np.asarray(thresholds, dtype=np.int64 if acc.kind == "i" else np.float64).reshape(-1)
    if t.size == 0:
        raise ValueError("thresholds: expected 1 or one per head, got none")
    if acc.kind == "f" and np.isnan(t).any():
        raise ValueError("thresholds: NaN")
    if t.size == 1:
        return t.reshape((1,) * (len(batch) + 2))
    if not batch or not 0 <= head_dim < len(batch) or batch[head_dim] != t.size:
        raise ValueError(f"{t.size} thresholds for batch dims {batch} along head_dim {head_dim}: "
                         "expected 1 or one per head")
    shape = [1] * (len(batch) + 2)
    shape[head_dim] = t.size
    return t.reshape(shape)


def keep_mask(q, k, thresholds, *, shift=0, head_dim=0, acc_dtype=None):
    """The pairs the filter keeps, bool [b..., N, M] (before the op's mask
    and causal flag), exactly as the compiled filter decides."""
    q, k, acc = _acc_of(q, k, acc_dtype)
    shift = _check_shift(shift, acc, q)
    t = _threshold_array(thresholds, q.shape[:-2], head_dim, acc)
    s = _unscaled_score(q, k, shift, acc)
    if acc.kind == "i":
        return s <= (t >> shift)
    ct = acc.storage.type
    with np.errstate(over="ignore", invalid="ignore"):
        limit = t.astype(acc.storage) * ct(2.0 ** -shift)
        return ~(s > limit)


def attention(q, k, v, thresholds, *, shift=0, head_dim=0, gamma=1, alpha=0, signed=False,
              mask=None, causal=False, bias=None, acc_dtype=None):
    """The filtered attention as the compiled kernel computes it: the
    reference attention with the mask ``keep_mask(...) & mask``."""
    q = _ref._as_array(q, "q", 2)
    k = _ref._as_array(k, "k", 2)
    v = _ref._as_array(v, "v", 2)
    acc = _ref._resolve_acc(acc_dtype, [(n, a, _ref._input_type(a, n))
                                        for n, a in (("q", q), ("k", k), ("v", v))])
    keep = keep_mask(q, k, thresholds, shift=shift, head_dim=head_dim, acc_dtype=acc.name)
    if mask is not None:
        keep = keep & np.asarray(mask, dtype=np.bool_)
    return _ref.attention(q, k, v, gamma=gamma, alpha=alpha, signed=signed, mask=keep,
                          causal=causal, bias=bias, acc_dtype=acc.name)


def thresholds_for_drop(scores, drop, *, head_axis=None, attended=None):
    """Per head, the threshold that drops at most the fraction ``drop`` of
    the (attended) pairs of ``scores`` (:func:`approximate_score`): the
    ``ceil((1 - drop) n)``-th smallest score, so that ties are kept. ``drop``
    0 keeps everything (the largest value of the dtype, also for unseen
    data), 1 drops everything. ``head_axis`` None: one threshold for all.
    Returns a list (int for integer scores, float otherwise)."""
    s = np.asarray(scores)
    if not 0 <= float(drop) <= 1:
        raise ValueError(f"drop must lie in [0, 1], got {drop!r}")
    integer = s.dtype.kind in "iu"
    if attended is not None:
        attended = np.broadcast_to(np.asarray(attended, dtype=np.bool_), s.shape)
    if head_axis is None:
        groups = [(s, attended)]
    else:
        groups = [(np.take(s, h, axis=head_axis),
                   None if attended is None else np.take(attended, h, axis=head_axis))
                  for h in range(s.shape[head_axis])]
    out = []
    for values, att in groups:
        v = values[att] if att is not None else values.reshape(-1)
        if integer:
            v = v.astype(np.int64)
        else:
            v = v[~np.isnan(v)]
        if drop <= 0 or v.size == 0:
            out.append(int(np.iinfo(np.int64).max) if integer else float("inf"))
        elif drop >= 1:
            out.append(-1 if integer else float("-inf"))
        else:
            kth = int(np.ceil((1 - float(drop)) * v.size)) - 1
            t = np.partition(v, kth)[kth]
            out.append(int(t) if integer else float(t))
    return out


def calibrate_thresholds(q, k, drop, *, shift=0, head_dim=0, acc_dtype=None, mask=None,
                         causal=False, per_head=True):
    """Thresholds dropping about ``drop`` of the attended pairs of each head
    of calibration data ``q [b..., N, D], k [bkv..., M, D]`` (heads along
    batch dim ``head_dim``; ``per_head=False``: one for all)."""
    s = approximate_score(q, k, shift=shift, acc_dtype=acc_dtype)
    batch, n, m = s.shape[:-2], s.shape[-2], s.shape[-1]
    attended = _ref._resolve_mask(mask, causal, batch, n, m)
    return thresholds_for_drop(s, drop, head_axis=head_dim if per_head and batch else None,
                               attended=attended)


def shift_for_bits(absmax, operand_bits, *, integer_bits=None):
    """The shift that leaves about ``operand_bits`` signed bits: for
    ``integer_bits``-bit data ``integer_bits - operand_bits``; for floats
    whose largest magnitude is ``absmax``, the grid ``2^s`` with
    ``absmax / 2^s <= 2^(operand_bits - 1)``."""
    if integer_bits is not None:
        return max(0, int(integer_bits) - int(operand_bits))
    if not absmax > 0:
        return 0
    return int(np.ceil(np.log2(float(absmax)))) - (int(operand_bits) - 1)


def filter_attributes(thresholds, shift=0, head_dim=0, *, integer=True):
    """The MLIR attributes of the filter, for an ``inhibitor.attention``'s
    attribute dictionary (without braces)."""
    if integer:
        values = ", ".join(str(int(t)) for t in thresholds)
        arr = f"array<i64: {values}>"
    else:
        values = ", ".join(_f64(t) for t in thresholds)
        arr = f"array<f64: {values}>"
    text = f"inhibitor.approx_thresholds = {arr}"
    if shift:
        text += f", inhibitor.approx_shift = {int(shift)} : i64"
    if head_dim:
        text += f", inhibitor.approx_head_dim = {int(head_dim)} : i64"
    return text


def _f64(t):
    t = float(t)
    if np.isinf(t):
        return "0x7FF0000000000000" if t > 0 else "0xFFF0000000000000"
    return f"{t:.17e}"
