#!/usr/bin/python3
"""FHE cost report of inhibitor vs dot-product attention (docs/FHE.md).

No TFHE backend runs here: every number is what `inhibitor-opt
--inhibitor-fhe-cost` predicts from its counts and the published bootstrap
timings it is calibrated on (Concrete's and TFHE-rs's tables, see
docs/FHE.md). Nothing is fitted to the Inhibitor paper.

One command, after `scripts/build`:

    benchmarks/fhe/run.py

writes benchmarks/fhe/results/fhe-cost.{json,csv,png}:

1. `table3`: the paper's setting (single head, d = 2, 8-bit, n = 2, 4, 8,
   16) next to its Table 3 (Concrete on CPU, seconds), for both bootstrap
   models and for exact widths and for every lookup rounded to 8 bits first
   (`round-to-bits=8`, the paper's "8-bit" circuit read literally).
2. `scaling`: n = 64 .. 4096, d = 64, inputs of 8 and 16 bits.

Each case is dot-product attention in linalg (matmul, scale, linalg.softmax,
matmul: the form the CPU benchmark compiles) and the same module after
`--convert-attention-to-inhibitor` (signed inhibition, gamma = sqrt(d),
alpha = 0.5), so the inhibitor side is exactly what a user gets from the
rewrite.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import platform
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RESULTS = os.path.join(ROOT, "benchmarks", "fhe", "results")

# The paper's Table 3 (arXiv 2310.02041v2): seconds under TFHE (Concrete).
TABLE3 = {
    2: {"inhibitor": 0.749, "dot_product": 2.68},
    4: {"inhibitor": 8.56, "dot_product": 22.4},
    8: {"inhibitor": 23.8, "dot_product": 107.0},
    16: {"inhibitor": 127.0, "dot_product": 828.0},
}


def dot_product_module(n: int, d: int) -> str:
    """softmax(Q K^T / sqrt(d)) V in linalg on tensors, f32, one head."""
    scale = 1.0 / math.sqrt(d)
    t = lambda r, c: f"tensor<{r}x{c}xf32>"  # noqa: E731
    return f"""
