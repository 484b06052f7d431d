#!/usr/bin/env python3
"""Digits: dot-product vs Inhibitor attention, float vs integer, end to end.

scikit-learn's digits (1,797 8x8 images, Debian's python3-sklearn), each
image a sequence of its 8 rows (8 pixels each), classified by a one-block
pre-norm Transformer (embedding + learned positions, attention, GELU MLP,
mean pooling, linear head). Trained four ways per seed:

  dot-product   torch.nn.MultiheadAttention
  inhibitor     inhibitor.nn.InhibitorAttention, evaluated through the
                compiled float32 kernel
  inhibitor-int16 / inhibitor-int8
                the same trained model, calibrated on training batches and
                its attention run in 16- / 8-bit integers through
                --inhibitor-quantize (post-training; nothing retrained)

Prints mean, spread and paired t-tests over seeds; writes CSV, JSON and a
plot to --out. Also checks, for every seed, that the integer attention
agrees with its float self within the pass's error bound on the test set.

    python3 examples/digits/digits.py                # 5 seeds, ~minutes on 2 cores
    python3 examples/digits/digits.py --quick        # the test-suite version
"""

from __future__ import annotations

import argparse
import csv
import datetime
import json
import math
import os
import platform
import sys
import time

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "python"))

import inhibitor.nn as inn  # noqa: E402
from inhibitor import quantize as iq  # noqa: E402

VARIANTS = ("dot-product", "inhibitor", "inhibitor-int16", "inhibitor-int8")


def load_digits_split(seed=0):
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split
    x, y = load_digits(return_X_y=True)
    x = (x / 16.0).astype(np.float32).reshape(-1, 8, 8)  # 8 rows of 8 pixels
    xtr, xte, ytr, yte = train_test_split(x, y, test_size=0.2, random_state=seed, stratify=y)
    return (torch.from_numpy(xtr), torch.from_numpy(ytr).long(),
            torch.from_numpy(xte), torch.from_numpy(yte).long())


class Block(torch.nn.Module):
    def __init__(self, dim, heads, kind):
        super().__init__()
        self.norm1, self.norm2 = torch.nn.LayerNorm(dim), torch.nn.LayerNorm(dim)
        if kind == "dot-product":
            self.attn = torch.nn.MultiheadAttention(dim, heads, batch_first=True)
        else:
            self.attn = inn.InhibitorAttention(dim, heads)   # the defaults: gamma = head_dim
        self.mlp = torch.nn.Sequential(torch.nn.Linear(dim, 2 * dim), torch.nn.GELU(),
                                       torch.nn.Linear(2 * dim, dim))

    def forward(self, x):
        h = self.norm1(x)
        if isinstance(self.attn, torch.nn.MultiheadAttention):
            a = self.attn(h, h, h, need_weights=False)[0]
        else:
            a = self.attn(h)
        x = x + a
        return x + self.mlp(self.norm2(x))


class DigitsTransformer(torch.nn.Module):
    def __init__(self, kind, dim=32, heads=2, rows=8, cols=8, classes=10):
        super().__init__()
        self.embed = torch.nn.Linear(cols, dim)
        self.pos = torch.nn.Parameter(torch.zeros(rows, dim))
        self.block = Block(dim, heads, kind)
        self.norm = torch.nn.LayerNorm(dim)
        self.head = torch.nn.Linear(dim, classes)

    def forward(self, x):
        return self.head(self.norm(self.block(self.embed(x) + self.pos).mean(1)))


