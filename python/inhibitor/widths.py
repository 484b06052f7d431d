"""Which integer accumulator holds inhibitor attention exactly.

The bounds are those of ``--inhibitor-check-overflow`` (one C++
implementation, ``inhibitor/Analysis/IntegerBounds.h``, reached through the
C API's ``inhibitorAttentionAccumulatorBits``); docs/IntegerWidths.md states
them as formulas.  :func:`inhibitor.attention` uses them to pick its default
accumulator and for ``check_overflow=True``.
"""

import numpy as np

from . import _capi

__all__ = ["attention_accumulator_bits", "check_overflow", "AccumulatorOverflowError"]


class AccumulatorOverflowError(OverflowError):
    """An integer accumulator can overflow for some inputs of the given dtypes
    and shapes (raised before anything is compiled)."""


def attention_accumulator_bits(qk_bits, v_bits, n, m, d, *, gamma=1, alpha=0, signed=False,
                               causal=False, masked=False, bias_bits=0):
    """The narrowest of 8, 16, 32 and 64 bits, no narrower than the inputs,
    whose signed accumulator computes integer attention exactly for all
    inputs of ``qk_bits``-bit Q and K and ``v_bits``-bit V ([N, D], [M, D],
    [M, E]); 0 when none does (64-bit inputs: their differences need 65 bits).

    ``masked``: a mask whose values are not known (any key may be masked).
    """
    for name, value in (("n", n), ("m", m), ("d", d)):
        if int(value) < 0:
            raise ValueError(f"{name} must be >= 0, got {value}")
    shape = _capi.AttentionShape(
        queryKeyBits=int(qk_bits), valueBits=int(v_bits), biasBits=int(bias_bits),
        queries=int(n), keys=int(m), headDim=int(d), gamma=int(gamma), alpha=int(alpha),
        isSigned=bool(signed), causal=bool(causal), masked=bool(masked))
    return int(_capi.lib().inhibitorAttentionAccumulatorBits(shape))


def integer_dtype(bits):
    """The NumPy signed integer dtype of ``bits`` bits."""
    return np.dtype(f"int{bits}")


def check_overflow(mlir_text, options=""):
    """Runs ``--inhibitor-check-overflow`` (with ``options``, e.g.
    ``"input-bits=8 max-dim=512"``) on MLIR text.

    Returns ``(ok, messages)``: ``ok`` is False when the pass failed (with
    ``fail=true``, an intermediate can overflow); ``messages`` are the
    warnings, errors and remarks it emitted, in order.
    """
    from . import jit

    c = _capi.lib()
    with jit._lock:
        if jit._session is None:
            jit._session = jit._Session()
        session = jit._session
        session.take_diagnostics()
        module = c.mlirModuleCreateParse(session.ctx, _capi.StringRef.of(mlir_text))
        if not module:
            raise jit.CompileError("the MLIR text does not parse or verify",
                                   session.take_diagnostics())
        pm = c.mlirPassManagerCreate(session.ctx)
        try:
            errors = []
            pipeline = f"builtin.module(inhibitor-check-overflow{{{options}}})"
            parsed = c.mlirParsePassPipeline(
                c.mlirPassManagerGetAsOpPassManager(pm), _capi.StringRef.of(pipeline),
                _capi.StringCallback(lambda s, _: errors.append(s.str())), None)
            if parsed.failed():
                raise ValueError(f"bad options {options!r}: {''.join(errors).strip()}")
            ok = not c.mlirPassManagerRunOnOp(pm, c.mlirModuleGetOperation(module)).failed()
        finally:
            c.mlirPassManagerDestroy(pm)
            c.mlirModuleDestroy(module)
        return ok, session.take_diagnostics()
