#!/usr/bin/env python3
"""Execution of converted attention graphs, one per front-end form.

Each form is a dot-product attention function `@attn` written the way a front
end emits it (masks, scales, layouts, TOSA). The script builds a module that
calls it on random inputs and prints the result, runs
`inhibitor-opt --convert-attention-to-inhibitor --inhibitor-to-llvm` and
`mlir-runner`, checks that the rewrite happened (the converted IR has
`inhibitor.attention` and no softmax left), and compares the output with the
NumPy reference of the inhibitor form the rewrite promises (gamma = 1/s,
alpha 0.5, signed; the mask, causality, bias and head grouping each form
carries). The rewrite is an architecture transform: the reference is the
inhibitor form, not the dot product.

With --no-rewrite the modules go through `--inhibitor-to-llvm` alone (a front
end's module as it is: TOSA, linalg.softmax, arith on tensors) and must match
a NumPy dot-product attention instead.

Usage: check_rewrite_forms.py [--no-rewrite] INHIBITOR_OPT MLIR_RUNNER
       RUNNER_LIBS [FORM...]
"""

from __future__ import annotations

import re
import subprocess
import sys

import numpy as np

from inhibitor import reference

B, N, M, D, E = 2, 5, 7, 4, 3
LOWEST = "-3.40282347E+38"


def dense(a: np.ndarray) -> str:
    if a.dtype == bool:
        return np.array2string(a, separator=", ", threshold=1 << 30).replace(
            "True", "true").replace("False", "false")
    return np.array2string(a.astype(np.float32), separator=", ",
                           threshold=1 << 30, floatmode="unique")


def ty(shape, elem="f32") -> str:
    return "tensor<" + "x".join(str(s) for s in shape) + "x" + elem + ">"


QK_MAPS = ("indexing_maps = [affine_map<(b, m, n, k) -> (b, m, k)>, "
           "affine_map<(b, m, n, k) -> (b, n, k)>, "
           "affine_map<(b, m, n, k) -> (b, m, n)>]")


def linalg_attention(masking: str, extra_args: str = "",
                     kv_heads: int | None = None) -> str:
    """softmax(masking(Q K^T)) V on [B, N, D] x [B, M, D] with linalg named
    ops; `masking` maps %s (scores) to %x."""
    return f"""
func.func @attn(%q: {ty((B, N, D))}, %k: {ty((B, M, D))}, %v: {ty((B, M, E))}{extra_args}) -> {ty((B, N, E))} {{
  %zero = arith.constant 0.0 : f32
  %lowest = arith.constant {LOWEST} : f32
  %e = tensor.empty() : {ty((B, N, M))}
  %f = linalg.fill ins(%zero : f32) outs(%e : {ty((B, N, M))}) -> {ty((B, N, M))}
  %s = linalg.batch_matmul {QK_MAPS} ins(%q, %k : {ty((B, N, D))}, {ty((B, M, D))}) outs(%f : {ty((B, N, M))}) -> {ty((B, N, M))}
{masking}
  %p = linalg.softmax dimension(2) ins(%x : {ty((B, N, M))}) outs(%e : {ty((B, N, M))}) -> {ty((B, N, M))}
  %eo = tensor.empty() : {ty((B, N, E))}
  %fo = linalg.fill ins(%zero : f32) outs(%eo : {ty((B, N, E))}) -> {ty((B, N, E))}
  %o = linalg.batch_matmul ins(%p, %v : {ty((B, N, M))}, {ty((B, M, E))}) outs(%fo : {ty((B, N, E))}) -> {ty((B, N, E))}
  return %o : {ty((B, N, E))}
}}
"""


def elementwise(body: str, ins: list[tuple[str, str, str]]) -> str:
    """%x = an elementwise generic over [B, N, M] reading %s (identity) and
    `ins` (name, type, map), with `body` computing %y from %a (the score) and
    the block arguments %c0, %c1, ..."""
    names = ", ".join(["%s"] + [n for n, _, _ in ins])
    types = ", ".join([ty((B, N, M))] + [t for _, t, _ in ins])
    maps = ", ".join(["affine_map<(b, i, j) -> (b, i, j)>"] +
                     [m for _, _, m in ins] +
                     ["affine_map<(b, i, j) -> (b, i, j)>"])
    args = ", ".join(["%a: f32"] + [f"%c{i}: {t.split('x')[-1][:-1]}"
                                    for i, (_, t, _) in enumerate(ins)] +
                     ["%out: f32"])
    return f"""  %x = linalg.generic {{indexing_maps = [{maps}], iterator_types = ["parallel", "parallel", "parallel"]}}
      ins({names} : {types}) outs(%e : {ty((B, N, M))}) {{
  ^bb0({args}):
    %h = arith.constant 5.000000e-01 : f32
    %sa = arith.mulf %a, %h : f32
{body}
    linalg.yield %y : f32
  }} -> {ty((B, N, M))}"""


