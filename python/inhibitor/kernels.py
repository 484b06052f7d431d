"""The fused attention kernel from NumPy: generate, compile once, run.

``attention`` takes the arguments of :func:`inhibitor.reference.attention`
(same checks, same defaults, same result), writes the ``inhibitor.attention``
op for the shapes and types at hand, compiles it with ``--inhibitor-to-llvm``
(cached per shapes, types and options) and runs it.
"""

import numbers
import warnings

import numpy as np

from . import reference as _ref
from . import widths as _widths
from .jit import compile as _compile

_MLIR_TYPES = {
    "int8": "i8", "int16": "i16", "int32": "i32", "int64": "i64",
    "float16": "f16", "float32": "f32", "float64": "f64",
}


def _tensor(shape, element):
    return "tensor<" + "".join(f"{n}x" for n in shape) + element + ">"


def _constant(value, element, kind):
    if kind == "i":
        return f"{int(value)} : {element}"
    return f"{float(value):.17e} : {element}"


def attention_mlir(q_shape, k_shape, v_shape, q_type, v_type, acc_type, *, gamma=1,
                   alpha=0, signed=False, mask_shape=None, causal=False, bias_shape=None,
                   extra_attrs=None, causal_offset=0):
    """The MLIR text of one ``inhibitor.attention`` as ``func.func @attention``
    (element types are MLIR's: 'i16', 'f32', ...).  K and V may have fewer
    heads than Q (grouped heads); ``bias_shape`` adds a ``bias`` operand of the
    accumulator type (after the mask, if any); ``causal_offset`` (with
    ``causal``, not 0) a constant ``causal_offset`` operand (pairs j <= i + d);
    ``extra_attrs`` (text) is added to the op's attribute dictionary (e.g. the
    approximate filter's, :func:`inhibitor.approx.filter_attributes`)."""
    kind = "i" if acc_type.startswith("i") else "f"
    batch, n, e = q_shape[:-2], q_shape[-2], v_shape[-1]
    h_type = _tensor(batch + (n, e), acc_type)
    args = [f"%q: {_tensor(q_shape, q_type)}", f"%k: {_tensor(k_shape, q_type)}",
            f"%v: {_tensor(v_shape, v_type)}"]
    if mask_shape is not None:
        args.append(f"%mask: {_tensor(mask_shape, 'i1')}")
    if bias_shape is not None:
        args.append(f"%bias: {_tensor(bias_shape, acc_type)}")
    flags = ("causal " if causal else "") + ("signed " if signed else "")
    attrs = (f"{{alpha = {_constant(alpha, acc_type, kind)}, "
             f"gamma = {_constant(gamma, acc_type, kind)}"
             + (f", {extra_attrs}" if extra_attrs else "") + "}")
    mask = f"\n         mask(%mask : {_tensor(mask_shape, 'i1')})" if mask_shape is not None else ""
    if bias_shape is not None:
        mask += f"\n         bias(%bias : {_tensor(bias_shape, acc_type)})"
    offset = ""
    if causal and causal_offset:
        offset = f"  %offset = arith.constant {int(causal_offset)} : index\n"
        mask += "\n         causal_offset(%offset)"
    return (
        f"func.func @attention({', '.join(args)}) -> {h_type} {{\n"
        f"  %init = tensor.empty() : {h_type}\n{offset}"
        f"  %h = inhibitor.attention {flags}{attrs}\n"
        f"         ins(%q, %k, %v : {_tensor(q_shape, q_type)}, {_tensor(k_shape, q_type)}, "
        f"{_tensor(v_shape, v_type)}){mask}\n"
        f"         outs(%init : {h_type}) -> {h_type}\n"
        f"  return %h : {h_type}\n"
        f"}}\n")


def _signed_bits(x):
    """The fewest bits of a signed integer type holding x."""
    return (x if x >= 0 else -x - 1).bit_length() + 1


