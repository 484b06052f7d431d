#!/usr/bin/env python3
"""Prints a module of N functions of inhibitor ops (deterministic): every op,
integer and float types, static and dynamic shapes, masks, causal, batch
dims; for the thread-safety tests (multi-threaded pass manager)."""

import sys

TYPES = [("i8", "i32"), ("i16", "i16"), ("i16", "i32"), ("i32", "i64"),
         ("f16", "f32"), ("bf16", "bf16"), ("f32", "f32"), ("f64", "f64")]


def shape(dims, elt, dynamic):
    return "tensor<" + "".join(("?" if dynamic else str(d)) + "x" for d in dims) + elt + ">"


def function(i: int) -> str:
    in_t, acc = TYPES[i % len(TYPES)]
    dyn = i % 3 == 0
    batch = [2] if i % 4 == 1 else []
    n, m, d, e = 3 + i % 5, 4 + i % 7, 5 + i % 3, 2 + i % 4
    kind = i % 3
    q = shape(batch + [n, d], in_t, dyn)
    k = shape(batch + [m, d], in_t, dyn)
    v = shape(batch + [m, e], in_t, dyn)
    z = shape(batch + [n, m], acc, dyn)
    h = shape(batch + [n, e], acc, dyn)
    name = f"@f{i}"
    if kind == 0:
        return (f"func.func {name}(%q: {q}, %k: {k}, %z: {z}) -> {z} {{\n"
                f"  %r = inhibitor.manhattan_score ins(%q, %k : {q}, {k}) outs(%z : {z}) -> {z}\n"
                f"  return %r : {z}\n}}\n")
    if kind == 1:
        return (f"func.func {name}(%v: {v}, %z: {z}, %h: {h}) -> {h} {{\n"
                f"  %r = inhibitor.inhibit signed ins(%v, %z : {v}, {z}) outs(%h : {h}) -> {h}\n"
                f"  return %r : {h}\n}}\n")
    mask = ""
    args = f"%q: {q}, %k: {k}, %v: {v}"
    if i % 2:
        mt = shape([1, m], "i1", False)
        args += f", %m: {mt}"
        mask = f" mask(%m : {mt})"
    causal = "causal " if i % 5 == 2 else ""
    return (f"func.func {name}({args}, %h: {h}) -> {h} {{\n"
            f"  %r = inhibitor.attention {causal}ins(%q, %k, %v : {q}, {k}, {v}){mask} "
            f"outs(%h : {h}) -> {h}\n"
            f"  return %r : {h}\n}}\n")


def main() -> int:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 32
    print("\n".join(function(i) for i in range(count)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