MASK_MAP = "affine_map<(b, i, j) -> (i, j)>"
CAUSAL = np.tril(np.ones((N, M), dtype=bool))

# name -> (function text, extra inputs, reference keyword arguments)
FORMS = {}


def form(name, text, extra, **ref):
    FORMS[name] = (text, extra, ref)


rng = np.random.default_rng(14)
MASK = rng.random((N, M)) < 0.7
MASK[:, 0] = True  # every row attends somewhere

form("select-mask", linalg_attention(elementwise(
    "    %y = arith.select %c0, %sa, %lowest : f32",
    [("%m", ty((N, M), "i1"), MASK_MAP)]), f", %m: {ty((N, M), 'i1')}"),
    {"m": MASK}, mask=MASK)

form("masked-fill-negated", linalg_attention(elementwise(
    "    %y = arith.select %c0, %lowest, %sa : f32",
    [("%m", ty((N, M), "i1"), MASK_MAP)]), f", %m: {ty((N, M), 'i1')}"),
    {"m": ~MASK}, mask=MASK)

form("padding-one-minus-m", linalg_attention(elementwise(
    "    %one = arith.constant 1.0 : f32\n"
    "    %mf = arith.uitofp %c0 : i1 to f32\n"
    "    %inv = arith.subf %one, %mf : f32\n"
    "    %add = arith.mulf %inv, %lowest : f32\n"
    "    %y = arith.addf %sa, %add : f32",
    [("%m", ty((N, M), "i1"), MASK_MAP)]), f", %m: {ty((N, M), 'i1')}"),
    {"m": MASK}, mask=MASK)

form("causal-index", linalg_attention(elementwise(
    "    %i = linalg.index 1 : index\n"
    "    %j = linalg.index 2 : index\n"
    "    %gt = arith.cmpi ugt, %j, %i : index\n"
    "    %add = arith.select %gt, %lowest, %zero : f32\n"
    "    %y = arith.addf %sa, %add : f32", [])), {}, causal=True)

_ADDITIVE = np.where(MASK, 0.0, -np.inf).astype(np.float32)
form("constant-additive", linalg_attention(
    f"  %cm = arith.constant dense<{dense(_ADDITIVE).replace('-inf', '0xFF800000')}> : {ty((N, M))}\n" +
    elementwise("    %y = arith.addf %sa, %c0 : f32",
                [("%cm", ty((N, M)), MASK_MAP)])), {}, mask=MASK)

form("tosa-reciprocal", f"""
func.func @attn(%q: {ty((B, N, D))}, %k: {ty((B, M, D))}, %v: {ty((B, M, E))}) -> {ty((B, N, E))} {{
  %zp = "tosa.const"() <{{values = dense<0.0> : tensor<1xf32>}}> : () -> tensor<1xf32>
  %shift = "tosa.const"() <{{values = dense<0> : tensor<1xi8>}}> : () -> tensor<1xi8>
  %two = "tosa.const"() <{{values = dense<2.0> : tensor<1x1x1xf32>}}> : () -> tensor<1x1x1xf32>
  %scale = tosa.reciprocal %two : (tensor<1x1x1xf32>) -> tensor<1x1x1xf32>
  %kt = tosa.transpose %k {{perms = array<i32: 0, 2, 1>}} : ({ty((B, M, D))}) -> {ty((B, D, M))}
  %s = tosa.matmul %q, %kt, %zp, %zp : ({ty((B, N, D))}, {ty((B, D, M))}, tensor<1xf32>, tensor<1xf32>) -> {ty((B, N, M))}
  %sc = tosa.mul %s, %scale, %shift : ({ty((B, N, M))}, tensor<1x1x1xf32>, tensor<1xi8>) -> {ty((B, N, M))}
  %max = tosa.reduce_max %sc {{axis = 2 : i32}} : ({ty((B, N, M))}) -> {ty((B, N, 1))}
  %sub = tosa.sub %sc, %max : ({ty((B, N, M))}, {ty((B, N, 1))}) -> {ty((B, N, M))}
  %exp = tosa.exp %sub : ({ty((B, N, M))}) -> {ty((B, N, M))}
  %sum = tosa.reduce_sum %exp {{axis = 2 : i32}} : ({ty((B, N, M))}) -> {ty((B, N, 1))}
  %rec = tosa.reciprocal %sum : ({ty((B, N, 1))}) -> {ty((B, N, 1))}
  %p = tosa.mul %exp, %rec, %shift : ({ty((B, N, M))}, {ty((B, N, 1))}, tensor<1xi8>) -> {ty((B, N, M))}
  %h = tosa.matmul %p, %v, %zp, %zp : ({ty((B, N, M))}, {ty((B, M, E))}, tensor<1xf32>, tensor<1xf32>) -> {ty((B, N, E))}
  return %h : {ty((B, N, E))}
}}
""", {}, gamma=2.0)


