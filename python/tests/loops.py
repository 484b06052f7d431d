"""Scalar-loop versions of the reference, used only to cross-check it in tests.

Every element is computed with plain Python numbers: integers as Python ints
wrapped to the accumulator width after each operation by :func:`wrap`, floats
as Python floats (float64) rounded once to the accumulator type at the end.
They are slow (O(N*M*(D+E)) Python operations) and meant for small shapes.

Argument checking and the choice of accumulator type are shared with
:mod:`inhibitor.reference` (the arithmetic is not).
"""

from __future__ import annotations

import math
import struct

import numpy as np

from inhibitor import reference as _ref

__all__ = ["wrap", "loop_manhattan_score", "loop_inhibit", "loop_attention"]


def wrap(x: int, bits: int) -> int:
    """Wrap the Python int ``x`` into the signed ``bits``-wide range."""
    half = 1 << (bits - 1)
    return ((x + half) % (1 << bits)) - half


def _fmax0(u: float) -> float:
    return u if math.isnan(u) else max(u, 0.0)


def _fmin0(u: float) -> float:
    return u if math.isnan(u) else min(u, 0.0)


def _bf16_scalar(x: float) -> float:
    with np.errstate(over="ignore"):
        bits = int(np.array([x], dtype=np.float64).astype(np.float32).view(np.uint32)[0])
    if math.isnan(x):
        return x
    bits = (bits + 0x7FFF + ((bits >> 16) & 1)) & 0xFFFF0000
    return struct.unpack("<f", struct.pack("<I", bits))[0]


def _finish(values, shape, acc) -> np.ndarray:
    if acc.kind == "i":
        return np.array(values, dtype=acc.storage).reshape(shape)
    if acc.is_bf16:
        return np.array([_bf16_scalar(x) for x in values], dtype=np.float32).reshape(shape)
    with np.errstate(over="ignore"):
        return np.array(values, dtype=np.float64).astype(acc.storage).reshape(shape)


def _rows(a: np.ndarray, acc):
    """[b..., R, C] -> list over flat batch of R lists of C Python numbers."""
    r, c = a.shape[-2:]
    flat = a.reshape(_ref._prod(a.shape[:-2]), r, c)
    if acc.kind == "i":
        return flat.astype(np.int64).tolist()  # exact: inputs are at most 64-bit
    return flat.astype(np.float64).tolist()


