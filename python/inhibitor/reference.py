"""NumPy reference for Inhibitor attention (SPEC section 1, arXiv 2310.02041).

This module is *the* reference the compiler's execution tests compare against.
Its semantics are the compiler's contract, stated here in full.

Shapes
------
``Q: [b..., N, D]``, ``K: [b..., M, D]``, ``V: [b..., M, E]``,
``Z: [b..., N, M]``, ``H: [b..., N, E]``.  ``b...`` is zero or more batch dims
and must be *equal* across operands, except for grouped heads: a batch dim of
the key/value side (``K``, ``V``) may be smaller than the query side's (``Q``,
``Z``) when it divides it.  With ``Hq`` query heads and ``Hkv`` key/value heads,
``g = Hq / Hkv`` and query head ``h`` reads key/value head ``h // g``
(PyTorch's ``repeat_interleave``; ``Hkv = 1`` is multi-query attention).  In
:func:`attention` ``K`` and ``V`` have the same batch dims.  Masks and biases
only have to broadcast (NumPy rules) to ``[b..., N, M]`` (the query's batch
dims).

Element types and the accumulator
---------------------------------
Inputs are ``int8``/``int16``/``int32``/``int64`` (signed two's complement) or
``float16``/``float32``/``float64``.  ``bfloat16`` is not a NumPy dtype: bf16
data is carried in any NumPy float array (normally ``float32``) whose values
are all exactly representable in bf16, and selected with
``acc_dtype="bfloat16"`` (alias ``"bf16"``).  Unsigned, bool, complex and object
arrays are rejected.

Each function takes ``acc_dtype``: the result element type, in which every
step happens.  It defaults to the widest input type.  It must be of the same
kind (int or float) as the inputs and at least as wide as each of them
(for ``"bfloat16"``: every input value must be exactly representable in bf16;
``float16`` and ``bfloat16`` do not cover each other).  Q and K must share one
dtype; V and Z (or V and Q/K in :func:`attention`) must be of the same kind.

Integer semantics (bit-exact; what ``arith`` computes)
------------------------------------------------------
With ``W`` the accumulator width and every operation wrapping modulo ``2**W``
into the signed range ``[-2**(W-1), 2**(W-1))``:

1. inputs are sign-extended to the accumulator type;
2. ``d = Q[i,k] - K[j,k]`` (wrapping);
3. ``a = |d|`` (wrapping abs: ``|INT_MIN| == INT_MIN``, i.e. ``math.absi``);
4. ``s = sum_k a`` (wrapping sum in the accumulator; never promoted);
5. ``t = floor(s / gamma)`` (floor division of the, possibly negative after
   wrapping, signed value; ``gamma`` a positive integer, so for a power of two
   this is an arithmetic shift right, ``arith.floordivsi`` in general);
6. ``u = t - alpha`` (wrapping; ``alpha`` a non-negative integer);
7. ``w = u - B[i,j]`` (wrapping; only with a ``bias``, an array of the
   accumulator dtype);
8. ``Z[i,j] = max(w, 0)``.

Inhibition, unsigned (eq. 4):
``H[i,e] = sum_j max(V[j,e] - Z[i,j], 0)``; signed (eq. 5):
``H[i,e] = sum_j max(V+[j,e] - Z[i,j], 0) + sum_j min(V-[j,e] + Z[i,j], 0)``
with ``V+ = max(V, 0)``, ``V- = min(V, 0)``.  Every subtraction, addition and
sum wraps; because wrapping addition is associative and commutative, the order
of the summands does not matter, only the wrapped value of each
``max(...)``/``min(...)`` term.  ``Z`` given directly to :func:`inhibit` may be
negative; it is used as is.

``gamma`` and ``alpha`` must fit in the accumulator type (else ValueError).

Float semantics (checked with a tolerance)
------------------------------------------
The same formulas with ``t = s / gamma``, ``u = t - alpha``, ``w = u - B``,
``Z = maximum(w, 0)`` (NaN propagates, as ``np.maximum``/``arith.maximumf``).
The bias is first rounded to the accumulator type (it is an operand of that
type).  ``B = -inf`` gives ``Z = +inf``: the pair contributes nothing (for
finite ``V``); ``B = +inf`` gives ``Z = 0``.
The reference does *not* round step by step in the accumulator type: inputs
are upcast exactly to float64, everything (including ``gamma``/``alpha``, used
exactly) is computed in float64, and the result is rounded once to the
accumulator type (round to nearest even).  For ``bfloat16`` the float64 result
is rounded to float32 and then to bf16 by round-to-nearest-even on the float32
bit pattern; the values are returned in a ``float32`` array.
Callers compare compiled float results with a relative tolerance suited to the
accumulator type.

Attention and masks
-------------------
``attention(q, k, v)`` is ``inhibit(v, manhattan_score(q, k))`` with one
accumulator type for both (``Z`` is rounded to the accumulator type, exactly
as the decomposed form computes it).  ``mask`` is a bool array broadcastable
to ``[b..., N, M]``, ``True`` = attend; ``causal=True`` attends pair ``(i, j)``
only where ``j <= i`` (top-left aligned, PyTorch's ``is_causal``), or where
``j <= i + causal_offset`` (the op's ``causal_offset``: ``M - N`` aligns it
bottom-right, a KV cache's causal mask); both may be given and are and-ed.
A masked-out pair contributes exactly nothing to ``H[i, :]`` (as if
``Z[i,j] = +inf``), for ints too: its terms are skipped, not computed with a
large ``Z``.  A row with no attended pair gives 0.

Large sizes are computed in blocks of rows, so the ``[N, M, D]`` and
``[N, M, E]`` intermediates are never materialized whole.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass

import numpy as np

__all__ = [
    "BFLOAT16",
    "manhattan_score",
    "inhibit",
    "attention",
    "to_bfloat16",
]

BFLOAT16 = "bfloat16"

# Elements of one intermediate block (e.g. [rows, M, D]); keeps memory modest.
_BLOCK_ELEMS = 1 << 21


@dataclass(frozen=True)
class _Type:
    """An element type: kind 'i' or 'f', width in bits, NumPy storage dtype."""

    name: str
    kind: str
    bits: int
    storage: np.dtype

    @property
    def compute(self) -> np.dtype:
        # Ints are computed in their own (wrapping) dtype, floats in float64.
        return self.storage if self.kind == "i" else np.dtype(np.float64)

    @property
    def is_bf16(self) -> bool:
        return self.name == BFLOAT16


_TYPES = {
    "int8": _Type("int8", "i", 8, np.dtype(np.int8)),
    "int16": _Type("int16", "i", 16, np.dtype(np.int16)),
    "int32": _Type("int32", "i", 32, np.dtype(np.int32)),
    "int64": _Type("int64", "i", 64, np.dtype(np.int64)),
    "float16": _Type("float16", "f", 16, np.dtype(np.float16)),
    BFLOAT16: _Type(BFLOAT16, "f", 16, np.dtype(np.float32)),
    "float32": _Type("float32", "f", 32, np.dtype(np.float32)),
    "float64": _Type("float64", "f", 64, np.dtype(np.float64)),
}


# --------------------------------------------------------------------------
# bfloat16


def to_bfloat16(x) -> np.ndarray:
    """Round ``x`` to bfloat16 values, returned as a float32 array.

    ``x`` is first converted to float32 (round to nearest even), then rounded
    to bf16 by round-to-nearest-even on the float32 bit pattern.  NaN stays a
    (quiet) NaN of the same sign; overflow gives +-inf.
    """
    with np.errstate(over="ignore", invalid="ignore"):
        f = np.array(x, dtype=np.float32, copy=True, ndmin=0)
    bits = f.view(np.uint32)
    nan = np.isnan(f)
    lsb = (bits >> np.uint32(16)) & np.uint32(1)
    rounded = (bits + np.uint32(0x7FFF) + lsb) & np.uint32(0xFFFF0000)
    quiet = (bits | np.uint32(0x00400000)) & np.uint32(0xFFFF0000)
    out = np.where(nan, quiet, rounded).astype(np.uint32)
    return out.view(np.float32)


def _is_bf16_exact(a: np.ndarray) -> bool:
    a64 = a.astype(np.float64)
    r = to_bfloat16(a64).astype(np.float64)
    return bool(np.all((r == a64) | np.isnan(a64)))


# --------------------------------------------------------------------------
# Validation


def _parse_acc(acc_dtype) -> _Type:
    if isinstance(acc_dtype, str) and acc_dtype.lower() in ("bfloat16", "bf16"):
        return _TYPES[BFLOAT16]
    try:
        dt = np.dtype(acc_dtype)
    except TypeError as e:
        raise ValueError(f"unsupported accumulator dtype {acc_dtype!r}") from e
    if dt.name not in _TYPES or dt.name == BFLOAT16:
        raise ValueError(
            f"unsupported accumulator dtype {dt.name!r}: expected one of "
            "int8, int16, int32, int64, float16, bfloat16, float32, float64"
        )
    return _TYPES[dt.name]


def _input_type(a: np.ndarray, what: str) -> _Type:
    name = a.dtype.name
    if name not in _TYPES:
        raise ValueError(
            f"{what}: unsupported element type {name!r}: expected a signed "
            "integer (int8/16/32/64) or float (float16/32/64) array"
        )
    return _TYPES[name]


def _as_array(x, what: str, min_ndim: int) -> np.ndarray:
    a = np.asarray(x)
    if a.ndim < min_ndim:
        raise ValueError(f"{what}: expected at least {min_ndim} dims, got shape {a.shape}")
    return a


def _resolve_acc(acc_dtype, operands) -> _Type:
    """operands: list of (name, array, _Type).  Returns the accumulator type."""
    kinds = {t.kind for _, _, t in operands}
    if len(kinds) != 1:
        desc = ", ".join(f"{n}: {a.dtype.name}" for n, a, _ in operands)
        raise ValueError(f"operands mix integer and float element types ({desc})")
    if acc_dtype is None:
        return max((t for _, _, t in operands), key=lambda t: t.bits)
    acc = _parse_acc(acc_dtype)
    for name, a, t in operands:
        if t.kind != acc.kind:
            raise ValueError(
                f"accumulator {acc.name} is of another kind than {name} ({t.name})"
            )
        if acc.is_bf16:
            if not _is_bf16_exact(a):
                raise ValueError(
                    f"accumulator bfloat16 is narrower than {name} ({t.name}): "
                    "its values are not all exactly representable in bfloat16"
                )
        elif acc.bits < t.bits:
            raise ValueError(f"accumulator {acc.name} is narrower than {name} ({t.name})")
    return acc


def _check_gamma_alpha(gamma, alpha, acc: _Type):
    """Validate and return (gamma, alpha) as scalars of acc's compute dtype."""
    if acc.kind == "i":
        if isinstance(gamma, (bool, np.bool_)) or not isinstance(gamma, numbers.Integral):
            raise ValueError(f"integer gamma must be a positive integer, got {gamma!r}")
        if isinstance(alpha, (bool, np.bool_)) or not isinstance(alpha, numbers.Integral):
            raise ValueError(f"integer alpha must be a non-negative integer, got {alpha!r}")
        gamma, alpha = int(gamma), int(alpha)
        if gamma <= 0:
            raise ValueError(f"integer gamma must be a positive integer, got {gamma}")
        if alpha < 0:
            raise ValueError(f"alpha must be >= 0, got {alpha}")
        hi = int(np.iinfo(acc.storage).max)
        if gamma > hi or alpha > hi:
            raise ValueError(
                f"gamma ({gamma}) and alpha ({alpha}) must fit in the accumulator {acc.name}"
            )
        return acc.storage.type(gamma), acc.storage.type(alpha)
    if isinstance(gamma, (bool, np.bool_)) or not isinstance(gamma, numbers.Real):
        raise ValueError(f"float gamma must be a positive real number, got {gamma!r}")
    if isinstance(alpha, (bool, np.bool_)) or not isinstance(alpha, numbers.Real):
        raise ValueError(f"float alpha must be a non-negative real number, got {alpha!r}")
    gamma, alpha = float(gamma), float(alpha)
    if not (np.isfinite(gamma) and gamma > 0):
        raise ValueError(f"gamma must be a positive finite number, got {gamma}")
    if not (np.isfinite(alpha) and alpha >= 0):
        raise ValueError(f"alpha must be >= 0 and finite, got {alpha}")
    return np.float64(gamma), np.float64(alpha)