BIAS = rng.uniform(-1, 1, (N, M)).astype(np.float32)
form("bias-argument", linalg_attention(elementwise(
    "    %y = arith.addf %sa, %c0 : f32",
    [("%bias", ty((N, M)), MASK_MAP)]), f", %bias: {ty((N, M))}"),
    {"bias": BIAS}, bias=BIAS)

# Grouped heads: B query heads read one K/V head, repeated by
# linalg.broadcast + collapse_shape (K) and a broadcast-add of zeros (V).
form("grouped-broadcast", f"""
func.func @attn(%q: {ty((B, N, D))}, %k1: {ty((1, M, D))}, %v1: {ty((1, M, E))}) -> {ty((B, N, E))} {{
  %zero = arith.constant 0.0 : f32
  %ek = tensor.empty() : {ty((1, B, M, D))}
  %kb = linalg.broadcast ins(%k1 : {ty((1, M, D))}) outs(%ek : {ty((1, B, M, D))}) dimensions = [1]
  %k = tensor.collapse_shape %kb [[0, 1], [2], [3]] : {ty((1, B, M, D))} into {ty((B, M, D))}
  %zv = arith.constant dense<0.0> : {ty((B, M, E))}
  %ev = tensor.empty() : {ty((B, M, E))}
  %v = linalg.generic {{indexing_maps = [affine_map<(h, m, e) -> (0, m, e)>, affine_map<(h, m, e) -> (h, m, e)>, affine_map<(h, m, e) -> (h, m, e)>], iterator_types = ["parallel", "parallel", "parallel"]}}
      ins(%v1, %zv : {ty((1, M, E))}, {ty((B, M, E))}) outs(%ev : {ty((B, M, E))}) {{
  ^bb0(%a: f32, %b: f32, %out: f32):
    %x = arith.addf %a, %b : f32
    linalg.yield %x : f32
  }} -> {ty((B, M, E))}
  %e = tensor.empty() : {ty((B, N, M))}
  %f = linalg.fill ins(%zero : f32) outs(%e : {ty((B, N, M))}) -> {ty((B, N, M))}
  %s = linalg.batch_matmul {QK_MAPS} ins(%q, %k : {ty((B, N, D))}, {ty((B, M, D))}) outs(%f : {ty((B, N, M))}) -> {ty((B, N, M))}
  %h = arith.constant dense<0.5> : {ty((B, N, M))}
  %x = arith.mulf %s, %h : {ty((B, N, M))}
  %p = linalg.softmax dimension(2) ins(%x : {ty((B, N, M))}) outs(%e : {ty((B, N, M))}) -> {ty((B, N, M))}
  %eo = tensor.empty() : {ty((B, N, E))}
  %fo = linalg.fill ins(%zero : f32) outs(%eo : {ty((B, N, E))}) -> {ty((B, N, E))}
  %o = linalg.batch_matmul ins(%p, %v : {ty((B, N, M))}, {ty((B, M, E))}) outs(%fo : {ty((B, N, E))}) -> {ty((B, N, E))}
  return %o : {ty((B, N, E))}
}}
""", {"k1": None, "v1": None}, grouped=True)