def _integer_accumulator(q, k, v, tq, tv, gamma, alpha, signed, mask, causal, acc_dtype,
                         check_overflow, bias=None):
    """The accumulator dtype for integer inputs: the one asked for, checked
    when ``check_overflow``; else the narrowest one proven exact. An integer
    ``bias`` counts as an input of its dtype (Python ints: of the narrowest
    signed dtype holding its values)."""
    if q.ndim < 2 or k.ndim < 2 or v.ndim < 2 or q.shape[-1] != k.shape[-1]:
        return acc_dtype  # the shape checks that follow report it
    bad = [g for g in (gamma, alpha) if isinstance(g, (bool, np.bool_))
           or not isinstance(g, numbers.Integral)]
    if bad or gamma <= 0 or alpha < 0:
        return acc_dtype  # _check_gamma_alpha reports it
    n, m, d = q.shape[-2], k.shape[-2], q.shape[-1]
    bias_bits = 0
    if bias is not None:
        b = np.asarray(bias)
        if b.dtype.kind not in "iu" or b.size == 0:
            return acc_dtype  # the bias checks report it (or it adds nothing)
        if b.dtype.kind == "i" and b.dtype != np.int64:
            bias_bits = b.dtype.itemsize * 8
        else:
            # Python ints (int64) and unsigned arrays: by the values they hold.
            bias_bits = min(64, max(_signed_bits(int(b.min())), _signed_bits(int(b.max()))))
    bits = _widths.attention_accumulator_bits(
        tq.bits, tv.bits, n, m, d, gamma=gamma, alpha=alpha, signed=signed, causal=causal,
        masked=mask is not None, bias_bits=bias_bits)
    what = (f"{tq.name} q/k and {tv.name} v, N = {n}, M = {m}, D = {d}, gamma = {gamma}, "
            f"alpha = {alpha}, {'signed' if signed else 'unsigned'}"
            f"{', causal' if causal else ''}{', masked' if mask is not None else ''}")
    if acc_dtype is None:
        if bits:
            return _widths.integer_dtype(bits)
        if check_overflow:
            raise _widths.AccumulatorOverflowError(
                f"no integer accumulator up to int64 holds attention of {what} exactly")
        warnings.warn(f"no integer accumulator up to int64 holds attention of {what} "
                      "exactly; computing in int64, which wraps where values need more",
                      RuntimeWarning, stacklevel=3)
        return np.dtype(np.int64)
    acc = _ref._parse_acc(acc_dtype)
    if acc.kind != "i" or acc.bits < max(tq.bits, tv.bits):
        return acc_dtype  # _resolve_acc reports it
    if not bits or acc.bits < bits:
        need = f"int{bits} is the narrowest that does" if bits else "none up to int64 does"
        raise _widths.AccumulatorOverflowError(
            f"accumulator {acc.name} can overflow for attention of {what}: {need} "
            "(check_overflow=True)")
    return acc_dtype