def _group_kv(q_batch, named_kv):
    """Grouped heads: named_kv are (name, array) pairs of the key/value side,
    all with the same batch dims, each either equal to the query's batch dim,
    1 (broadcast) or a divisor of it.  Returns the arrays with their batch dims
    repeated (``np.repeat``, i.e. ``repeat_interleave``) to ``q_batch``."""
    ref_name, ref = named_kv[0]
    for name, a in named_kv[1:]:
        if a.shape[:-2] != ref.shape[:-2]:
            raise ValueError(
                f"batch dims differ: {ref_name} {ref.shape} vs {name} {a.shape} "
                "(key and value must have the same batch dims)"
            )
    kv_batch = ref.shape[:-2]
    if len(kv_batch) != len(q_batch):
        raise ValueError(
            f"batch dims differ: {ref_name} {ref.shape} has {len(kv_batch)} batch dims, "
            f"the query side {len(q_batch)} ({tuple(q_batch)})"
        )
    out = [a for _, a in named_kv]
    for axis, (hq, hkv) in enumerate(zip(q_batch, kv_batch)):
        if hq == hkv:
            continue
        if hkv == 0 or hq % hkv != 0:
            raise ValueError(
                f"batch dims differ: dim #{axis} of {ref_name} ({hkv}) does not divide the "
                f"query side's {hq} (grouped heads need a divisor)"
            )
        out = [np.repeat(a, hq // hkv, axis=axis) for a in out]
    return out


def _resolve_bias(bias, acc: _Type, batch, n, m):
    """The bias rounded to the accumulator type and broadcast to batch + (n, m),
    in the accumulator's compute dtype; None without a bias."""
    if bias is None:
        return None
    b = np.asarray(bias)
    full = batch + (n, m)
    if acc.kind == "i":
        if b.dtype != acc.storage:
            raise ValueError(
                f"an integer bias must have the accumulator dtype {acc.name}, got {b.dtype.name}"
            )
    else:
        if b.dtype.kind != "f":
            raise ValueError(f"a float bias must be a float array, got {b.dtype.name}")
        b = _finish(b.astype(np.float64), acc).astype(np.float64)
    try:
        return np.broadcast_to(b, full)
    except ValueError as e:
        raise ValueError(f"bias of shape {b.shape} does not broadcast to {full}") from e


def _check_batch(*named):
    """named: (name, array) pairs; leading dims (all but last two) must agree."""
    ref_name, ref = named[0]
    for name, a in named[1:]:
        if a.shape[:-2] != ref.shape[:-2]:
            raise ValueError(
                f"batch dims differ: {ref_name} {ref.shape} vs {name} {a.shape} "
                "(batch dims must be equal)"
            )


def _check_score_shapes(q, k):
    if q.ndim != k.ndim:
        raise ValueError(f"batch dims differ: q {q.shape} and k {k.shape} have different ranks")
    if q.shape[-1] != k.shape[-1]:
        raise ValueError(f"q and k must share D (last dim): q {q.shape}, k {k.shape}")


def _check_inhibit_shapes(v, z):
    if v.ndim != z.ndim:
        raise ValueError(f"batch dims differ: v {v.shape} and z {z.shape} have different ranks")
    if z.shape[-1] != v.shape[-2]:
        raise ValueError(f"z [..., N, M] and v [..., M, E] disagree on M: z {z.shape}, v {v.shape}")


def _resolve_mask(mask, causal, batch, n, m, causal_offset=0):
    """Return a bool array of shape batch + (n, m), or None for 'attend all'.

    causal: pairs j <= i + causal_offset."""
    full = batch + (n, m)
    out = None
    if mask is not None:
        mk = np.asarray(mask)
        if mk.dtype != np.bool_:
            raise ValueError(f"mask must be a bool array, got {mk.dtype.name}")
        try:
            out = np.broadcast_to(mk, full)
        except ValueError as e:
            raise ValueError(f"mask of shape {mk.shape} does not broadcast to {full}") from e
    if causal:
        tri = np.tri(n, m, k=int(causal_offset), dtype=np.bool_)  # j <= i + offset
        out = np.broadcast_to(tri, full) if out is None else (out & tri)
    return out


# --------------------------------------------------------------------------
# Blocked kernels on flattened operands ([B, N, *])


def _blocks(B: int, N: int, per_row: int):
    """Yield (b0, b1, i0, i1) so that (b1-b0)*(i1-i0)*per_row stays bounded."""
    rows = max(1, _BLOCK_ELEMS // max(1, per_row))
    if rows >= N:
        bb = max(1, rows // max(1, N))
        for b0 in range(0, B, bb):
            yield b0, min(B, b0 + bb), 0, N
    else:
        for b in range(B):
            for i0 in range(0, N, rows):
                yield b, b + 1, i0, min(N, i0 + rows)


def _score_core(q, k, gamma, alpha, ct, bias=None):
    """q [B,N,D], k [B,M,D] in compute dtype ct, bias [B,N,M] or None.
    Returns Z [B,N,M] in ct."""
    B, N, D = q.shape
    M = k.shape[1]
    s = np.empty((B, N, M), dtype=ct)
    for b0, b1, i0, i1 in _blocks(B, N, M * D):
        d = np.subtract(q[b0:b1, i0:i1, None, :], k[b0:b1, None, :, :], dtype=ct)
        np.abs(d, out=d)
        # dtype= keeps the reduction in ct (wrapping for ints, no promotion).
        s[b0:b1, i0:i1] = np.sum(d, axis=-1, dtype=ct)
    if ct.kind == "i":
        t = np.floor_divide(s, gamma, dtype=ct)
        u = np.subtract(t, alpha, dtype=ct)
        if bias is not None:
            u = np.subtract(u, bias, dtype=ct)
        return np.maximum(u, ct.type(0)).astype(ct, copy=False)
    t = s / gamma
    u = t - alpha
    if bias is not None:
        u = u - bias
    return np.maximum(u, 0.0)


def _inhibit_core(v, z, signed, mask, ct):
    """v [B,M,E], z [B,N,M], mask [B,N,M] bool or None, all in ct.  H [B,N,E]."""
    B, M, E = v.shape
    N = z.shape[1]
    h = np.empty((B, N, E), dtype=ct)
    zero = ct.type(0)
    if signed:
        vp = np.maximum(v, zero)
        vn = np.minimum(v, zero)
    for b0, b1, i0, i1 in _blocks(B, N, M * E):
        zz = z[b0:b1, i0:i1, :, None]  # [bb, bn, M, 1]
        if signed:
            c = np.maximum(np.subtract(vp[b0:b1, None], zz, dtype=ct), zero)
            c2 = np.minimum(np.add(vn[b0:b1, None], zz, dtype=ct), zero)
            np.add(c, c2, out=c, dtype=ct)
        else:
            c = np.maximum(np.subtract(v[b0:b1, None], zz, dtype=ct), zero)
        if mask is not None:
            c = np.where(mask[b0:b1, i0:i1, :, None], c, zero)
        h[b0:b1, i0:i1] = np.sum(c, axis=-2, dtype=ct)
    return h


def _prod(shape) -> int:
    p = 1
    for s in shape:
        p *= int(s)
    return p


def _widen(a: np.ndarray, acc: _Type) -> np.ndarray:
    return a.astype(acc.compute, copy=False)


def _finish(r: np.ndarray, acc: _Type) -> np.ndarray:
    """Round a compute-dtype result to the accumulator type."""
    if acc.kind == "i":
        return r.astype(acc.storage, copy=False)
    if acc.is_bf16:
        return to_bfloat16(r)
    with np.errstate(over="ignore"):
        return r.astype(acc.storage)


# --------------------------------------------------------------------------
# Public API


def _prepare_score(q, k, gamma, alpha, acc_dtype, extra=()):
    q = _as_array(q, "q", 2)
    k = _as_array(k, "k", 2)
    tq, tk = _input_type(q, "q"), _input_type(k, "k")
    if q.dtype != k.dtype:
        raise ValueError(f"q and k must share one dtype, got {q.dtype.name} and {k.dtype.name}")
    _check_score_shapes(q, k)
    acc = _resolve_acc(acc_dtype, [("q", q, tq), ("k", k, tk), *extra])
    g, a = _check_gamma_alpha(gamma, alpha, acc)
    return q, k, acc, g, a


def manhattan_score(q, k, *, gamma=1, alpha=0, bias=None, acc_dtype=None) -> np.ndarray:
    """Z[..., i, j] = max(sum_k |q[..., i, k] - k[..., j, k]| / gamma - alpha - bias[..., i, j], 0).

    q: [b..., N, D], k: [bkv..., M, D] (same dtype; bkv... equal to b... or
    grouped: each dim 1 or a divisor of the query's).  bias (optional):
    broadcastable to [b..., N, M], of the accumulator dtype for ints (any float
    array for floats, rounded to the accumulator type).  Returns Z:
    [b..., N, M] in the accumulator type (see the module docstring for exact
    semantics).
    """
    q, k, acc, g, a = _prepare_score(q, k, gamma, alpha, acc_dtype)
    (k,) = _group_kv(q.shape[:-2], [("k", k)])
    batch, (N, D), M = q.shape[:-2], q.shape[-2:], k.shape[-2]
    B = _prod(batch)
    ct = acc.compute
    bb = _resolve_bias(bias, acc, batch, N, M)
    if bb is not None:
        bb = bb.astype(ct).reshape(B, N, M)
    with np.errstate(over="ignore", invalid="ignore"):
        z = _score_core(
            _widen(q, acc).reshape(B, N, D), _widen(k, acc).reshape(B, M, D), g, a, ct, bb
        )
    return _finish(z, acc).reshape(batch + (N, M))


def _inhibit_impl(v, z, signed, mask, acc):
    batch, (M, E), N = v.shape[:-2], v.shape[-2:], z.shape[-2]
    B = _prod(batch)
    ct = acc.compute
    mk = None if mask is None else mask.reshape(B, N, M)
    with np.errstate(over="ignore", invalid="ignore"):
        h = _inhibit_core(
            _widen(v, acc).reshape(B, M, E), _widen(z, acc).reshape(B, N, M),
            bool(signed), mk, ct,
        )
    return _finish(h, acc).reshape(batch + (N, E))


def inhibit(v, z, *, signed=False, acc_dtype=None) -> np.ndarray:
    """H[..., i, e] = sum_j max(v[..., j, e] - z[..., i, j], 0)  (eq. 4), or the
    signed form (eq. 5) when ``signed``.

    v: [bkv..., M, E] (bkv... equal to b... or grouped), z: [b..., N, M] (same
    kind; the accumulator defaults to the wider dtype).  Returns H:
    [b..., N, E] in the accumulator type.
    """
    v = _as_array(v, "v", 2)
    z = _as_array(z, "z", 2)
    tv, tz = _input_type(v, "v"), _input_type(z, "z")
    _check_inhibit_shapes(v, z)
    (v,) = _group_kv(z.shape[:-2], [("v", v)])
    acc = _resolve_acc(acc_dtype, [("v", v, tv), ("z", z, tz)])
    return _inhibit_impl(v, z, signed, None, acc)


def attention(q, k, v, *, gamma=1, alpha=0, signed=False, mask=None, causal=False,
              bias=None, acc_dtype=None, causal_offset=0) -> np.ndarray:
    """H = inhibit(v, manhattan_score(q, k, bias)) with optional mask / causal flag.

    causal: pair (i, j) attended where j <= i + causal_offset (0: top-left
    aligned; M - N: bottom-right).

    q: [b..., N, D], k: [bkv..., M, D], v: [bkv..., M, E] with bkv... equal
    to b... or grouped (each dim 1 or a divisor of the query's: query head h
    reads key/value head h // g); mask: bool, broadcastable to [b..., N, M],
    True = attend; bias: additive, broadcastable to [b..., N, M] (see
    :func:`manhattan_score`; float -inf excludes a pair).  One accumulator type
    (default the widest of q/k/v) is used for Z and H.  Returns H: [b..., N, E].
    """
    v = _as_array(v, "v", 2)
    tv = _input_type(v, "v")
    q, k, acc, g, a = _prepare_score(q, k, gamma, alpha, acc_dtype, extra=[("v", v, tv)])
    if v.ndim != q.ndim:
        raise ValueError(f"batch dims differ: q {q.shape} and v {v.shape} have different ranks")
    k, v = _group_kv(q.shape[:-2], [("k", k), ("v", v)])
    if k.shape[-2] != v.shape[-2]:
        raise ValueError(f"k [..., M, D] and v [..., M, E] disagree on M: k {k.shape}, v {v.shape}")
    batch, N, M = q.shape[:-2], q.shape[-2], k.shape[-2]
    if causal_offset and not causal:
        raise ValueError("causal_offset needs causal=True")
    mk = _resolve_mask(mask, causal, batch, N, M, causal_offset)
    z = manhattan_score(q, k, gamma=gamma, alpha=alpha, bias=bias, acc_dtype=acc.name)
    # z is already in the accumulator type; v is checked above to fit it.
    return _inhibit_impl(v, z, signed, mk, acc)
