"""The short version of benchmarks/approx_digits.py (1 seed, 3 epochs, 1
epoch of fine-tuning): it runs end to end through the compiled filtered
kernels, writes its results, the filter at target 0 changes nothing, the
dropped fractions follow the targets and dropping most keys costs accuracy.
Skipped when PyTorch, scikit-learn or libInhibitorCAPI.so is missing."""

import json
import os
import subprocess
import sys

import pytest

pytest.importorskip("torch", reason="PyTorch (Debian's python3-torch) is not installed")
pytest.importorskip("sklearn", reason="scikit-learn (Debian's python3-sklearn) is not installed")
pytest.importorskip("matplotlib", reason="matplotlib is not installed")

import inhibitor  # noqa: E402

try:
    inhibitor.library_path()
    NO_LIB = ""
except inhibitor.LibraryNotFound as e:
    NO_LIB = str(e)

SCRIPT = os.path.join(os.path.dirname(__file__), "..", "..", "benchmarks", "approx_digits.py")


@pytest.mark.skipif(bool(NO_LIB), reason=NO_LIB or "library found")
def test_approx_digits_quick(tmp_path):
    out = subprocess.run([sys.executable, SCRIPT, "--seeds", "1", "--epochs", "3", "--finetune",
                          "1", "--operand-bits", "4", "--out", str(tmp_path)],
                         capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr
    (js,) = [p for p in os.listdir(tmp_path) if p.endswith(".json")]
    assert {p.rsplit(".", 1)[1] for p in os.listdir(tmp_path)} == {"json", "csv", "png"}
    data = json.load(open(tmp_path / js))
    assert data["meta"]["cpu"] and data["meta"]["finetune_epochs"] == 1
    rows = data["rows"]
    for form in ("float", "int16", "int8"):
        sel = {r["target_drop"]: r for r in rows if r["form"] == form}
        assert sel[0.0]["dropped"] == 0 and sel[0.0]["accuracy"] == sel[0.0]["baseline_accuracy"]
        for drop, r in sel.items():
            assert drop - 0.06 <= r["dropped"] <= drop + 0.02
        assert sel[0.95]["accuracy"] < sel[0.0]["accuracy"]
    assert {r["form"] for r in rows} >= {"float+finetuned", "int8+finetuned"}