def attention(q, k, v, *, gamma=1, alpha=0, signed=False, mask=None, causal=False,
              bias=None, acc_dtype=None, pipeline=None, check_overflow=False,
              approx_thresholds=None, approx_shift=0, approx_head_dim=0, causal_offset=0):
    """H = inhibit(v, manhattan_score(q, k)), compiled and run on the CPU.

    Arguments and result as :func:`inhibitor.reference.attention`: q [b..., N, D],
    k [bkv..., M, D] of one dtype, v [bkv..., M, E] (bkv... the query's batch
    dims or grouped heads: each dim 1 or a divisor of the query's); mask bool,
    broadcastable to [b..., N, M] (True = attend); bias additive, broadcastable
    to [b..., N, M] (the accumulator dtype for ints; float -inf excludes a
    pair); causal: pairs j <= i + causal_offset (0: top-left aligned, as
    PyTorch's is_causal; M - N: bottom-right, a KV cache). Integer results
    are bit-exact with the reference for the same accumulator.

    acc_dtype: the accumulator. Default: for integer inputs the narrowest
    signed integer type that the range analysis proves exact for the input
    dtypes and shapes (no intermediate can wrap: the exact result, for any
    values; :func:`inhibitor.widths.attention_accumulator_bits`; an integer
    bias counts as an input of its dtype), int64 when none is (64-bit inputs;
    then a warning says that it can wrap); for floats the widest input type.
    An explicit integer accumulator wraps modulo 2^width where the values
    need more (SPEC section 2).
    check_overflow: raise :class:`inhibitor.widths.AccumulatorOverflowError`
    (before compiling) when the accumulator can overflow for some inputs of
    these dtypes and shapes.
    ``pipeline``: options of --inhibitor-to-llvm (see :func:`inhibitor.compile`).
    approx_thresholds: the approximate key filter (docs/KeySkipping.md,
    :mod:`inhibitor.approx`): per head of batch dim ``approx_head_dim`` (or
    one for all), pairs whose low-precision score (``approx_shift`` low bits
    dropped) exceeds the threshold are dropped; compiled with
    ``approximate-filter=true``. The result equals
    :func:`inhibitor.approx.attention`, not the reference's.
    Raises ValueError/TypeError for bad arguments (before compiling anything).
    """
    q = _ref._as_array(q, "q", 2)
    k = _ref._as_array(k, "k", 2)
    v = _ref._as_array(v, "v", 2)
    if isinstance(causal_offset, (bool, np.bool_)) or not isinstance(causal_offset,
                                                                     numbers.Integral):
        raise TypeError(f"causal_offset must be an integer, got {causal_offset!r}")
    if causal_offset and not causal:
        raise ValueError("causal_offset needs causal=True")
    if causal_offset and approx_thresholds is not None:
        raise ValueError("the approximate filter (inhibitor.approx.attention) takes no "
                         "causal_offset")
    tq, tk, tv = _ref._input_type(q, "q"), _ref._input_type(k, "k"), _ref._input_type(v, "v")
    if q.dtype != k.dtype:
        raise ValueError(f"q and k must share one dtype, got q {q.dtype.name}, k {k.dtype.name}")
    chosen = acc_dtype is None
    if tq.kind == "i" and tv.kind == "i" and (acc_dtype is None or check_overflow):
        # A moved diagonal bounds the keys per row as an unknown mask does.
        moved = bool(causal) and causal_offset != 0
        acc_dtype = _integer_accumulator(q, k, v, tq, tv, gamma, alpha, signed,
                                         True if moved and mask is None else mask,
                                         causal and not moved, acc_dtype, check_overflow, bias)
    acc = _ref._resolve_acc(acc_dtype, [("q", q, tq), ("k", k, tk), ("v", v, tv)])
    if acc.is_bf16:
        raise ValueError("inhibitor.attention does not take a bfloat16 accumulator; "
                         "write the op with bf16 tensors and use inhibitor.compile")
    _ref._check_gamma_alpha(gamma, alpha, acc)
    if not (q.ndim == k.ndim == v.ndim):
        raise ValueError(f"batch dims differ: q {q.shape}, k {k.shape}, v {v.shape} "
                         "have different ranks")
    _ref._group_kv(q.shape[:-2], [("k", k), ("v", v)])  # checks only
    if q.shape[-1] != k.shape[-1]:
        raise ValueError(f"q [..., N, D] and k [..., M, D] disagree on D: q {q.shape}, k {k.shape}")
    if k.shape[-2] != v.shape[-2]:
        raise ValueError(f"k [..., M, D] and v [..., M, E] disagree on M: k {k.shape}, v {v.shape}")
    batch, n, m = q.shape[:-2], q.shape[-2], k.shape[-2]
    args = [q, k, v]
    mask_shape = None
    if mask is not None:
        # Broadcast (and check) here; the kernel takes the full [b..., N, M].
        full = _ref._resolve_mask(mask, False, batch, n, m)
        args.append(np.ascontiguousarray(full, dtype=np.bool_))
        mask_shape = full.shape
    bias_shape = None
    if bias is not None:
        if chosen and acc.kind == "i" and np.asarray(bias).dtype.kind in "iu":
            # The accumulator picked for it holds every value of the bias.
            bias = np.asarray(bias).astype(acc.storage)
        # Rounded to the accumulator type, checked and broadcast like the mask.
        full = _ref._resolve_bias(bias, acc, batch, n, m)
        args.append(np.ascontiguousarray(full, dtype=acc.storage))
        bias_shape = full.shape
    extra = None
    if approx_thresholds is not None:
        from . import approx as _approx
        _approx._threshold_array(approx_thresholds, batch, approx_head_dim, acc)  # checks
        extra = _approx.filter_attributes(approx_thresholds, approx_shift, approx_head_dim,
                                          integer=acc.kind == "i")
        pipeline = with_approximate_filter(pipeline)
    text = attention_mlir(q.shape, k.shape, v.shape, _MLIR_TYPES[tq.name], _MLIR_TYPES[tv.name],
                          _MLIR_TYPES[acc.name], gamma=gamma, alpha=alpha, signed=bool(signed),
                          mask_shape=mask_shape, causal=bool(causal), bias_shape=bias_shape,
                          extra_attrs=extra, causal_offset=int(causal_offset))
    return _compile(text, pipeline)(*args)


def with_approximate_filter(pipeline):
    """Options of ``--inhibitor-to-llvm`` with ``approximate-filter=true``
    added."""
    if pipeline is not None and pipeline.lstrip().startswith("builtin.module("):
        raise ValueError("the approximate filter needs inhibitor-to-llvm options as the "
                         "pipeline, not a whole pass pipeline")
    return ((pipeline + " ") if pipeline else "") + "approximate-filter=true"
