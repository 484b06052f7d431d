#!/usr/bin/env python3
"""How much exact key skipping would skip on a trained model's attention:
the digits example (examples/digits: a one-block Transformer on
scikit-learn's digits, each 8x8 image a sequence of 8 rows, 2 heads of 16).

Trains the Inhibitor model per seed (as examples/digits/digits.py does),
takes Q, K, V of its attention on the test set, and counts, per (image,
head), with the rule of `skip-keys` (docs/KeySkipping.md): a pair (i, j)
is extinguished when Z[i,j] >= B_j (B_j = max_e |V[j,e]|, signed
inhibition as the model uses). Reported: the fraction of pairs
extinguished, of keys extinguished for every query of their sequence, and
of whole sequences (one 8 x 8 tile: what a tile-granular skip saves here),
in float (what the f32 kernel tests) and in the calibrated int16 / int8
forms (what `--inhibitor-quantize` makes the kernel compute).

    benchmarks/skip_digits.py [--seeds 2] [--epochs 20]

Writes benchmarks/results/skip-digits-<date>-<cpu>.json and prints a table.
"""

from __future__ import annotations

import argparse
import datetime
import json
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
from inhibitor import quantize as iq  # noqa: E402
from run import cpu_name, host_cpu  # noqa: E402


def extinguished(q, k, v, gamma, alpha, integer: bool):
    """(pairs, keys, sequences) extinguished, as fractions, for Q, K, V
    [B, heads, N, d]; integer data use floor division (the kernel's)."""
    q, k, v = (np.asarray(a, dtype=np.float64) for a in (q, k, v))
    s = np.abs(q[..., :, None, :] - k[..., None, :, :]).sum(-1)       # [B, h, N, M]
    z = np.maximum((np.floor(s / gamma) if integer else s / gamma) - alpha, 0)
    bound = np.abs(v).max(-1)                                          # [B, h, M]
    dead = z >= bound[..., None, :]
    return (float(dead.mean()), float(dead.all(-2).mean()),
            float(dead.all((-2, -1)).mean()))


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--seeds", type=int, default=2)
    p.add_argument("--epochs", type=int, default=20)
    p.add_argument("--out", default=os.path.join(HERE, "results"))
    args = p.parse_args()
    torch.set_num_threads(1)
    data = digits.load_digits_split()
    xtr, _, xte, yte = data
    rows = []
    for seed in range(args.seeds):
        model = digits.train("inhibitor", seed, data, args.epochs)
        acc = (digits.predict(model, xte) == yte).float().mean().item()
        attn = model.block.attn
        q, k, v = (t.numpy() for t in digits.attention_inputs(model, xte))
        forms = {"float": extinguished(q, k, v, attn.gamma, attn.alpha, integer=False)}
        gen = torch.Generator().manual_seed(1000 + seed)
        calib = xtr[torch.randperm(len(xtr), generator=gen)]
        inn.calibrate(model, [calib[i:i + 256] for i in range(0, len(calib), 256)])
        for bits in (16, 8):
            inn.quantize(model, bits)
            prm = attn.quantization.parameters(attn.gamma, attn.alpha)
            qi = iq.quantize_array(q, prm.qk_scale, bits, prm.rounding)
            ki = iq.quantize_array(k, prm.qk_scale, bits, prm.rounding)
            vi = iq.quantize_array(v, prm.scale, bits, prm.rounding)
            forms[f"int{bits}"] = extinguished(qi, ki, vi, prm.gamma, prm.alpha, integer=True)
        inn.quantize(model, None)
        for form, (pairs, keys, seqs) in forms.items():
            rows.append({"seed": seed, "form": form, "accuracy": acc, "pairs": pairs,
                         "keys": keys, "sequences": seqs})
            print(f"seed {seed} {form:6}: accuracy {acc:.4f}; extinguished: pairs {pairs:6.1%}, "
                  f"keys (for every query) {keys:6.1%}, whole 8x8 tiles {seqs:6.1%}", flush=True)
    stamp = datetime.date.today().isoformat()
    os.makedirs(args.out, exist_ok=True)
    path = os.path.join(args.out, f"skip-digits-{stamp}-{host_cpu()}.json")
    meta = {"cpu": cpu_name(), "llvm_host_cpu": host_cpu(), "epochs": args.epochs,
            "model": "examples/digits (dim 32, 2 heads of 16, N = 8, signed, gamma = 16)",
            "test_images": int(len(xte))}
    with open(path, "w") as f:
        json.dump({"meta": meta, "rows": rows}, f, indent=1)
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
