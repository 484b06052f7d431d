#!/usr/bin/env python3
"""Accuracy of the approximate key filter (LATTE-style, opt-in:
--inhibitor-approximate-filter, docs/KeySkipping.md) on the digits example
(examples/digits: a one-block Transformer on scikit-learn's digits, each
8x8 image a sequence of N = 8 rows, 2 heads of 16, signed, gamma = 16).

Per seed: train the Inhibitor model (as examples/digits/digits.py does),
calibrate and quantize it (int16, int8: inhibitor.nn.calibrate/quantize, on
1024 training images), then per target drop fraction set the filter with
inhibitor.nn.calibrate_filter (per head, the quantile of the low-precision
score of 4-bit operands: shift = bits - 4 for integers; a grid leaving 4
signed bits for float) on the same training images, and classify the test
set with the model's attention running through the compiled, filtered
kernel (the quantized path: --inhibitor-quantize, then the filter on the
integer op, then --inhibitor-to-llvm). Reported per (form, target): test
accuracy, its change against the unfiltered model (points), the fraction
of test pairs the filter actually dropped (= keys dropped per query, as
LATTE counts), the fraction of those that were exactly extinguished anyway
(Z >= max|V|: exact skipping would have dropped them for free) and the
exact skip's own fraction. LATTE reports 85-90% of keys filtered at < 1
point of accuracy on its (much longer) sequences. With --finetune E (default
5), a copy of each trained model is also fine-tuned for E epochs with a
float filter on (PyTorch path, thresholds re-calibrated to the target every
epoch; LATTE trains its thresholds with the model) and evaluated in float
and int8 ("float+finetuned", "int8+finetuned"; target 0 is the control:
the same fine-tuning without a filter).

    benchmarks/approx_digits.py [--seeds 3] [--epochs 20]

Writes benchmarks/results/approx-digits-<date>-<cpu>.{json,csv,png}
(benchmarks/run.py's write_results) and prints a table of mean and spread
over the seeds.
"""

from __future__ import annotations

import argparse
import os
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "examples", "digits"))
sys.path.insert(0, os.path.join(ROOT, "python"))
import digits  # noqa: E402
import inhibitor.nn as inn  # noqa: E402
from inhibitor import approx as ia  # noqa: E402
from inhibitor import quantize as iq  # noqa: E402
from run import write_results  # noqa: E402

DROPS = (0.0, 0.1, 0.2, 0.3, 0.5, 0.7, 0.8, 0.85, 0.9, 0.95)


def kernel_inputs(model, x):
    """Q, K, V [B, heads, N, d] as the attention's kernel sees them (ints
    after quantize), with the integer gamma/alpha and the bits (None)."""
    attn = model.block.attn
    q, k, v = (t.numpy() for t in digits.attention_inputs(model, x))
    p = attn.quantization
    if p is None:
        return q, k, v, attn.gamma, attn.alpha, False
    prm = p.parameters(attn.gamma, attn.alpha)
    return (iq.quantize_array(q, prm.qk_scale, p.bits, p.rounding),
            iq.quantize_array(k, prm.qk_scale, p.bits, p.rounding),
            iq.quantize_array(v, prm.scale, p.bits, p.rounding), prm.gamma, prm.alpha, True)


