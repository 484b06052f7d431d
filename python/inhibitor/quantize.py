"""Integer inference of float Inhibitor attention (``--inhibitor-quantize``).

The pass turns a float ``inhibitor.attention`` into the integer op between
quantize and dequantize steps; this module states the same arithmetic in
NumPy and runs the compiled form:

- :func:`parameters` derives what the pass derives from a scale: the Q/K
  step, the integer gamma and alpha (:class:`Parameters`);
- :func:`attention` is the bit-exact NumPy mirror of the quantized kernel
  (quantize in float32, integer attention by :mod:`inhibitor.reference`,
  dequantize in float32);
- :func:`error_bound` is the pass's bound on ``|H_int - H / s|`` in units
  of the scale (docs/Quantization.md derives it);
- :func:`compiled_attention` writes the float op with the scales as
  attributes, compiles it with ``inhibitor-quantize`` then
  ``inhibitor-to-llvm`` and runs it on float32 arrays;
- :func:`scales_from_ranges` picks the scales from calibrated ranges.

Only NumPy is needed, plus libInhibitorCAPI.so for :func:`compiled_attention`.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np

from . import reference as _ref

__all__ = ["ROUNDING_MODES", "Parameters", "parameters", "quantize_array", "attention",
           "error_bound", "excess", "accumulator_bits", "scales_from_ranges", "compiled_attention",
           "quantized_attention_mlir"]

#: The pass's ``rounding`` option values.
ROUNDING_MODES = ("nearest", "nearest-away", "floor", "toward-zero")


def _qmax(bits):
    if bits not in (8, 16):
        raise ValueError(f"bits must be 8 or 16, got {bits!r}")
    return (1 << (bits - 1)) - 1


def _round_host(x, rounding):
    if rounding == "nearest":
        return float(np.rint(x))
    if rounding == "nearest-away":
        return float(math.copysign(math.floor(abs(x) + 0.5), x))
    if rounding == "floor":
        return float(math.floor(x))
    if rounding == "toward-zero":
        return float(math.trunc(x))
    raise ValueError(f"rounding must be one of {', '.join(ROUNDING_MODES)}, got {rounding!r}")


@dataclasses.dataclass(frozen=True)
class Parameters:
    """The integer form of one attention: ``H ~= scale * H_int``."""
    bits: int
    scale: float          # s: one integer unit of V, Z, H and alpha
    qk_scale: float       # t = gamma * s / g: one integer unit of Q and K
    gamma: int            # g, the integer gamma
    alpha: int            # alpha / s, rounded
    alpha_error: float    # |alpha / s - alpha_int|
    rounding: str
    rounding_bound: float  # max |x_int - x / step| of one element (no saturation)

    @property
    def qmax(self):
        return _qmax(self.bits)


def parameters(gamma, alpha, scale, qk_scale=None, *, bits=8, rounding="nearest"):
    """What ``--inhibitor-quantize`` derives for a float op with ``gamma``,
    ``alpha`` and the scales (``qk_scale`` None: the scale). Raises
    ValueError where the pass reports an error."""
    qmax = _qmax(bits)
    _round_host(0.0, rounding)  # checks the mode
    for name, v in (("scale", scale), ("qk_scale", qk_scale)):
        if v is not None and not (float(v) > 0 and math.isfinite(float(v))):
            raise ValueError(f"{name} must be a positive finite number, got {v}")
    s = float(scale)
    t0 = s if qk_scale is None else float(qk_scale)
    ratio = float(gamma) * s / t0
    g = max(1.0, math.floor(ratio * (1 + 1e-9)))
    a = _round_host(float(alpha) / s, rounding)
    nearest = rounding in ("nearest", "nearest-away")
    # Float rounding of x / step in float32 (the pass's compute type for f32).
    r = (0.5 if nearest else 1.0) + 2 * qmax * 2.0 ** -24
    return Parameters(bits=bits, scale=s, qk_scale=float(gamma) * s / g, gamma=int(g),
                      alpha=int(a), alpha_error=abs(float(alpha) / s - a), rounding=rounding,
                      rounding_bound=r)


def quantize_array(x, step, bits, rounding="nearest"):
    """``clamp(round(x / step), -qmax, qmax)`` computed in float32 as the pass
    does, as int8/int16."""
    qmax = _qmax(bits)
    y = np.asarray(x, dtype=np.float32) / np.float32(step)
    if rounding == "nearest":
        y = np.rint(y)
    elif rounding == "nearest-away":
        t = np.trunc(y)
        y = t + np.where(np.abs(y - t) >= 0.5, np.sign(y), 0).astype(np.float32)
    elif rounding == "floor":
        y = np.floor(y)
    elif rounding == "toward-zero":
        y = np.trunc(y)
    else:
        raise ValueError(f"rounding must be one of {', '.join(ROUNDING_MODES)}, got {rounding!r}")
    y = np.clip(y, -qmax, qmax)
    return y.astype(np.int8 if bits == 8 else np.int16)


def accumulator_bits(d, m, p: Parameters):
    """The pass's ``acc-bits=0`` choice: the narrowest of 16, 32, 64 bits
    holding every intermediate of the quantized attention for key count
    ``m`` and head size ``d`` (32 when either is None: dynamic)."""
    if d is None or m is None:
        return 32
    total = 2 * p.qmax * d
    need = max(total, p.qmax + total // p.gamma, m * p.qmax, p.alpha)
    for w in (16, 32, 64):
        if w >= p.bits and need <= 2 ** (w - 1) - 1:
            return w
    raise ValueError(f"quantized intermediates reach {need}, beyond a 64-bit accumulator")


def error_bound(d, m, p: Parameters, *, qk_excess=0.0, v_excess=0.0):
    """Bound on ``|H_int - H / s|`` (units of the scale) for head size ``d``
    and ``m`` keys::

        M (r_v + e_a + (2 r_qk D + g - 1) / g)

    with ``r_qk = r + qk_excess`` and ``r_v = r + v_excess``: inputs beyond
    ``qmax`` steps saturate, which adds their excess (:func:`excess`; 0 for
    data within the calibrated range) to the rounding error of one element.
    """
    r_qk = p.rounding_bound + qk_excess
    r_v = p.rounding_bound + v_excess
    return m * (r_v + p.alpha_error + (2 * r_qk * d + p.gamma - 1) / p.gamma)


def excess(x, step, bits):
    """How far (in steps) the largest ``|x|`` lies beyond ``qmax`` steps:
    the saturation a quantization with ``step`` clips off (0 if none)."""
    x = np.asarray(x)
    if not x.size:
        return 0.0
    return max(0.0, float(np.max(np.abs(x.astype(np.float64)))) / step - _qmax(bits))


def attention(q, k, v, p: Parameters, *, signed=False, mask=None, causal=False, acc_bits=None,
              approx_thresholds=None, approx_shift=0, approx_head_dim=0):
    """The quantized attention of float32 ``q, k, v`` exactly as the compiled
    kernel computes it (float32 result, bit-exact), with the approximate
    filter of :func:`compiled_attention` where ``approx_thresholds`` is given."""
    qi = quantize_array(q, p.qk_scale, p.bits, p.rounding)
    ki = quantize_array(k, p.qk_scale, p.bits, p.rounding)
    vi = quantize_array(v, p.scale, p.bits, p.rounding)
    w = acc_bits or accumulator_bits(q.shape[-1], k.shape[-2], p)
    acc = {16: np.int16, 32: np.int32, 64: np.int64}[w]
    if approx_thresholds is not None:
        from . import approx as _approx
        h = _approx.attention(qi, ki, vi, approx_thresholds, shift=approx_shift,
                              head_dim=approx_head_dim, gamma=p.gamma, alpha=p.alpha,
                              signed=signed, mask=mask, causal=causal, acc_dtype=acc)
        return h.astype(np.float32) * np.float32(p.scale)
    h = _ref.attention(qi, ki, vi, gamma=p.gamma, alpha=p.alpha, signed=signed, mask=mask,
                       causal=causal, acc_dtype=acc)
    return h.astype(np.float32) * np.float32(p.scale)


def scales_from_ranges(qk_absmax, v_absmax, gamma, bits):
    """(scale, qk_scale) from the largest ``|Q|, |K|`` and ``|V|`` seen: each
    range maps onto ``qmax`` steps; the scale is raised to ``qk_scale /
    gamma`` where needed so that the integer gamma is at least 1 without
    saturating Q and K."""
    qmax = _qmax(bits)
    t0 = float(qk_absmax) / qmax
    s = max(float(v_absmax) / qmax, t0 / float(gamma))
    if not s > 0:          # all zeros: any scale is exact
        s = t0 = 1.0
    if not t0 > 0:
        t0 = s
    return s, t0


def quantized_attention_mlir(q_shape, k_shape, v_shape, *, gamma, alpha, signed, scale,
                             qk_scale, mask_shape=None, causal=False, extra_attrs=None):
    """The float32 ``inhibitor.attention`` function with the scales as the
    ``inhibitor.quant_scale`` / ``inhibitor.quant_qk_scale`` attributes
    (``extra_attrs``: more attributes, as text)."""
    from .kernels import attention_mlir
    text = attention_mlir(tuple(q_shape), tuple(k_shape), tuple(v_shape), "f32", "f32", "f32",
                          gamma=gamma, alpha=alpha, signed=signed, mask_shape=mask_shape,
                          causal=causal, extra_attrs=extra_attrs)
    marker = "{alpha = "
    if text.count(marker) != 1:
        raise AssertionError("unexpected attention_mlir text")
    return text.replace(marker, f"{{inhibitor.quant_scale = {float(scale):.17e} : f64, "
                                f"inhibitor.quant_qk_scale = {float(qk_scale):.17e} : f64, "
                                "alpha = ")


def _filter_text(thresholds, shift, head_dim):
    if thresholds is None:
        return None
    from . import approx as _approx
    return _approx.filter_attributes(thresholds, shift, head_dim, integer=True)


def quantize_pipeline(bits, rounding="nearest", acc_bits=0, pipeline=None):
    """The textual pipeline: ``inhibitor-quantize`` then ``inhibitor-to-llvm``
    (with ``pipeline``, its options)."""
    _qmax(bits)
    _round_host(0.0, rounding)
    llvm = "inhibitor-to-llvm" + (f"{{{pipeline}}}" if pipeline else "")
    return (f"builtin.module(inhibitor-quantize{{bits={bits} rounding={rounding} "
            f"acc-bits={int(acc_bits)}}}, {llvm})")


def compiled_attention(q, k, v, *, gamma, alpha=0.0, signed=False, scale, qk_scale=None,
                       bits=8, rounding="nearest", acc_bits=0, mask=None, causal=False,
                       pipeline=None, approx_thresholds=None, approx_shift=0,
                       approx_head_dim=0):
    """Runs float32 ``q [b..., N, D], k [b..., M, D], v [b..., M, E]``
    through the compiled quantized kernel: quantize, integer attention,
    dequantize, all in one compiled function. Returns float32 ``H``.
    ``pipeline``: options of ``inhibitor-to-llvm``.
    ``approx_thresholds``: the approximate key filter on the *integer* op
    (thresholds in units of the integer Q/K, ``approx_shift`` of its
    ``bits``; :mod:`inhibitor.approx`): the float op carries the attributes,
    ``--inhibitor-quantize`` keeps them on the integer op and
    ``approximate-filter=true`` applies them there. The result then equals
    :func:`attention` with the same filter."""
    from .jit import compile as _compile
    arrays = [np.ascontiguousarray(a, dtype=np.float32) for a in (q, k, v)]
    for name, a in zip("qkv", arrays):
        if a.ndim < 2:
            raise ValueError(f"{name}: expected at least 2 dims, got shape {a.shape}")
    batch, n, m = arrays[0].shape[:-2], arrays[0].shape[-2], arrays[1].shape[-2]
    mask_shape = None
    if mask is not None:
        full = _ref._resolve_mask(mask, False, batch, n, m)
        arrays.append(np.ascontiguousarray(full, dtype=np.bool_))
        mask_shape = full.shape
    text = quantized_attention_mlir(arrays[0].shape, arrays[1].shape, arrays[2].shape,
                                    gamma=gamma, alpha=alpha, signed=signed, scale=scale,
                                    qk_scale=scale if qk_scale is None else qk_scale,
                                    mask_shape=mask_shape, causal=causal,
                                    extra_attrs=_filter_text(approx_thresholds, approx_shift,
                                                             approx_head_dim))
    if approx_thresholds is not None:
        from .kernels import with_approximate_filter
        pipeline = with_approximate_filter(pipeline)
    kernel = _compile(text, quantize_pipeline(bits, rounding, acc_bits, pipeline))
    return kernel(*arrays)