def build_module(text: str, inputs: dict) -> str:
    consts, names, types = [], [], []
    for name, a in inputs.items():
        elem = "i1" if a.dtype == bool else "f32"
        consts.append(f"  %{name} = arith.constant dense<{dense(a)}> : "
                      f"{ty(a.shape, elem)}")
        names.append(f"%{name}")
        types.append(ty(a.shape, elem))
    return f"""module {{
func.func private @printMemrefF32(memref<*xf32>) attributes {{llvm.emit_c_interface}}
{text}
func.func @main() {{
{chr(10).join(consts)}
  %r = func.call @attn({", ".join(names)}) : ({", ".join(types)}) -> {ty((B, N, E))}
  %buf = bufferization.to_buffer %r : {ty((B, N, E))} to memref<{B}x{N}x{E}xf32>
  %u = memref.cast %buf : memref<{B}x{N}x{E}xf32> to memref<*xf32>
  func.call @printMemrefF32(%u) : (memref<*xf32>) -> ()
  return
}}
}}
"""


def run(cmd, stdin: str) -> str:
    p = subprocess.run(cmd, input=stdin, capture_output=True, text=True)
    if p.returncode:
        raise RuntimeError(" ".join(cmd) + " failed:\n" + p.stderr[-3000:])
    return p.stdout


def dot_product_reference(q, k, v, *, mask=None, causal=False, gamma=2.0,
                          bias=None, **_):
    """softmax(Q K^T / gamma + bias, masked) V in float64 (K/V with one head
    are shared by all query heads)."""
    k = np.broadcast_to(k, q.shape[:1] + k.shape[1:])
    v = np.broadcast_to(v, q.shape[:1] + v.shape[1:])
    s = np.einsum("bnd,bmd->bnm", q, k) / gamma
    if bias is not None:
        s = s + bias
    attend = np.ones(s.shape[-2:], dtype=bool)
    if mask is not None:
        attend &= mask
    if causal:
        attend &= CAUSAL
    s = np.where(attend, s, -np.inf)
    p = np.exp(s - s.max(axis=-1, keepdims=True))
    p /= p.sum(axis=-1, keepdims=True)
    return np.einsum("bnm,bme->bne", p, v)


def main() -> int:
    argv = sys.argv[1:]
    rewrite = "--no-rewrite" not in argv
    argv = [a for a in argv if a != "--no-rewrite"]
    opt, runner, libs = argv[:3]
    names = argv[3:] or list(FORMS)
    failures = 0
    for name in names:
        text, extra, ref_args = FORMS[name]
        q = rng.uniform(-1, 1, (B, N, D)).astype(np.float32)
        k = rng.uniform(-1, 1, (B, M, D)).astype(np.float32)
        v = rng.uniform(-1, 1, (B, M, E)).astype(np.float32)
        kw = {"gamma": 1.0 / 0.5, "alpha": 0.5, "signed": True}
        kw.update(ref_args)
        if kw.pop("grouped", False):
            # One K/V head shared by the B query heads.
            k, v = k[:1], v[:1]
            inputs = {"q": q, "k1": k, "v1": v}
        else:
            inputs = {"q": q, "k": k, "v": v, **extra}
        module = build_module(text, inputs)
        try:
            converted = module
            if rewrite:
                converted = run([opt, "--convert-attention-to-inhibitor"],
                                module)
                if ("inhibitor.attention" not in converted or
                        "softmax" in converted):
                    raise RuntimeError("not converted:\n" + converted[:2000])
            llvm = run([opt, "--inhibitor-to-llvm"], converted)
            out = run([runner, "-e", "main", "-entry-point-result=void",
                       "-shared-libs=" + libs], llvm)
        except RuntimeError as err:
            print(f"{name}: FAILED: {err}")
            failures += 1
            continue
        got = np.array([float(x) for x in re.findall(
            r"-?(?:nan|inf|\d+(?:\.\d*)?(?:e[-+]?\d+)?)",
            out.split("data =", 1)[1])], dtype=np.float64).reshape(B, N, E)
        q64, k64, v64 = (a.astype(np.float64) for a in (q, k, v))
        if rewrite:
            ref = reference.attention(q64, k64, v64, **kw)
        else:
            ref = dot_product_reference(q64, k64, v64, **kw)
        err = float(np.max(np.abs(got - ref)))
        nonzero = float(np.mean(ref != 0))
        if err > 1e-4 * max(1.0, float(np.max(np.abs(ref)))) or nonzero < 0.5:
            print(f"{name}: MISMATCH (max abs err {err:.3g}, "
                  f"{nonzero:.0%} non-zero)\ngot {got}\nref {ref}")
            failures += 1
        else:
            what = "converted and matches" if rewrite else "compiled as is, matches"
            print(f"{name}: {what} the reference (max abs err {err:.2g})")
    print(f"{len(names) - failures} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