def train(kind, seed, data, epochs, batch=64, lr=3e-3):
    xtr, ytr, _, _ = data
    torch.manual_seed(seed)
    model = DigitsTransformer(kind)
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=1e-4)
    gen = torch.Generator().manual_seed(seed)
    model.train()
    for _ in range(epochs):
        perm = torch.randperm(len(xtr), generator=gen)
        for i in range(0, len(perm), batch):
            idx = perm[i:i + batch]
            loss = torch.nn.functional.cross_entropy(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
    return model.eval()


def predict(model, x):
    with torch.no_grad():
        return model(x).argmax(1)


def attention_inputs(model, x):
    """Q, K, V [B, heads, N, head_dim] of the model's InhibitorAttention on x."""
    seen = {}
    attn = model.block.attn
    hook = attn.register_forward_pre_hook(lambda m, args: seen.setdefault("h", args[0]))
    try:
        with torch.no_grad():
            model(x)
            h = seen["h"]
            return tuple(attn._split(p(h)) for p in (attn.q_proj, attn.k_proj, attn.v_proj))
    finally:
        hook.remove()


def check_agreement(model, x):
    """For the quantized attention of `model`: the largest |H_int - H| on x
    in units of the scale, the pass's bound (with the saturated excess of
    inputs beyond the calibrated range), whether the compiled kernel is
    bit-exact with the NumPy mirror, and that excess (units)."""
    attn = model.block.attn
    q, k, v = attention_inputs(model, x)
    p = attn.quantization.parameters(attn.gamma, attn.alpha)
    h_float = inn.inhibitor_attention(q.double(), k.double(), v.double(), gamma=attn.gamma,
                                      alpha=attn.alpha, signed=attn.signed).numpy()
    arrays = [t.numpy() for t in (q, k, v)]
    h_int = iq.compiled_attention(*arrays, gamma=attn.gamma, alpha=attn.alpha,
                                  signed=attn.signed, scale=p.scale,
                                  qk_scale=attn.quantization.qk_scale, bits=p.bits)
    mirror = iq.attention(*arrays, p, signed=attn.signed)
    err = float(np.max(np.abs(h_int.astype(np.float64) - h_float))) / p.scale
    # Test data may leave the range calibrated on training data: the
    # saturated excess enters the bound (0 when everything is in range).
    qk_excess = max(iq.excess(arrays[0], p.qk_scale, p.bits),
                    iq.excess(arrays[1], p.qk_scale, p.bits))
    v_excess = iq.excess(arrays[2], p.scale, p.bits)
    bound = iq.error_bound(q.shape[-1], k.shape[-2], p, qk_excess=qk_excess, v_excess=v_excess)
    return err, bound, bool(np.array_equal(h_int, mirror)), qk_excess + v_excess


def run(seeds, epochs, calib_samples=None, log=print):
    data = load_digits_split()
    xtr, _, xte, yte = data
    rows = []
    for seed in seeds:
        t0 = time.time()
        dot = train("dot-product", seed, data, epochs)
        acc = {"dot-product": (predict(dot, xte) == yte).float().mean().item()}
        inh = train("inhibitor", seed, data, epochs)
        pred_float = predict(inh, xte)
        assert inh.block.attn.last_path == "kernel"
        acc["inhibitor"] = (pred_float == yte).float().mean().item()
        gen = torch.Generator().manual_seed(1000 + seed)
        calib = xtr[torch.randperm(len(xtr), generator=gen)[:calib_samples]]   # None: all
        inn.calibrate(inh, [calib[i:i + 256] for i in range(0, len(calib), 256)])
        checks = {}
        for bits in (16, 8):
            inn.quantize(inh, bits)
            pred = predict(inh, xte)
            assert inh.block.attn.last_path == f"kernel-int{bits}"
            acc[f"inhibitor-int{bits}"] = (pred == yte).float().mean().item()
            err, bound, exact, sat = check_agreement(inh, xte)
            checks[bits] = {"agree": (pred == pred_float).float().mean().item(),
                            "err": err, "bound": bound, "bit_exact": exact,
                            "saturation": sat, "scale": inh.block.attn.quantization.scale}
        inn.quantize(inh, None)
        row = {"seed": seed, **acc}
        for bits, c in checks.items():
            row[f"int{bits}_agree"] = c["agree"]
            row[f"int{bits}_err_units"] = c["err"]
            row[f"int{bits}_bound_units"] = c["bound"]
            row[f"int{bits}_bit_exact"] = c["bit_exact"]
            row[f"int{bits}_saturation_units"] = c["saturation"]
            row[f"int{bits}_scale"] = c["scale"]
        rows.append(row)
        log(f"seed {seed}: " + "  ".join(f"{v} {acc[v]:.4f}" for v in VARIANTS)
            + f"  ({time.time() - t0:.0f} s)", flush=True)
    return rows


def summarize(rows):
    """Per variant: mean, std (ddof 1), min, max; paired t-tests (by seed)
    against the float Inhibitor, and Welch's test dot-product vs Inhibitor."""
    from scipy import stats
    table = {}
    for v in VARIANTS:
        a = np.array([r[v] for r in rows])
        table[v] = {"mean": float(a.mean()), "std": float(a.std(ddof=1)) if len(a) > 1 else 0.0,
                    "min": float(a.min()), "max": float(a.max())}
    base = np.array([r["inhibitor"] for r in rows])
    for v in VARIANTS:
        if v == "inhibitor" or len(rows) < 2:
            continue
        a = np.array([r[v] for r in rows])
        diff = a - base
        if np.allclose(diff, diff[0]):
            # No spread: the t-test is undefined; equal everywhere is p = 1.
            p = 1.0 if diff[0] == 0 else float("nan")
        else:
            p = float(stats.ttest_rel(a, base).pvalue)
        table[v]["diff_vs_inhibitor"] = float(diff.mean())
        table[v]["paired_p_vs_inhibitor"] = p
    if len(rows) >= 2:
        dot = np.array([r["dot-product"] for r in rows])
        table["dot-product"]["welch_p_vs_inhibitor"] = float(
            stats.ttest_ind(dot, base, equal_var=False).pvalue)
    return table


def format_table(table, n):
    lines = [f"test accuracy over {n} seeds (360 test images)",
             f"{'variant':<17} {'mean':>7} {'std':>6} {'min':>7} {'max':>7}  "
             f"{'vs inhibitor float':>19}  {'paired p':>8}"]
    for v in VARIANTS:
        t = table[v]
        diff = t.get("diff_vs_inhibitor")
        p = t.get("paired_p_vs_inhibitor")
        lines.append(f"{v:<17} {t['mean']:7.4f} {t['std']:6.4f} {t['min']:7.4f} {t['max']:7.4f}  "
                     + (f"{diff:+19.4f}  {p:8.3f}" if diff is not None else f"{'':>19}  {'':>8}"))
    if "welch_p_vs_inhibitor" in table["dot-product"]:
        lines.append(f"dot-product vs inhibitor float, Welch's t-test: "
                     f"p = {table['dot-product']['welch_p_vs_inhibitor']:.3f}")
    return "\n".join(lines)


def cpu_name():
    """/proc/cpuinfo's model name, with LLVM's name for the host CPU (what
    the kernels are compiled for) where llc is found."""
    name = platform.processor() or "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    name = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    try:
        import subprocess
        out = subprocess.run(["/usr/lib/llvm-22/bin/llc", "--version"], capture_output=True,
                             text=True, timeout=30).stdout
        host = [ln.split(":", 1)[1].strip() for ln in out.splitlines() if "Host CPU" in ln]
        if host:
            name += f" ({host[0]})"
    except (OSError, subprocess.SubprocessError):
        pass
    return name


def plot(rows, table, path, title):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(6.4, 3.8))
    xs = np.arange(len(VARIANTS))
    means = [table[v]["mean"] * 100 for v in VARIANTS]
    stds = [table[v]["std"] * 100 for v in VARIANTS]
    ax.bar(xs, means, yerr=stds, capsize=4, color=["#999999", "#1f77b4", "#4a98c9", "#8cc0de"])
    for i, v in enumerate(VARIANTS):
        pts = [r[v] * 100 for r in rows]
        ax.scatter(np.full(len(pts), i) + np.linspace(-0.15, 0.15, len(pts)), pts, s=10,
                   color="black", zorder=3)
    lo = min(r[v] for r in rows for v in VARIANTS) * 100
    ax.set_ylim(max(0, lo - 2), 100)
    ax.set_xticks(xs, VARIANTS)
    ax.set_ylabel("test accuracy (%)")
    ax.set_title(title, fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seeds", type=int, default=5)
    ap.add_argument("--epochs", type=int, default=20)
    ap.add_argument("--threads", type=int, default=1, help="PyTorch threads (default 1)")
    ap.add_argument("--out", default=os.path.join(HERE, "results"))
    ap.add_argument("--quick", action="store_true",
                    help="2 seeds, 3 epochs: checks that everything runs (the test suite)")
    args = ap.parse_args(argv)
    if args.quick:
        args.seeds, args.epochs = 2, 3
    torch.set_num_threads(args.threads)
    started = time.time()
    rows = run(range(args.seeds), args.epochs)
    table = summarize(rows)
    print(format_table(table, len(rows)))
    for bits in (16, 8):
        worst = max(r[f"int{bits}_err_units"] / r[f"int{bits}_bound_units"] for r in rows)
        err = max(r[f"int{bits}_err_units"] for r in rows)
        sat = max(r[f"int{bits}_saturation_units"] for r in rows)
        agree = min(r[f"int{bits}_agree"] for r in rows)
        exact = all(r[f"int{bits}_bit_exact"] for r in rows)
        print(f"int{bits}: attention error on the test set <= {err:.2f} units of the scale, "
              f"{worst:.3f} x the bound (test data beyond the calibrated range by <= {sat:.2f} "
              f"units); predictions equal to the float model's: >= {agree:.4f}; "
              f"kernel bit-exact with the NumPy mirror: {exact}")
    elapsed = time.time() - started
    print(f"{elapsed:.0f} s, {args.threads} PyTorch thread(s), {cpu_name()}")
    if args.quick:
        return rows, table
    os.makedirs(args.out, exist_ok=True)
    date = datetime.date.today().isoformat()
    stem = os.path.join(args.out, f"digits-{date}")
    with open(stem + ".csv", "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    meta = {"date": date, "cpu": cpu_name(), "cores": os.cpu_count(), "seconds": elapsed,
            "seeds": args.seeds, "epochs": args.epochs, "threads": args.threads,
            "torch": torch.__version__, "table": table, "rows": rows}
    with open(stem + ".json", "w") as f:
        json.dump(meta, f, indent=1)
    plot(rows, table, stem + ".png",
         f"digits, {len(rows)} seeds, {args.epochs} epochs ({date}, {cpu_name()})")
    print(f"wrote {stem}.csv, .json, .png")
    return rows, table


if __name__ == "__main__":
    main()