func.func @attention(%q: {t(n, d)}, %k: {t(n, d)}, %v: {t(n, d)}) -> {t(n, d)} {{
  %zero = arith.constant 0.0 : f32
  %s = arith.constant {scale:.9e} : f32
  %es = tensor.empty() : {t(n, n)}
  %fs = linalg.fill ins(%zero : f32) outs(%es : {t(n, n)}) -> {t(n, n)}
  %qk = linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (m, k)>,
                                       affine_map<(m, n, k) -> (n, k)>,
                                       affine_map<(m, n, k) -> (m, n)>]
      ins(%q, %k : {t(n, d)}, {t(n, d)}) outs(%fs : {t(n, n)}) -> {t(n, n)}
  %scaled = linalg.generic {{indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>],
                            iterator_types = ["parallel", "parallel"]}}
      ins(%qk : {t(n, n)}) outs(%es : {t(n, n)}) {{
  ^bb0(%x: f32, %o: f32):
    %y = arith.mulf %x, %s : f32
    linalg.yield %y : f32
  }} -> {t(n, n)}
  %w = linalg.softmax dimension(1) ins(%scaled : {t(n, n)}) outs(%es : {t(n, n)}) -> {t(n, n)}
  %eo = tensor.empty() : {t(n, d)}
  %fo = linalg.fill ins(%zero : f32) outs(%eo : {t(n, d)}) -> {t(n, d)}
  %h = linalg.matmul ins(%w, %v : {t(n, n)}, {t(n, d)}) outs(%fo : {t(n, d)}) -> {t(n, d)}
  return %h : {t(n, d)}
}}
"""


def cost(opt: str, module: str, mechanism: str, **options) -> dict:
    """Runs --inhibitor-fhe-cost (after the rewrite for `inhibitor`)."""
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "in.mlir")
        out = os.path.join(tmp, "cost.json")
        with open(src, "w") as f:
            f.write(module)
        opts = " ".join(f"{k.replace('_', '-')}={v}" for k, v in options.items())
        passes = [f"--inhibitor-fhe-cost=json=true output={out} {opts}".strip()]
        if mechanism == "inhibitor":
            passes.insert(0, "--convert-attention-to-inhibitor")
        subprocess.run([opt, src, *passes, "-o", os.devnull], check=True)
        with open(out) as f:
            report = json.load(f)
    ops = [op["op"] for op in report["functions"][0]["ops"]]
    if mechanism == "inhibitor" and ops != ["inhibitor.attention"]:
        sys.exit(f"the rewrite did not produce one inhibitor.attention: {ops}")
    return report["functions"][0]["total"]


def row(n, d, bits, mechanism, model, round_to, total):
    return {
        "n": n, "d": d, "input_bits": bits, "mechanism": mechanism,
        "model": model, "round_to_bits": round_to,
        "pbs": total["pbs"],
        "pbs_by_bits": total["pbs_by_bits"],
        "max_bits": total["max_bits"],
        "ct_ct_mul": total["ct_ct_mul"],
        "ct_clear_mul": total["ct_clear_mul"],
        "additions": total["additions"],
        "pbs_depth": total["pbs_depth"],
        "mul_depth": total["mul_depth"],
        "seconds": total["seconds"],
        "path_seconds": total["path_seconds"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--opt", default=os.path.join(ROOT, "build", "bin", "inhibitor-opt"))
    parser.add_argument("--out", default=RESULTS)
    parser.add_argument("--max-n", type=int, default=4096)
    args = parser.parse_args()

    table3, scaling = [], []
    for n in sorted(TABLE3):
        module = dot_product_module(n, 2)
        for model in ("concrete", "tfhe-rs"):
            for round_to in (0, 8):
                for mech in ("dot_product", "inhibitor"):
                    total = cost(args.opt, module, mech, input_bits=8, model=model,
                                 round_to_bits=round_to)
                    table3.append(row(n, 2, 8, mech, model, round_to, total))
    n = 64
    while n <= args.max_n:
        module = dot_product_module(n, 64)
        for bits in (8, 16):
            for round_to in (0, 8):
                for mech in ("dot_product", "inhibitor"):
                    total = cost(args.opt, module, mech, input_bits=bits, model="concrete",
                                 round_to_bits=round_to)
                    scaling.append(row(n, 64, bits, mech, "concrete", round_to, total))
        n *= 2

    # Ratios inhibitor / dot-product beside the paper's.
    comparison = []
    for n in sorted(TABLE3):
        for model in ("concrete", "tfhe-rs"):
            for round_to in (0, 8):
                sel = {r["mechanism"]: r for r in table3
                       if r["n"] == n and r["model"] == model and r["round_to_bits"] == round_to}
                comparison.append({
                    "n": n, "model": model, "round_to_bits": round_to,
                    "inhibitor_s": sel["inhibitor"]["seconds"],
                    "dot_product_s": sel["dot_product"]["seconds"],
                    "ratio": sel["inhibitor"]["seconds"] / sel["dot_product"]["seconds"],
                    "inhibitor_path_s": sel["inhibitor"]["path_seconds"],
                    "dot_product_path_s": sel["dot_product"]["path_seconds"],
                    "path_ratio": sel["inhibitor"]["path_seconds"]
                    / sel["dot_product"]["path_seconds"],
                    "paper_inhibitor_s": TABLE3[n]["inhibitor"],
                    "paper_dot_product_s": TABLE3[n]["dot_product"],
                    "paper_ratio": TABLE3[n]["inhibitor"] / TABLE3[n]["dot_product"],
                })

    commit = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True).stdout.strip()
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    os.makedirs(args.out, exist_ok=True)
    result = {
        "what": "predicted by inhibitor-opt --inhibitor-fhe-cost (no FHE run); "
                "seconds = sequential sum of one bootstrap per lookup at its width; "
                "path_seconds = bootstrap seconds on the longest path (unlimited cores)",
        "commit": commit,
        "host_cpu_that_ran_the_analysis": cpu,
        "table3_comparison": comparison,
        "table3_rows": table3,
        "scaling": scaling,
    }
    with open(os.path.join(args.out, "fhe-cost.json"), "w") as f:
        json.dump(result, f, indent=1)
    with open(os.path.join(args.out, "fhe-cost.csv"), "w", newline="") as f:
        fields = ["table", "n", "d", "input_bits", "mechanism", "model", "round_to_bits",
                  "pbs", "pbs_by_bits", "max_bits", "ct_ct_mul", "ct_clear_mul",
                  "additions", "pbs_depth", "mul_depth", "seconds", "path_seconds"]
        w = csv.DictWriter(f, fieldnames=fields)
        w.writeheader()
        for name, rows in (("table3", table3), ("scaling", scaling)):
            for r in rows:
                w.writerow({"table": name, **r,
                            "pbs_by_bits": " ".join(f"{b}b:{c}" for b, c in
                                                    sorted(r["pbs_by_bits"].items(),
                                                           key=lambda kv: int(kv[0])))})

    print("Table 3 (seconds; seq = sequential bootstrap time, path = longest path)")
    print(f"{'n':>3} {'model':>9} {'round':>5} {'inh seq':>9} {'dot seq':>9} {'ratio':>6}"
          f" {'inh path':>9} {'dot path':>9} {'ratio':>6}"
          f" | {'paper inh':>9} {'paper dot':>9} {'ratio':>6}")
    for c in comparison:
        print(f"{c['n']:>3} {c['model']:>9} {c['round_to_bits']:>5} {c['inhibitor_s']:>9.3g}"
              f" {c['dot_product_s']:>9.3g} {c['ratio']:>6.3f} {c['inhibitor_path_s']:>9.3g}"
              f" {c['dot_product_path_s']:>9.3g} {c['path_ratio']:>6.3f} |"
              f" {c['paper_inhibitor_s']:>9} {c['paper_dot_product_s']:>9} {c['paper_ratio']:>6.3f}")
    print("\nScaling (d = 64, Concrete model)")
    print(f"{'n':>5} {'bits':>4} {'round':>5} {'mechanism':>12} {'pbs':>14} {'max-bits':>8}"
          f" {'depth':>7} {'seq s':>10} {'path s':>10}")
    for r in scaling:
        print(f"{r['n']:>5} {r['input_bits']:>4} {r['round_to_bits']:>5} {r['mechanism']:>12}"
              f" {r['pbs']:>14} {r['max_bits']:>8} {r['pbs_depth']:>3}/{r['mul_depth']:<3}"
              f" {r['seconds']:>10.3g} {r['path_seconds']:>10.3g}")

    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib missing: no plot")
        return
    fig, axes = plt.subplots(1, 3, figsize=(16, 4.8))
    ax = axes[0]
    ns = sorted(TABLE3)
    for model, style in (("concrete", "-"), ("tfhe-rs", ":")):
        for round_to, marker in ((0, "o"), (8, "s")):
            ratios = [c["ratio"] for c in comparison
                      if c["model"] == model and c["round_to_bits"] == round_to]
            ax.plot(ns, ratios, style, marker=marker,
                    label=f"predicted, {model}, {'exact' if round_to == 0 else 'round to 8 b'}")
    for round_to, marker in ((0, "^"), (8, "v")):
        ratios = [c["path_ratio"] for c in comparison
                  if c["model"] == "concrete" and c["round_to_bits"] == round_to]
        ax.plot(ns, ratios, "--", marker=marker, color="gray",
                label=f"predicted longest path, concrete, "
                      f"{'exact' if round_to == 0 else 'round to 8 b'}")
    ax.plot(ns, [TABLE3[n]["inhibitor"] / TABLE3[n]["dot_product"] for n in ns], "k-",
            marker="*", markersize=10, label="paper Table 3")
    ax.set_xscale("log", base=2)
    ax.set_yscale("log")
    ax.set_xlabel("n (d = 2, 8-bit)")
    ax.set_ylabel("time inhibitor / dot-product")
    ax.set_title("Table 3 setting: ratio")
    ax.legend(fontsize=7)
    for ax, key, label in ((axes[1], "seconds", "predicted sequential seconds"),
                           (axes[2], "pbs", "programmable bootstraps")):
        for bits, round_to, style in ((8, 0, "-"), (16, 0, "--"), (16, 8, ":")):
            if key == "pbs" and round_to:
                continue  # rounding adds lookups but does not change the rest
            for mech, color in (("dot_product", "tab:red"), ("inhibitor", "tab:blue")):
                rs = [r for r in scaling if r["input_bits"] == bits and r["mechanism"] == mech
                      and r["round_to_bits"] == round_to]
                ax.plot([r["n"] for r in rs], [r[key] for r in rs], style, color=color,
                        marker="o", label=f"{mech} i{bits}"
                        + (f", round to {round_to} b" if round_to else ", exact widths"))
        ax.set_xscale("log", base=2)
        ax.set_yscale("log")
        ax.set_xlabel("n (d = 64)")
        ax.set_ylabel(label)
        ax.set_title(f"Scaling: {label} (Concrete model)")
        ax.legend(fontsize=7)
    fig.suptitle("inhibitor-opt --inhibitor-fhe-cost: predicted TFHE cost (no FHE run)")
    fig.tight_layout()
    fig.savefig(os.path.join(args.out, "fhe-cost.png"), dpi=110)
    print(f"\nwrote {args.out}/fhe-cost.{{json,csv,png}}")


if __name__ == "__main__":
    main()
