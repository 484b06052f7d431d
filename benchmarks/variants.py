"""MLIR source of the benchmarked kernels (one function `k` each)."""

from __future__ import annotations

MLIR = {"int8": "i8", "int16": "i16", "int32": "i32", "float32": "f32", "float16": "f16"}


def tt(shape, dtype) -> str:
    return "tensor<" + "x".join(str(s) for s in shape) + f"x{MLIR[dtype]}>"


def inhibitor_attention(b, n, d, dtype, acc, *, gamma=8, alpha=0, signed=True, causal=False):
    """Inhibitor attention on [b, n, d] (b = heads; 0 = no batch dim)."""
    lead = (b,) if b else ()
    q = tt(lead + (n, d), dtype)
    h = tt(lead + (n, d), acc)
    is_int = dtype.startswith("int")
    g = f"{int(gamma)} : {MLIR[acc]}" if is_int else f"{float(gamma)} : {MLIR[acc]}"
    a = f", alpha = {int(alpha) if is_int else float(alpha)} : {MLIR[acc]}" if alpha else ""
    kw = ("causal " if causal else "") + ("signed " if signed else "")
    return f"""func.func @k(%q: {q}, %k: {q}, %v: {q}) -> {h} attributes {{llvm.emit_c_interface}} {{
  %e = tensor.empty() : {h}
  %h = inhibitor.attention {kw}{{gamma = {g}{a}}} ins(%q, %k, %v : {q}, {q}, {q}) outs(%e : {h}) -> {h}
  return %h : {h}
}}"""


def inhibitor_score(b, n, d, dtype, acc, *, gamma=8):
    lead = (b,) if b else ()
    q = tt(lead + (n, d), dtype)
    z = tt(lead + (n, n), acc)
    g = f"{int(gamma)} : {MLIR[acc]}" if dtype.startswith("int") else f"{float(gamma)} : {MLIR[acc]}"
    return f"""func.func @k(%q: {q}, %k: {q}) -> {z} attributes {{llvm.emit_c_interface}} {{
  %e = tensor.empty() : {z}
  %z = inhibitor.manhattan_score {{gamma = {g}}} ins(%q, %k : {q}, {q}) outs(%e : {z}) -> {z}
  return %z : {z}
}}"""


def inhibitor_inhibit(b, n, d, dtype, acc, *, signed=True):
    lead = (b,) if b else ()
    v = tt(lead + (n, d), dtype)
    z = tt(lead + (n, n), acc)
    h = tt(lead + (n, d), acc)
    kw = "signed " if signed else ""
    return f"""func.func @k(%v: {v}, %z: {z}) -> {h} attributes {{llvm.emit_c_interface}} {{
  %e = tensor.empty() : {h}
  %h = inhibitor.inhibit {kw}ins(%v, %z : {v}, {z}) outs(%e : {h}) -> {h}
  return %h : {h}
}}"""


def dot_attention(b, n, d, dtype="float32"):
    """softmax(Q K^T / sqrt(d)) V in upstream linalg (matmul + softmax +
    matmul), compiled by the same --inhibitor-to-llvm pipeline.

    dtype "float32": everything in f32. dtype "int8"/"int16": the integer
    GEMM variant: Q K^T as an integer matmul into i32 (linalg.matmul sign-
    extends), scaled into f32 (sitofp, * 1/sqrt(d)), f32 softmax, and P V in
    f32 (V given as f32)."""
    lead = (b,) if b else ()
    is_int = dtype != "float32"
    acc = "i32" if is_int else "f32"
    q = tt(lead + (n, d), dtype)
    vf = tt(lead + (n, d), "float32")
    kt = tt(lead + (d, n), dtype)
    s_acc = "tensor<" + "x".join(str(x) for x in lead + (n, n)) + f"x{acc}>"
    s = tt(lead + (n, n), "float32")
    mm = "batch_matmul" if b else "matmul"
    perm = "[0, 2, 1]" if b else "[1, 0]"
    scale = 1.0 / (d ** 0.5)
    r = len(lead) + 2
    idmap = "affine_map<(" + ", ".join(f"d{i}" for i in range(r)) + ") -> (" + ", ".join(f"d{i}" for i in range(r)) + ")>"
    par = ", ".join(['"parallel"'] * r)
    zero = "0 : i32" if is_int else "0.0 : f32"
    convert = "%f = arith.sitofp %x : i32 to f32" if is_int else ""
    scaled_in = "%f" if is_int else "%x"
    return f"""func.func @k(%q: {q}, %k: {q}, %v: {vf}) -> {vf} attributes {{llvm.emit_c_interface}} {{
  %zero = arith.constant {zero}
  %zf = arith.constant 0.0 : f32
  %kte = tensor.empty() : {kt}
  %kt = linalg.transpose ins(%k : {q}) outs(%kte : {kt}) permutation = {perm}
  %se = tensor.empty() : {s_acc}
  %sz = linalg.fill ins(%zero : {acc}) outs(%se : {s_acc}) -> {s_acc}
  %scores = linalg.{mm} ins(%q, %kt : {q}, {kt}) outs(%sz : {s_acc}) -> {s_acc}
  %fe = tensor.empty() : {s}
  %scaled = linalg.generic {{indexing_maps = [{idmap}, {idmap}], iterator_types = [{par}]}}
      ins(%scores : {s_acc}) outs(%fe : {s}) {{
  ^bb0(%x: {acc}, %unused: f32):
    {convert}
    %c = arith.constant {scale!r} : f32
    %y = arith.mulf {scaled_in}, %c : f32
    linalg.yield %y : f32
  }} -> {s}
  %pe = tensor.empty() : {s}
  %p = linalg.softmax dimension({r - 1}) ins(%scaled : {s}) outs(%pe : {s}) -> {s}
  %he = tensor.empty() : {vf}
  %hz = linalg.fill ins(%zf : f32) outs(%he : {vf}) -> {vf}
  %h = linalg.{mm} ins(%p, %v : {s}, {vf}) outs(%hz : {vf}) -> {vf}
  return %h : {vf}
}}"""
