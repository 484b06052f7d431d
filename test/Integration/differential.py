#!/usr/bin/env python3
"""Differential run: every CPU path of the compiler against the NumPy reference.

Seeded random cases (ops, element types, accumulators, shapes with 1, odd
and tile-straddling sizes, static or fully dynamic, 0-2 batch dims,
gamma/alpha, signed, causal, broadcast masks, integer extremes that wrap and
float subnormals/signed zeros) are compiled through each *variant* (a
pipeline and its options: both CPU strategies, cache tiling, threads, SAD,
vector widths, unfused, decomposed, the GPU pipeline's emulate-on-cpu, odd
tiles) and executed with mlir-runner; results are compared with
python/inhibitor/reference.py through test/Integration/harness.py (integers
bit-exact, floats within the harness's stated tolerance).

Case i of variant v under --seed s is a pure function of (s, v, i): a failure
prints the one command that reproduces it alone. Cases run in modules of
--batch kernels; a module that fails to compile or crashes is split until
the guilty cases are found, so one bad case never hides the others.

Output: one line per variant "VARIANT: P passed, F failed (W wrong, C
compile errors, R run-time errors)" and a last line "N passed, N failed".
Exit status 1 when anything failed.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import random
import subprocess
import sys
import tempfile
import time
import zlib
from concurrent.futures import ThreadPoolExecutor

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import Case  # noqa: E402

ALL_TYPES = ("int8", "int16", "int32", "int64", "float16", "bfloat16",
             "float32", "float64")
ACC_CHOICES = {"int8": ["int8", "int16", "int32"], "int16": ["int16", "int32"],
               "int32": ["int32", "int64"], "int64": ["int64"],
               "float16": ["float16", "float32"],
               "bfloat16": ["bfloat16", "float32"],
               "float32": ["float32", "float64"], "float64": ["float64"]}
# 1, odd, powers of two and their neighbours (vector widths and the default
# tiles: query-tile 32, key-tile 128, 16/32/64 lanes).
SIZES = [1, 1, 2, 3, 5, 7, 8, 15, 16, 17, 31, 32, 33, 63, 64, 65, 100, 127,
         129]
BATCH = [1, 2, 3]
# Work per case (batch * N * M * max(D, E)) is capped to keep a case cheap.
MAX_WORK = 150000


@dataclasses.dataclass(frozen=True)
class Variant:
    name: str
    pipeline: str            # argument of inhibitor-opt: --<pipeline>
    pre: tuple = ()          # inhibitor-opt flags before the pipeline
    ops: tuple = ("attention", "score", "inhibit")
    types: tuple = ALL_TYPES
    libs: tuple = ()         # extra -shared-libs (libomp)
    needs: str = ""          # host CPU feature ("avx512bw") or ""
    i8_bias: float = 0.0     # probability of forcing i8 data (SAD)


def variants(build_libs: dict) -> list[Variant]:
    omp = (build_libs["omp"],)
    L = "inhibitor-to-llvm"
    return [
        Variant("linalg", L),
        Variant("linalg-vec128", f"{L}=vector-bits=128"),
        Variant("linalg-vec256", f"{L}=vector-bits=256"),
        Variant("linalg-vec512", f"{L}=vector-bits=512", needs="avx512f"),
        Variant("linalg-tiles", f"{L}=query-tile=3 key-tile=5 tile-sizes=2,3,5"),
        Variant("linalg-unfused", f"{L}=fuse-attention=false"),
        Variant("linalg-threads", f"{L}=threads=3 query-tile=4 key-tile=8",
                ops=("attention",), libs=omp),
        # No copy of K (any size reaches the limit): each query tile
        # transposes or offsets its own K tiles, up to 16 query tiles.
        Variant("key-copy-limit", f"{L}=key-copy-limit=1 query-tile=4 key-tile=8",
                ops=("attention",), i8_bias=0.3),
        Variant("sad-on", f"{L}=sad=on", i8_bias=0.7),
        Variant("sad-on-vec512", f"{L}=sad=on vector-bits=512", i8_bias=0.7,
                needs="avx512bw"),
        Variant("sad-off", f"{L}=sad=off", i8_bias=0.7),
        Variant("decompose", L, pre=("--inhibitor-decompose",)),
        Variant("tile-interface", L,
                pre=("--inhibitor-tile=batch-tile=1 query-tile=3 value-tile=5 "
                     "key-tile=7",)),
        Variant("tile-interface-forall", L,
                pre=("--inhibitor-tile=query-tile=4 value-tile=3 loop=forall",)),
        # Keys prepared once (key_tiles, linalg.pack): read by the fused
        # kernel in its own tiles; sliced by the interface's key tiles where
        # they start a tile of key_tiles, dropped where they do not.
        Variant("pack-keys", L, pre=("--inhibitor-pack-keys=key-tile=8",),
                ops=("attention",)),
        Variant("pack-keys-tile", L,
                pre=("--inhibitor-pack-keys=key-tile=7",
                     "--inhibitor-tile=batch-tile=1 query-tile=3 key-tile=7"),
                ops=("attention",)),
        Variant("pack-keys-misaligned", L,
                pre=("--inhibitor-pack-keys=key-tile=4",
                     "--inhibitor-tile=query-tile=3 key-tile=6"),
                ops=("attention",)),
        # i8 keys biased once (biased_keys, K xor 0x80) for the byte score:
        # read whole by the fused kernel, and sliced by the interface's key
        # tiles (one query tile each, each reading its biased K tile).
        Variant("pack-keys-bytes", f"{L}=sad=on", pre=("--inhibitor-pack-keys=key-tile=8",),
                ops=("attention",), i8_bias=0.7),
        Variant("pack-keys-bytes-tile", f"{L}=sad=on",
                pre=("--inhibitor-pack-keys=key-tile=7",
                     "--inhibitor-tile=batch-tile=1 query-tile=3 key-tile=7"),
                ops=("attention",), i8_bias=0.7),
        # The narrow check once per op (narrow_sums under an scf.if), the
        # op then tiled: each tile's 16-bit sums without a check of its own
        # (narrow_sums 7 covers the lowering's key tiles of 7).
        Variant("version-narrow-tile", f"{L}=key-tile=7",
                pre=("--inhibitor-version-narrow-sums=key-tile=7 min-queries=1",
                     "--inhibitor-tile=batch-tile=1 query-tile=5 key-tile=7"),
                ops=("attention",), types=("int8", "int16")),
        Variant("key-splits-threads", f"{L}=key-splits=3 threads=2",
                ops=("attention", "inhibit"), libs=omp),
        Variant("affine", f"{L}=strategy=affine"),
        Variant("affine-tile", f"{L}=strategy=affine affine-tile=true"),
        Variant("affine-tile-vec128",
                f"{L}=strategy=affine affine-tile=true vector-bits=128"),
        Variant("affine-vec512", f"{L}=strategy=affine vector-bits=512",
                needs="avx512f"),
        Variant("gpu-emulate", "inhibitor-to-gpu=emulate-on-cpu=true"),
        Variant("gpu-emulate-odd",
                "inhibitor-to-gpu=emulate-on-cpu=true tile-sizes=3,5 "
                "reduction-tile=7"),
        Variant("gpu-emulate-unstaged",
                "inhibitor-to-gpu=emulate-on-cpu=true shared-memory=false"),
    ]


def host_features() -> set[str]:
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("flags"):
                    return set(line.split(":", 1)[1].split())
    except OSError:
        pass
    return set()


def case_random(seed: int, variant: str, index: int) -> random.Random:
    return random.Random(f"{seed}/{variant}/{index}")


def case_rng(seed: int, variant: str, index: int) -> np.random.Generator:
    return np.random.default_rng([seed, zlib.crc32(variant.encode()), index])


def random_case(r: random.Random, v: Variant) -> Case:
    """One case; like harness.random_case, over more sizes and extremes."""
    op = r.choice(v.ops)
    types = list(v.types)
    in_type = "int8" if r.random() < v.i8_bias else r.choice(types)
    acc = r.choice(ACC_CHOICES[in_type])
    nb = r.choice([0, 0, 1, 2])
    batch = tuple(r.choice(BATCH) for _ in range(nb))
    n, m, d, e = (r.choice(SIZES) for _ in range(4))
    if r.random() < 0.1:  # everything of size 1
        n, m, d, e = 1, 1, 1, 1
    while max(1, int(np.prod(batch))) * n * m * max(d, e) > MAX_WORK:
        n, m = max(1, n // 2), max(1, m // 2)
    is_int = acc in harness.INT_TYPES
    if is_int:
        gamma = r.choice([1, 1, 2, 8, 3, 7, 64])
        alpha = r.choice([0, 0, 1, 5])
    else:
        gamma = r.choice([1.0, 2.0, 8.0] + ([3.0] if in_type in ("float32", "float64") else []))
        alpha = r.choice([0.0, 0.5, 2.0])
    mask, causal, causal_offset = None, False, None
    if op == "attention":
        causal = r.random() < 0.3
        if causal and r.random() < 0.4:
            # The diagonal moved: bottom-right (a KV cache), below or above.
            causal_offset = r.choice([m - n, m - n, -1, -n // 2, 2, m // 3])
        if r.random() < 0.3:
            full = batch + (n, m)
            rank = r.randint(1, len(full))
            mask = tuple(1 if r.random() < 0.3 else s for s in full[len(full) - rank:])
    dynamic = r.random() < 0.3 and (mask is None or 1 not in mask)
    v_type = z_type = None
    if op == "attention" and is_int and r.random() < 0.2:
        # V narrower than the accumulator, independent of Q/K.
        v_type = r.choice([t for t in ("int8", "int16", "int32", "int64")
                           if harness.BITS[t] <= harness.BITS[acc]])
    if op == "inhibit" and is_int and r.random() < 0.3:
        z_type = r.choice([t for t in ("int8", "int16", "int32", "int64")
                           if harness.BITS[t] <= harness.BITS[acc]])
    return Case(op=op, in_type=in_type, acc_type=acc, batch=batch, n=n, m=m,
                d=d, e=e, gamma=gamma, alpha=alpha, signed=r.random() < 0.5,
                causal=causal, causal_offset=causal_offset, mask=mask, dynamic=dynamic,
                extremes=r.random() < 0.3, v_type=v_type, z_type=z_type)


@dataclasses.dataclass
class Outcome:
    index: int
    case: Case
    kind: str                 # "pass", "wrong", "compile", "run"
    detail: str = ""


class Runner:
    def __init__(self, args):
        self.args = args

    def compile_and_run(self, v: Variant, cases, inputs):
        """(kind, detail, outputs): kind None when the module ran."""
        module = harness.build_module(cases, inputs)
        with tempfile.NamedTemporaryFile("w", suffix=".mlir", delete=False) as f:
            f.write(module)
            path = f.name
        try:
            cmd = [self.args.opt, path, *v.pre, f"--{v.pipeline}"]
            opt = subprocess.run(cmd, capture_output=True, text=True,
                                 timeout=self.args.timeout)
            if opt.returncode != 0:
                lines = opt.stderr.strip().splitlines()
                errors = [l for l in lines if "error:" in l or "Assertion" in l]
                return "compile", (errors or lines[-1:] or ["?"])[:1], None
            libs = ",".join([self.args.shared_libs, *v.libs])
            run = subprocess.run([self.args.runner, "-e", "main",
                                  "-entry-point-result=void",
                                  f"-shared-libs={libs}"],
                                 input=opt.stdout, capture_output=True,
                                 text=True, timeout=self.args.timeout)
            if run.returncode != 0:
                return "run", [f"exit {run.returncode}: "
                               + (run.stderr.strip().splitlines() or ["?"])[-1]], None
            return None, None, harness.parse_output(run.stdout)
        except subprocess.TimeoutExpired:
            return "run", ["timeout"], None
        finally:
            os.unlink(path)

    def run_group(self, v: Variant, group) -> list[Outcome]:
        """group: [(index, case, inputs)]; splits on a module failure."""
        cases = [c for _, c, _ in group]
        inputs = [x for _, _, x in group]
        kind, detail, outputs = self.compile_and_run(v, cases, inputs)
        if kind is not None:
            if len(group) == 1:
                i, c, _ = group[0]
                return [Outcome(i, c, kind, detail[0])]
            half = len(group) // 2
            return self.run_group(v, group[:half]) + self.run_group(v, group[half:])
        result = []
        outputs = outputs + [None] * (len(group) - len(outputs))
        for (i, c, x), out in zip(group, outputs):
            if out is None:
                result.append(Outcome(i, c, "run", "no output"))
                continue
            problem = harness.compare(c, harness.decode(out, c),
                                      harness.reference_result(c, x), x)
            result.append(Outcome(i, c, "wrong" if problem else "pass", problem or ""))
        return result


def make_group(args, v: Variant, indices):
    group = []
    for i in indices:
        c = random_case(case_random(args.seed, v.name, i), v)
        group.append((i, c, harness.make_inputs(c, case_rng(args.seed, v.name, i))))
    return group


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--opt", default="inhibitor-opt")
    p.add_argument("--runner", default="mlir-runner")
    p.add_argument("--shared-libs", required=True,
                   help="mlir-runner's runner utils (comma-separated)")
    p.add_argument("--omp", default="/usr/lib/llvm-22/lib/libomp.so")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--cases", type=int, default=20, help="cases per variant")
    p.add_argument("--first", type=int, default=0, help="index of the first case")
    p.add_argument("--batch", type=int, default=20, help="cases per compiled module")
    p.add_argument("--jobs", type=int, default=1, help="modules compiled in parallel")
    p.add_argument("--timeout", type=int, default=600, help="seconds per tool run")
    p.add_argument("--variants", default="all",
                   help="comma-separated variant names, or 'all'")
    p.add_argument("--list", action="store_true", help="list the variants and exit")
    p.add_argument("--max-report", type=int, default=10,
                   help="failures printed per variant")
    args = p.parse_args(argv)

    feats = host_features()
    every = variants({"omp": args.omp})
    if args.list:
        for v in every:
            pre = " ".join(v.pre)
            print(f"{v.name:22} {pre + ' ' if pre else ''}--{v.pipeline}"
                  + (f"   (needs {v.needs})" if v.needs else ""))
        return 0
    chosen = every if args.variants == "all" else [
        v for name in args.variants.split(",") for v in every if v.name == name]
    if args.variants != "all" and len(chosen) != len(args.variants.split(",")):
        p.error(f"unknown variant in {args.variants!r}; --list names them")

    runner = Runner(args)
    total_pass = total_fail = 0
    start = time.time()
    for v in chosen:
        if v.needs and v.needs not in feats:
            print(f"{v.name}: skipped (host CPU lacks {v.needs})")
            continue
        indices = list(range(args.first, args.first + args.cases))
        chunks = [indices[k:k + args.batch] for k in range(0, len(indices), args.batch)]
        outcomes: list[Outcome] = []

        def work(chunk, v=v):
            return runner.run_group(v, make_group(args, v, chunk))

        with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            for res in pool.map(work, chunks):
                outcomes += res
        counts = {k: sum(o.kind == k for o in outcomes)
                  for k in ("pass", "wrong", "compile", "run")}
        failed = len(outcomes) - counts["pass"]
        total_pass += counts["pass"]
        total_fail += failed
        print(f"{v.name}: {counts['pass']} passed, {failed} failed "
              f"({counts['wrong']} wrong, {counts['compile']} compile errors, "
              f"{counts['run']} run-time errors)", flush=True)
        for o in [o for o in outcomes if o.kind != "pass"][:args.max_report]:
            print(f"  FAIL [{o.kind}] case {o.index}: {o.case.describe()}: {o.detail}")
            print(f"    reproduce: {sys.executable} {os.path.abspath(__file__)} "
                  f"--opt {args.opt} --runner {args.runner} "
                  f"--shared-libs {args.shared_libs} --omp {args.omp} "
                  f"--seed {args.seed} --variants {v.name} --first {o.index} --cases 1")
    print(f"{total_pass} passed, {total_fail} failed "
          f"({time.time() - start:.0f} s)")
    return 1 if total_fail else 0


if __name__ == "__main__":
    sys.exit(main())