def _kv_rows(a: np.ndarray, q_batch, acc):
    """The key/value rows read by each query-side batch index (grouped heads:
    query head h reads key/value head h // (Hq / Hkv); size 1 broadcasts),
    computed index by index."""
    kv_batch = a.shape[:-2]
    if len(kv_batch) != len(q_batch):
        raise ValueError(f"batch dims differ: {a.shape} vs query side {tuple(q_batch)}")
    for hq, hkv in zip(q_batch, kv_batch):
        if hkv == 0 or hq % hkv:
            raise ValueError(f"batch dims differ: {hkv} does not divide {hq}")
    rows = []
    for idx in np.ndindex(*q_batch):
        kv_idx = tuple(h // (hq // hkv) for h, hq, hkv in zip(idx, q_batch, kv_batch))
        rows.append(_rows(a[kv_idx][None], acc)[0])
    return rows


def _score_lists(Q, K, gamma, alpha, acc, bias=None):
    out = []
    bits = acc.bits
    for b, (qb, kb) in enumerate(zip(Q, K)):
        zb = []
        for i, qi in enumerate(qb):
            zi = []
            for j, kj in enumerate(kb):
                bij = None if bias is None else bias[b][i][j]
                if acc.kind == "i":
                    s = 0
                    for x, y in zip(qi, kj):
                        d = wrap(x - y, bits)
                        s = wrap(s + wrap(abs(d), bits), bits)
                    t = s // gamma  # Python // is floor division
                    u = wrap(t - alpha, bits)
                    if bij is not None:
                        u = wrap(u - bij, bits)
                    zi.append(max(u, 0))
                else:
                    s = 0.0
                    for x, y in zip(qi, kj):
                        s += abs(x - y)
                    u = s / gamma - alpha
                    if bij is not None:
                        u = u - bij
                    zi.append(_fmax0(u))
            zb.append(zi)
        out.append(zb)
    return out


def _inhibit_lists(V, Z, signed, mask, acc):
    out = []
    bits = acc.bits
    is_int = acc.kind == "i"
    for b, (vb, zb) in enumerate(zip(V, Z)):
        hb = []
        E = len(vb[0]) if vb else 0
        for i, zi in enumerate(zb):
            hi = []
            for e in range(E):
                h = 0 if is_int else 0.0
                for j, zij in enumerate(zi):
                    if mask is not None and not mask[b][i][j]:
                        continue
                    x = vb[j][e]
                    if is_int:
                        if signed:
                            h = wrap(h + max(wrap(max(x, 0) - zij, bits), 0), bits)
                            h = wrap(h + min(wrap(min(x, 0) + zij, bits), 0), bits)
                        else:
                            h = wrap(h + max(wrap(x - zij, bits), 0), bits)
                    else:
                        if signed:
                            h += _fmax0(max(x, 0.0) - zij)  # NaN x stays NaN
                            h += _fmin0(min(x, 0.0) + zij)
                        else:
                            h += _fmax0(x - zij)
                hi.append(h)
            hb.append(hi)
        out.append(hb)
    return out


def _flatten3(lists):
    return [x for b in lists for r in b for x in r]


def _bias_lists(bias, acc, batch, n, m):
    full = _ref._resolve_bias(bias, acc, batch, n, m)
    if full is None:
        return None
    flat = full.reshape(_ref._prod(batch), n, m)
    return flat.astype(np.int64 if acc.kind == "i" else np.float64).tolist()


def loop_manhattan_score(q, k, *, gamma=1, alpha=0, bias=None, acc_dtype=None) -> np.ndarray:
    q, k, acc, g, a = _ref._prepare_score(q, k, gamma, alpha, acc_dtype)
    g, a = (int(g), int(a)) if acc.kind == "i" else (float(g), float(a))
    bl = _bias_lists(bias, acc, q.shape[:-2], q.shape[-2], k.shape[-2])
    z = _score_lists(_rows(q, acc), _kv_rows(k, q.shape[:-2], acc), g, a, acc, bl)
    return _finish(_flatten3(z), q.shape[:-1] + (k.shape[-2],), acc)


def loop_inhibit(v, z, *, signed=False, acc_dtype=None) -> np.ndarray:
    v, z = _ref._as_array(v, "v", 2), _ref._as_array(z, "z", 2)
    tv, tz = _ref._input_type(v, "v"), _ref._input_type(z, "z")
    _ref._check_inhibit_shapes(v, z)
    acc = _ref._resolve_acc(acc_dtype, [("v", v, tv), ("z", z, tz)])
    h = _inhibit_lists(_kv_rows(v, z.shape[:-2], acc), _rows(z, acc), signed, None, acc)
    return _finish(_flatten3(h), z.shape[:-1] + (v.shape[-1],), acc)


def loop_attention(q, k, v, *, gamma=1, alpha=0, signed=False, mask=None, causal=False,
                   bias=None, acc_dtype=None, causal_offset=0) -> np.ndarray:
    v = _ref._as_array(v, "v", 2)
    tv = _ref._input_type(v, "v")
    q, k, acc, _, _ = _ref._prepare_score(q, k, gamma, alpha, acc_dtype, extra=[("v", v, tv)])
    _ref._check_batch(("k", k), ("v", v))
    N, M = q.shape[-2], k.shape[-2]
    batch = q.shape[:-2]
    if k.shape[-2] != v.shape[-2]:
        raise ValueError(f"k and v disagree on M: k {k.shape}, v {v.shape}")
    ml = None
    if mask is not None:
        full = _ref._resolve_mask(mask, False, batch, N, M)  # validation + broadcast
        ml = full.reshape(_ref._prod(batch), N, M).tolist()
    if causal:
        if ml is None:
            ml = [[[True] * M for _ in range(N)] for _ in range(_ref._prod(batch))]
        ml = [[[row[j] and j <= i + causal_offset for j in range(M)] for i, row in enumerate(mb)]
              for mb in ml]
    z = loop_manhattan_score(q, k, gamma=gamma, alpha=alpha, bias=bias, acc_dtype=acc.name)
    h = _inhibit_lists(_kv_rows(v, batch, acc), _rows(z, acc), signed, ml, acc)
    return _finish(_flatten3(h), batch + (N, v.shape[-1]), acc)