def extinguished(q, k, v, gamma, alpha, integer):
    q, k, v = (np.asarray(a, dtype=np.float64) for a in (q, k, v))
    s = np.abs(q[..., :, None, :] - k[..., None, :, :]).sum(-1)
    z = np.maximum((np.floor(s / gamma) if integer else s / gamma) - alpha, 0)
    return z >= np.abs(v).max(-1)[..., None, :]


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--seeds", type=int, default=3)
    p.add_argument("--epochs", type=int, default=20)
    p.add_argument("--calib", type=int, default=1024, help="calibration images")
    p.add_argument("--finetune", type=int, default=5,
                   help="epochs of fine-tuning with the filter on (0: none)")
    p.add_argument("--operand-bits", type=int, nargs="+", default=[4, 8],
                   help="signed bits of the low-precision operands")
    p.add_argument("--out", default=os.path.join(HERE, "results"))
    args = p.parse_args()
    torch.set_num_threads(1)
    data = digits.load_digits_split()
    xtr, _, xte, yte = data
    rows = []
    for seed in range(args.seeds):
        model = digits.train("inhibitor", seed, data, args.epochs)
        attn = model.block.attn
        gen = torch.Generator().manual_seed(1000 + seed)
        calib = xtr[torch.randperm(len(xtr), generator=gen)[:args.calib]]
        batches = [calib[i:i + 256] for i in range(0, len(calib), 256)]
        inn.calibrate(model, batches)
        for form in ("float", "int16", "int8"):
            inn.quantize(model, None if form == "float" else int(form[3:]))
            inn.calibrate_filter(model, batches, None)
            base = (digits.predict(model, xte) == yte).float().mean().item()
            q, k, v, gamma, alpha, integer = kernel_inputs(model, xte)
            dead = extinguished(q, k, v, gamma, alpha, integer)
            for ob, drop in [(ob, d) for ob in args.operand_bits for d in DROPS]:
                f = inn.calibrate_filter(model, batches, drop, operand_bits=ob)["block.attn"]
                acc = (digits.predict(model, xte) == yte).float().mean().item()
                assert attn.last_path.endswith("+filter"), attn.last_path
                keep = ia.keep_mask(q, k, f.thresholds, shift=f.shift, head_dim=1,
                                   acc_dtype=np.int64 if integer else np.float32)
                dropped = ~keep
                row = {"seed": seed, "form": form, "operand_bits": ob, "target_drop": drop, "accuracy": acc,
                       "baseline_accuracy": base, "delta_points": 100 * (acc - base),
                       "dropped": float(dropped.mean()),
                       "dropped_extinguished": float((dropped & dead).sum() / max(1, dropped.sum())),
                       "exact_skip": float(dead.mean()), "shift": f.shift,
                       "thresholds": " ".join(str(t) for t in f.thresholds)}
                rows.append(row)
                print(f"seed {seed} {form:5} {ob}-bit target {drop:4.0%}: accuracy {acc:.4f} "
                      f"({row['delta_points']:+.2f} points), dropped {row['dropped']:6.1%} "
                      f"(of which extinguished {row['dropped_extinguished']:6.1%}; exact skip "
                      f"{row['exact_skip']:6.1%})", flush=True)
        inn.calibrate_filter(model, batches, None)
        inn.quantize(model, None)
        if args.finetune:
            baselines = {r["form"]: r["baseline_accuracy"] for r in rows if r["seed"] == seed}
            rows += finetune_rows(model, seed, data, batches, args, baselines)
    meta = {"epochs": args.epochs, "seeds": args.seeds, "calibration_images": args.calib,
            "test_images": int(len(xte)), "operand_bits": args.operand_bits,
            "finetune_epochs": args.finetune,
            "model": "examples/digits (dim 32, 2 heads of 16, N = 8, signed, gamma = 16)",
            "path": "compiled kernel: inhibitor-quantize, inhibitor-approximate-filter, "
                    "inhibitor-to-llvm (float: the filter, inhibitor-to-llvm)"}
    base, meta = write_results(args.out, "approx-digits", meta, rows)
    table = summarize(rows)
    for line in table:
        print(line)
    plot(rows, base + ".png", meta)
    print(f"wrote {base}.{{json,csv,png}}")
    return 0


FT_DROPS = (0.0, 0.5, 0.7, 0.85, 0.9)


