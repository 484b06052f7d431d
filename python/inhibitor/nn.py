"""PyTorch front end: Inhibitor attention as a ``torch.nn.Module``.

- :func:`inhibitor_attention` is the mechanism in differentiable PyTorch ops,
  the paper's cdist formulation (arXiv 2310.02041, appendix eq. 7-8):
  ``Z = relu(cdist(Q, K, p=1) / gamma - alpha)``, then the unsigned (eq. 4)
  or signed (eq. 5) inhibition of ``V`` summed over the keys.  It is what
  training and distillation run (float, autograd).
- :class:`InhibitorAttention` is a multi-head attention layer (query, key,
  value and output projections, like ``torch.nn.MultiheadAttention`` with
  ``batch_first=True``) around that mechanism.  Its inference path (no
  gradient needed, CPU float32 tensors) runs the compiled, fused
  ``inhibitor.attention`` kernel instead (:func:`inhibitor.attention`).

Masks follow ``torch.nn.functional.scaled_dot_product_attention`` and the
compiler's SPEC: a bool mask broadcastable to ``[..., N, M]`` with
``True`` = attend; ``is_causal`` attends ``(i, j)`` only where ``j <= i``.
A masked-out pair contributes nothing (its ``Z`` is ``+inf``); a row with no
attended key gives 0.

Importing this module needs PyTorch (Debian's ``python3-torch``); the rest of
the package does not.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import torch
import torch.nn.functional as F

from . import approx as _approx
from . import kernels as _kernels
from . import quantize as _quant

__all__ = ["inhibitor_attention", "InhibitorAttention", "Calibration", "Quantization",
           "ApproxFilter", "calibrate", "quantize", "calibrate_filter", "attention_modules"]


def _check_mechanism_args(q, k, v, gamma, alpha, attn_mask):
    for name, t in (("query", q), ("key", k), ("value", v)):
        if not isinstance(t, torch.Tensor):
            raise TypeError(f"{name}: expected a torch.Tensor, got {type(t).__name__}")
        if t.dim() < 2:
            raise ValueError(f"{name}: expected at least 2 dims [..., L, D], got shape {tuple(t.shape)}")
        if not t.is_floating_point():
            raise TypeError(f"{name}: expected a floating-point tensor, got {t.dtype}")
    if not (q.dim() == k.dim() == v.dim()) or not (q.shape[:-2] == k.shape[:-2] == v.shape[:-2]):
        raise ValueError("query [..., N, D], key [..., M, D] and value [..., M, E] must have the same "
                         f"batch dims, got {tuple(q.shape)}, {tuple(k.shape)}, {tuple(v.shape)}")
    if q.shape[-1] != k.shape[-1]:
        raise ValueError(f"query [..., N, D] and key [..., M, D] disagree on D: "
                         f"{tuple(q.shape)}, {tuple(k.shape)}")
    if k.shape[-2] != v.shape[-2]:
        raise ValueError(f"key [..., M, D] and value [..., M, E] disagree on M: "
                         f"{tuple(k.shape)}, {tuple(v.shape)}")
    if not (float(gamma) > 0 and math.isfinite(float(gamma))):
        raise ValueError(f"gamma must be a positive finite number, got {gamma}")
    if not (float(alpha) >= 0 and math.isfinite(float(alpha))):
        raise ValueError(f"alpha must be a non-negative finite number, got {alpha}")
    if attn_mask is not None:
        if not isinstance(attn_mask, torch.Tensor) or attn_mask.dtype != torch.bool:
            raise TypeError("attn_mask: expected a bool tensor (True = attend)")
        target = torch.Size(tuple(q.shape[:-1]) + (k.shape[-2],))
        try:
            ok = torch.broadcast_shapes(attn_mask.shape, target) == target
        except RuntimeError:
            ok = False
        if not ok:
            raise ValueError(f"attn_mask of shape {tuple(attn_mask.shape)} does not broadcast to "
                             f"[..., N, M] = {list(target)}")


def _attend(q, k, attn_mask, is_causal):
    """The bool [..., N, M] attend mask, or None when every pair attends."""
    n, m = q.shape[-2], k.shape[-2]
    mask = None
    if is_causal:
        mask = torch.ones(n, m, dtype=torch.bool, device=q.device).tril()
    if attn_mask is not None:
        mask = attn_mask if mask is None else (attn_mask & mask)
    return mask


def inhibitor_attention(query, key, value, *, gamma=1.0, alpha=0.0, signed=False,
                        attn_mask=None, is_causal=False, key_chunk=None):
    """Inhibitor attention in differentiable PyTorch ops (float).

    ``query [..., N, D]``, ``key [..., M, D]``, ``value [..., M, E]`` with equal
    batch dims; returns ``H [..., N, E]``::

        Z[i, j] = relu(sum_d |Q[i, d] - K[j, d]| / gamma - alpha)
        H[i, e] = sum_j relu(V[j, e] - Z[i, j])                          (unsigned)
        H[i, e] = sum_j relu(V+[j, e] - Z[i, j]) + min(V-[j, e] + Z[i, j], 0)  (signed)

    The same function as :func:`inhibitor.reference.attention` (computed in
    the tensors' dtype).  ``key_chunk`` bounds the ``[..., N, chunk, E]``
    intermediate of the inhibition (default: all keys at once); the result
    and its gradient do not depend on it.
    """
    _check_mechanism_args(query, key, value, gamma, alpha, attn_mask)
    z = torch.relu(torch.cdist(query, key, p=1) / gamma - alpha)  # [..., N, M]
    mask = _attend(query, key, attn_mask, is_causal)
    if mask is not None:
        z = z.masked_fill(~mask, math.inf)
    m = key.shape[-2]
    step = m if not key_chunk else max(1, int(key_chunk))
    out = None
    for j0 in range(0, max(m, 1), step):
        zc = z[..., j0:j0 + step].unsqueeze(-1)          # [..., N, c, 1]
        vc = value[..., j0:j0 + step, :].unsqueeze(-3)   # [..., 1, c, E]
        if signed:
            terms = torch.relu(vc.clamp(min=0) - zc) + torch.clamp(vc.clamp(max=0) + zc, max=0)
        else:
            terms = torch.relu(vc - zc)
        part = terms.sum(-2)
        out = part if out is None else out + part
    if out is None:  # M == 0
        out = value.new_zeros(tuple(query.shape[:-1]) + (value.shape[-1],))
    return out


class InhibitorAttention(torch.nn.Module):
    """Multi-head Inhibitor attention (arXiv 2310.02041) for training and inference.

    ``forward(query, key=None, value=None, attn_mask=None, is_causal=False)``
    takes ``[B, N, embed_dim]`` inputs (key and value default to query: self
    attention) and returns ``[B, N, embed_dim]``: projections, per-head
    :func:`inhibitor_attention`, output projection.

    Options:
      - ``gamma`` (default ``head_dim``: the score is the *mean* absolute
        difference, so ``Z`` and ``V`` start on one scale whatever the head
        size; see "Initialization" below), ``alpha`` (default 0),
        ``signed`` (default True: eq. 5, keeps the sign of V);
      - ``kernel``: ``"auto"`` (default) runs the compiled fused kernel
        whenever no gradient is needed (``torch.no_grad()``/``inference_mode``,
        or inputs and parameters that do not require grad) and the tensors are
        float32 on the CPU, else the PyTorch path; ``"never"`` always runs
        PyTorch; ``"always"`` always runs the kernel and raises if that is not
        possible (gradient required, other dtype or device).
      - ``pipeline``: options of ``--inhibitor-to-llvm`` for the kernel (e.g.
        ``"threads=2"``), see :func:`inhibitor.compile`.
    The two paths compute the same function; float32 results agree to
    rounding (``python/tests/test_nn.py`` checks ``rtol=1e-5`` relative to
    the output's scale).

    Initialization (:meth:`reset_parameters`).  A value passes the
    inhibition only where ``|V| > Z``; everywhere else the ReLU is off and no
    gradient reaches Q and K.  Since the mechanism is positively homogeneous,
    what matters is the ratio of the score to the values at initialization.
    PyTorch's default ``Linear`` init with the paper's ``gamma = sqrt(D)``
    makes ``Z`` about ``1.1 sqrt(D)`` times a typical ``|V|``: almost every
    ReLU is off and a small model often stays at chance (on the task of
    ``python/tests/test_nn_init.py``, 2 of 5 seeds at chance and one at 77%;
    the defaults below reach 100% on all 10 seeds tried).  Hence the defaults: ``gamma = head_dim``, Q and
    K projections from a truncated normal (std 0.02, cut at 2 std), V and
    output projections Xavier-uniform (as ``torch.nn.MultiheadAttention``),
    all biases zero; ``Z`` then starts well below ``|V|`` and gradients
    flow.

    Integer inference: :func:`calibrate` records the ranges of Q, K and V on
    sample batches, :func:`quantize` picks one scale per attention and from
    then on the inference path runs the attention in 8- or 16-bit integers
    (``--inhibitor-quantize``), ``last_path`` saying ``"kernel-int8"`` or
    ``"kernel-int16"``; see ``docs/Quantization.md``.
    """

    def __init__(self, embed_dim, num_heads=1, *, gamma=None, alpha=0.0, signed=True,
                 bias=True, kernel="auto", pipeline=None, device=None, dtype=None):
        super().__init__()
        if embed_dim <= 0 or num_heads <= 0 or embed_dim % num_heads:
            raise ValueError(f"embed_dim ({embed_dim}) must be a positive multiple of "
                             f"num_heads ({num_heads})")
        if kernel not in ("auto", "never", "always"):
            raise ValueError(f"kernel must be 'auto', 'never' or 'always', got {kernel!r}")
        self.embed_dim, self.num_heads = embed_dim, num_heads
        self.head_dim = embed_dim // num_heads
        self.gamma = float(gamma) if gamma is not None else float(self.head_dim)
        self.alpha = float(alpha)
        if not (self.gamma > 0 and math.isfinite(self.gamma)):
            raise ValueError(f"gamma must be a positive finite number, got {gamma}")
        if not (self.alpha >= 0 and math.isfinite(self.alpha)):
            raise ValueError(f"alpha must be a non-negative finite number, got {alpha}")
        self.signed, self.kernel, self.pipeline = bool(signed), kernel, pipeline
        kw = {"device": device, "dtype": dtype}
        self.q_proj = torch.nn.Linear(embed_dim, embed_dim, bias=bias, **kw)
        self.k_proj = torch.nn.Linear(embed_dim, embed_dim, bias=bias, **kw)
        self.v_proj = torch.nn.Linear(embed_dim, embed_dim, bias=bias, **kw)
        self.out_proj = torch.nn.Linear(embed_dim, embed_dim, bias=bias, **kw)
        self.reset_parameters()
        #: "kernel", "kernel-int8", "kernel-int16" or "torch": which path the
        #: last forward ran.
        self.last_path = None
        #: Ranges observed by :func:`calibrate` (a :class:`Calibration`), or None.
        self.calibration = None
        #: The integer inference settings set by :func:`quantize`, or None.
        self.quantization = None
        #: The approximate key filter set by :func:`calibrate_filter`, or None.
        self.approx_filter = None
        self._observing = False
        self._captured = None

    def reset_parameters(self):
        """Q/K projections: truncated normal, std 0.02; V/output projections:
        Xavier-uniform; biases zero (see the class docstring for why)."""
        for proj in (self.q_proj, self.k_proj):
            torch.nn.init.trunc_normal_(proj.weight, std=0.02, a=-0.04, b=0.04)
        for proj in (self.v_proj, self.out_proj):
            torch.nn.init.xavier_uniform_(proj.weight)
        for proj in (self.q_proj, self.k_proj, self.v_proj, self.out_proj):
            if proj.bias is not None:
                torch.nn.init.zeros_(proj.bias)

    def extra_repr(self):
        text = (f"embed_dim={self.embed_dim}, num_heads={self.num_heads}, gamma={self.gamma}, "
                f"alpha={self.alpha}, signed={self.signed}, kernel={self.kernel!r}")
        if self.quantization is not None:
            text += f", quantized=int{self.quantization.bits}"
        return text

    def _split(self, x):
        b, n, _ = x.shape
        return x.reshape(b, n, self.num_heads, self.head_dim).transpose(1, 2)

    def _kernel_blocker(self, tensors):
        """Why the compiled kernel cannot run on ``tensors`` (None if it can)."""
        if torch.is_grad_enabled() and any(t.requires_grad for t in tensors):
            return "a gradient is required (use torch.no_grad() or kernel='never')"
        for t in tensors:
            if t.device.type != "cpu":
                return f"the kernel runs on the CPU, got a tensor on {t.device}"
            if t.dtype != torch.float32:
                return f"the kernel takes float32, got {t.dtype}"
        return None

    def forward(self, query, key=None, value=None, attn_mask=None, is_causal=False):
        key = query if key is None else key
        value = key if value is None else value
        for name, t in (("query", query), ("key", key), ("value", value)):
            if not isinstance(t, torch.Tensor) or t.dim() != 3 or t.shape[-1] != self.embed_dim:
                shape = tuple(t.shape) if isinstance(t, torch.Tensor) else type(t).__name__
                raise ValueError(f"{name}: expected [B, L, {self.embed_dim}], got {shape}")
        if key.shape[:2] != value.shape[:2] or query.shape[0] != key.shape[0]:
            raise ValueError("query [B, N, E], key [B, M, E] and value [B, M, E] disagree: "
                             f"{tuple(query.shape)}, {tuple(key.shape)}, {tuple(value.shape)}")
        q = self._split(self.q_proj(query))
        k = self._split(self.k_proj(key))
        v = self._split(self.v_proj(value))
        mask = attn_mask
        if mask is not None and mask.dim() == 3:
            mask = mask.unsqueeze(1)  # [B, N, M] -> [B, 1, N, M] over the heads
        if self._observing:
            self._observe(q, k, v)
        if getattr(self, "_captured", None) is not None:
            self._captured.append((q.detach().numpy().copy(), k.detach().numpy().copy()))
        blocker = None if self.kernel == "never" else self._kernel_blocker((q, k, v))
        if self.kernel == "always" and blocker:
            raise RuntimeError(f"InhibitorAttention(kernel='always'): {blocker}")
        if self.quantization is not None and not (self.kernel == "never" or blocker):
            self.last_path = f"kernel-int{self.quantization.bits}"
            h = self._run_quantized_kernel(q, k, v, mask, is_causal)
        elif self.kernel == "never" or blocker:
            self.last_path = "torch"
            keep = self._torch_filter_mask(q, k)
            if keep is not None:
                self.last_path = "torch+filter"
                mask = keep if mask is None else (mask & keep)
            h = inhibitor_attention(q, k, v, gamma=self.gamma, alpha=self.alpha,
                                    signed=self.signed, attn_mask=mask, is_causal=is_causal)
        else:
            self.last_path = "kernel"
            h = self._run_kernel(q, k, v, mask, is_causal)
        if getattr(self, "approx_filter", None) is not None and \
                not self.last_path.startswith("torch"):
            self.last_path += "+filter"
        b, _, n, _ = h.shape
        return self.out_proj(h.transpose(1, 2).reshape(b, n, self.embed_dim))

    def _run_kernel(self, q, k, v, mask, is_causal):
        _check_mechanism_args(q, k, v, self.gamma, self.alpha, mask)
        arrays = [np.ascontiguousarray(t.detach().numpy()) for t in (q, k, v)]
        np_mask = None if mask is None else mask.detach().cpu().numpy()
        # No accumulator named: inhibitor.attention's default, the input type
        # for floats (float32 here); the narrowest exact one for integers.
        h = _kernels.attention(*arrays, gamma=self.gamma, alpha=self.alpha, signed=self.signed,
                               mask=np_mask, causal=bool(is_causal), pipeline=self.pipeline,
                               **self._filter_arguments(None))
        return torch.from_numpy(np.ascontiguousarray(h))

    def _observe(self, q, k, v):
        qk = max(float(q.detach().abs().max()) if q.numel() else 0.0,
                 float(k.detach().abs().max()) if k.numel() else 0.0)
        vm = float(v.detach().abs().max()) if v.numel() else 0.0
        c = self.calibration
        self.calibration = Calibration(qk_absmax=max(c.qk_absmax, qk), v_absmax=max(c.v_absmax, vm),
                                       batches=c.batches + 1)

    def _run_quantized_kernel(self, q, k, v, mask, is_causal):
        _check_mechanism_args(q, k, v, self.gamma, self.alpha, mask)
        p = self.quantization
        arrays = [np.ascontiguousarray(t.detach().numpy()) for t in (q, k, v)]
        np_mask = None if mask is None else mask.detach().cpu().numpy()
        h = _quant.compiled_attention(*arrays, gamma=self.gamma, alpha=self.alpha,
                                      signed=self.signed, scale=p.scale, qk_scale=p.qk_scale,
                                      bits=p.bits, rounding=p.rounding, acc_bits=p.acc_bits,
                                      mask=np_mask, causal=bool(is_causal),
                                      pipeline=self.pipeline, **self._filter_arguments(p.bits))
        return torch.from_numpy(np.ascontiguousarray(h))

    def _torch_filter_mask(self, q, k):
        """The keep mask [B, heads, N, M] of a float approximate filter on
        the PyTorch path (no gradient flows through it: the thresholds are
        fixed), or None without one. Computed in the tensors' dtype, so it
        may differ from the kernel's where a score ties its threshold.
        Training with the filter on adapts the model to it, as LATTE does."""
        f = getattr(self, "approx_filter", None)
        if f is None or self._observing or getattr(self, "_captured", None) is not None:
            return None
        if f.bits is not None:
            raise RuntimeError(f"the approximate filter is calibrated for int{f.bits} attention, "
                               "which runs on the kernel path only; on the PyTorch path use a "
                               "float filter (calibrate_filter before quantize)")
        with torch.no_grad():
            scale = 2.0 ** -f.shift
            s = torch.cdist(torch.floor(q * scale), torch.floor(k * scale), p=1)
            t = torch.tensor(f.thresholds, dtype=s.dtype, device=s.device) * scale
            return ~(s > t.view(1, -1, 1, 1))

    def _filter_arguments(self, bits):
        """The kernel's approximate filter arguments (none without a filter);
        raises where the filter was calibrated for another form."""
        f = getattr(self, "approx_filter", None)
        if f is None:
            return {}
        if f.bits != bits:
            raise ValueError(f"the approximate filter was calibrated for "
                             f"{'int' + str(f.bits) if f.bits else 'float'} attention, the module "
                             f"runs {'int' + str(bits) if bits else 'float'}: run calibrate_filter "
                             "again after quantize")
        # Q and K are [B, heads, N, d]: the heads are batch dim 1.
        return {"approx_thresholds": list(f.thresholds), "approx_shift": f.shift,
                "approx_head_dim": 1}


@dataclasses.dataclass(frozen=True)
class Calibration:
    """What :func:`calibrate` saw in one :class:`InhibitorAttention`: the
    largest ``|Q|`` or ``|K|`` and the largest ``|V|`` (after the
    projections, over all heads) on ``batches`` forward passes."""
    qk_absmax: float = 0.0
    v_absmax: float = 0.0
    batches: int = 0


@dataclasses.dataclass(frozen=True)
class Quantization:
    """How an :class:`InhibitorAttention` runs its attention in integers:
    ``bits`` (8 or 16) for Q, K and V, one ``scale`` (the unit of V, Z and H)
    and the wanted Q/K step ``qk_scale`` (see ``--inhibitor-quantize``),
    the ``rounding`` mode and the accumulator width (0: the pass chooses)."""
    bits: int
    scale: float
    qk_scale: float
    rounding: str = "nearest"
    acc_bits: int = 0

    def parameters(self, gamma, alpha):
        """The integer gamma, alpha and steps the pass derives
        (:class:`inhibitor.quantize.Parameters`)."""
        return _quant.parameters(gamma, alpha, self.scale, self.qk_scale, bits=self.bits,
                                 rounding=self.rounding)


@dataclasses.dataclass(frozen=True)
class ApproxFilter:
    """The approximate key filter of an :class:`InhibitorAttention`
    (:func:`calibrate_filter`, docs/KeySkipping.md): per head, the pairs
    whose low-precision score (``shift`` low bits of Q, K dropped) exceeds
    ``thresholds[h]`` are dropped. ``bits``: the integer form (8, 16) whose
    units the thresholds are in, None for float. ``drop``: the fraction of
    the calibration pairs it was set to drop."""
    bits: int | None
    shift: int
    thresholds: tuple
    drop: float


def attention_modules(model):
    """``(name, module)`` for every :class:`InhibitorAttention` in ``model``
    (``model`` itself included)."""
    return [(name, m) for name, m in model.named_modules() if isinstance(m, InhibitorAttention)]



def _run_batches(model, batches, forward) -> int:
    """Runs `model` on each batch without gradients (`forward(model, batch)`
    if given, else `model(*batch)` for a tuple or list, `model(batch)`
    otherwise); returns the number of batches."""
    count = 0
    with torch.no_grad():
        for batch in batches:
            count += 1
            if forward is not None:
                forward(model, batch)
            elif isinstance(batch, (tuple, list)):
                model(*batch)
            else:
                model(batch)
    return count

def calibrate(model, batches, *, forward=None):
    """Records the ranges every :class:`InhibitorAttention` in ``model`` sees.

    Runs ``model`` on each item of ``batches`` (a tensor, or a tuple of
    positional arguments; ``forward(model, batch)`` when given) under
    ``torch.no_grad()`` on the float path, and stores a :class:`Calibration`
    in each module's ``calibration`` (replacing an earlier one). A module
    already quantized is calibrated on its float path. Returns
    ``{name: Calibration}``. Raises ValueError if ``model`` holds no
    InhibitorAttention or ``batches`` is empty.
    """
    modules = attention_modules(model)
    if not modules:
        raise ValueError("calibrate: the model holds no InhibitorAttention")
    saved = [(m.quantization, m.kernel) for _, m in modules]
    count = 0
    try:
        for _, m in modules:
            m.calibration = Calibration()
            m.quantization, m.kernel, m._observing = None, "never", True
        count = _run_batches(model, batches, forward)
    finally:
        for (_, m), (quantization, kernel) in zip(modules, saved):
            m.quantization, m.kernel, m._observing = quantization, kernel, False
    if not count:
        raise ValueError("calibrate: no batches")
    return {name: m.calibration for name, m in modules}


def quantize(model, bits=8, *, rounding="nearest", acc_bits=0, headroom=1.0):
    """Switches the attention of every calibrated :class:`InhibitorAttention`
    in ``model`` to integers: from then on its inference path (the compiled
    kernel: no gradient, float32 CPU tensors) quantizes Q, K, V to ``bits``
    (8 or 16) with one scale per module, runs the integer
    ``inhibitor.attention`` and dequantizes H, all in one compiled function
    (``last_path`` is ``"kernel-int8"``/``"kernel-int16"``). The projections
    and everything else in the model stay float. The scales come from the
    modules' calibration (:func:`inhibitor.quantize.scales_from_ranges`),
    the calibrated ranges widened by ``headroom`` (>= 1: inputs up to that
    factor beyond what calibration saw do not saturate, at the price of
    coarser steps). ``bits=None`` switches back to float. Returns
    ``{name: Quantization}``.
    """
    modules = attention_modules(model)
    if not modules:
        raise ValueError("quantize: the model holds no InhibitorAttention")
    if bits is None:
        for _, m in modules:
            m.quantization = None
        return {}
    _quant.parameters(1.0, 0.0, 1.0, bits=bits, rounding=rounding)  # checks bits, rounding
    if acc_bits not in (0, 16, 32, 64):
        raise ValueError(f"acc_bits must be 0, 16, 32 or 64, got {acc_bits!r}")
    if not (float(headroom) >= 1.0 and math.isfinite(float(headroom))):
        raise ValueError(f"headroom must be a finite number >= 1, got {headroom!r}")
    out = {}
    for name, m in modules:
        c = m.calibration
        if c is None or not c.batches:
            raise ValueError(f"quantize: {name or 'the model'} is not calibrated "
                             "(run inhibitor.nn.calibrate first)")
        scale, qk_scale = _quant.scales_from_ranges(c.qk_absmax * headroom,
                                                    c.v_absmax * headroom, m.gamma, bits)
        m.quantization = Quantization(bits=bits, scale=scale, qk_scale=qk_scale,
                                      rounding=rounding, acc_bits=acc_bits)
        out[name] = m.quantization
    return out


def calibrate_filter(model, batches, drop, *, operand_bits=4, per_head=True, forward=None):
    """Sets the approximate key filter (LATTE-style, opt-in; see
    :mod:`inhibitor.approx` and docs/KeySkipping.md) of every
    :class:`InhibitorAttention` in ``model``: per head, the threshold that
    drops the fraction ``drop`` of the pairs (a quantile of the
    low-precision score) over the calibration ``batches`` (run as
    :func:`calibrate` runs them). The score is computed in the units the
    module's kernel sees: the integer Q and K after :func:`quantize`
    (``shift = bits - operand_bits``: ``operand_bits``-bit operands), else
    the float Q and K on a grid of ``2^shift`` that leaves about
    ``operand_bits`` signed bits for the largest ``|Q|``, ``|K|`` seen. The
    filter applies on the compiled-kernel paths (``last_path`` ends in
    ``"+filter"``) and, for a float filter, also on the PyTorch path
    (``"torch+filter"``: a fixed mask, no gradient through it), so the
    model can be fine-tuned with it on; quantizing again needs a new
    calibration (an integer filter on the PyTorch path is an error). ``drop=None`` removes the filters. Pairs masked out by the
    model itself are not told apart (calibrate on unmasked batches). Returns
    ``{name: ApproxFilter}``."""
    modules = attention_modules(model)
    if not modules:
        raise ValueError("calibrate_filter: the model holds no InhibitorAttention")
    if drop is None:
        for _, m in modules:
            m.approx_filter = None
        return {}
    if not 0 <= float(drop) <= 1:
        raise ValueError(f"drop must lie in [0, 1], got {drop!r}")
    if not (isinstance(operand_bits, int) and 1 <= operand_bits <= 16):
        raise ValueError(f"operand_bits must be an integer in [1, 16], got {operand_bits!r}")
    saved = [(m.kernel, getattr(m, "approx_filter", None)) for _, m in modules]
    count = 0
    try:
        for _, m in modules:
            m._captured, m.kernel, m.approx_filter = [], "never", None
        count = _run_batches(model, batches, forward)
        captured = {name: m._captured for name, m in modules}
    finally:
        for (_, m), (kernel, old) in zip(modules, saved):
            m._captured, m.kernel, m.approx_filter = None, kernel, old
    if not count:
        raise ValueError("calibrate_filter: no batches")
    out = {}
    for name, m in modules:
        q = np.concatenate([c[0] for c in captured[name]])
        k = np.concatenate([c[1] for c in captured[name]])
        p = m.quantization
        if p is not None:
            prm = p.parameters(m.gamma, m.alpha)
            q = _quant.quantize_array(q, prm.qk_scale, p.bits, p.rounding)
            k = _quant.quantize_array(k, prm.qk_scale, p.bits, p.rounding)
            shift = _approx.shift_for_bits(None, operand_bits, integer_bits=p.bits)
        else:
            shift = _approx.shift_for_bits(max(float(np.abs(q).max(initial=0)),
                                               float(np.abs(k).max(initial=0))), operand_bits)
        t = _approx.calibrate_thresholds(q, k, float(drop), shift=shift, head_dim=1,
                                         per_head=per_head)
        m.approx_filter = ApproxFilter(bits=None if p is None else p.bits, shift=shift,
                                       thresholds=tuple(t), drop=float(drop))
        out[name] = m.approx_filter
    return out