def finetune_rows(trained, seed, data, batches, args, baselines):
    """Fine-tunes a copy of the trained model for `args.finetune` epochs with
    a float filter on (PyTorch path: a fixed mask, re-calibrated to the
    target at the start of every epoch, since the scores move), then
    evaluates it as above: float (4-bit grid) and int8 (4-bit operands, the
    filter re-calibrated on the quantized model). Drop 0 is the control:
    the same fine-tuning without a filter. `delta_points` is against the
    model before fine-tuning (`baselines`: its unfiltered accuracy per form)."""
    import copy
    xtr, ytr, xte, yte = data
    out = []
    for drop in FT_DROPS:
        model = copy.deepcopy(trained)
        attn = model.block.attn
        opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=1e-4)
        gen = torch.Generator().manual_seed(2000 + seed)
        for _ in range(args.finetune):
            inn.calibrate_filter(model, batches, drop or None, operand_bits=4)
            model.train()
            perm = torch.randperm(len(xtr), generator=gen)
            for i in range(0, len(perm), 64):
                idx = perm[i:i + 64]
                loss = torch.nn.functional.cross_entropy(model(xtr[idx]), ytr[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
            assert attn.last_path == ("torch+filter" if drop else "torch"), attn.last_path
        model.eval()
        inn.calibrate(model, batches)
        for form in ("float", "int8"):
            inn.calibrate_filter(model, batches, None)
            inn.quantize(model, None if form == "float" else 8)
            if drop:
                inn.calibrate_filter(model, batches, drop, operand_bits=4)
            acc = (digits.predict(model, xte) == yte).float().mean().item()
            q, k, _, _, _, integer = kernel_inputs(model, xte)
            f = attn.approx_filter
            dropped = 0.0
            if f is not None:
                dropped = float((~ia.keep_mask(q, k, f.thresholds, shift=f.shift, head_dim=1,
                                               acc_dtype=np.int64 if integer else np.float32)).mean())
            base = baselines[form]
            row = {"seed": seed, "form": form + "+finetuned", "operand_bits": 4,
                   "target_drop": drop, "accuracy": acc, "baseline_accuracy": base,
                   "delta_points": 100 * (acc - base), "dropped": dropped,
                   "dropped_extinguished": float("nan"), "exact_skip": float("nan"),
                   "shift": f.shift if f else 0,
                   "thresholds": " ".join(str(t) for t in f.thresholds) if f else ""}
            out.append(row)
            print(f"seed {seed} {form}+finetuned ({args.finetune} epochs) target {drop:4.0%}: "
                  f"accuracy {acc:.4f} ({row['delta_points']:+.2f} points against the model "
                  f"before fine-tuning), dropped {dropped:6.1%}", flush=True)
        inn.calibrate_filter(model, batches, None)
    return out



def summarize(rows):
    lines = ["| form | operands | target drop | pairs dropped | accuracy | change (points) | "
             "dropped pairs already extinguished |",
             "|---|---|---|---|---|---|---|"]
    forms = ("float", "int16", "int8", "float+finetuned", "int8+finetuned")
    for form, ob, drop in [(f, b, d) for f in forms
                           for b in sorted({r["operand_bits"] for r in rows}) for d in DROPS]:
        if True:
            sel = [r for r in rows if r["form"] == form and r["target_drop"] == drop
                   and r["operand_bits"] == ob]
            if not sel:
                continue
            def ms(key, scale=1.0, sel=sel):
                a = np.array([r[key] for r in sel]) * scale
                return f"{a.mean():.1f} ± {a.std():.1f}" if scale != 1 or key == "delta_points" \
                    else f"{a.mean():.3f}"
            lines.append(f"| {form} | {ob}-bit | {drop:.0%} | {ms('dropped', 100)}% | "
                         f"{ms('accuracy', 100)}% | {ms('delta_points')} | "
                         f"{ms('dropped_extinguished', 100)}% |")
    return lines


def plot(rows, path, meta):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(6.5, 4))
    series = [(f, b, m, ls) for f, m in (("float", "o"), ("int16", "s"), ("int8", "^"))
              for b, ls in zip(sorted({r["operand_bits"] for r in rows}), ("-", ":"))]
    series += [(f, 4, m, "--") for f, m in (("float+finetuned", "D"), ("int8+finetuned", "v"))]
    for form, ob, marker, ls in series:
        xs, ys, es = [], [], []
        for drop in DROPS:
            sel = [r for r in rows if r["form"] == form and r["target_drop"] == drop
                   and r["operand_bits"] == ob]
            if sel:
                xs.append(100 * np.mean([r["dropped"] for r in sel]))
                d = np.array([r["delta_points"] for r in sel])
                ys.append(d.mean())
                es.append(d.std())
        ax.errorbar(xs, ys, yerr=es, marker=marker, linestyle=ls, capsize=3,
                    label=f"{form}, {ob}-bit operands")
    ax.axvspan(85, 90, color="0.85", label="LATTE: 85-90% of keys, < 1 point")
    ax.axhline(-1, color="0.5", linestyle="--", linewidth=0.8)
    ax.set_xlabel("pairs dropped (% of keys per query, test set)")
    ax.set_ylabel("accuracy change (points)")
    ax.set_title(f"approximate filter, digits (N = 8), {meta['seeds']} seeds, {meta['cpu']}",
                 fontsize=8)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=120)


if __name__ == "__main__":
    sys.exit(main())
