"""The short version of examples/digits (2 seeds, 3 epochs): it runs end to
end, the integer attention agrees with its float self within the
--inhibitor-quantize bound and bit-exactly with the NumPy mirror, and the
int16 model predicts (nearly) what the float model predicts. Skipped when
PyTorch, scikit-learn or libInhibitorCAPI.so is missing."""

import importlib.util
import os

import pytest

pytest.importorskip("torch", reason="PyTorch (Debian's python3-torch) is not installed")
pytest.importorskip("sklearn", reason="scikit-learn (Debian's python3-sklearn) is not installed")
pytest.importorskip("scipy", reason="SciPy (Debian's python3-scipy) is not installed")

import inhibitor  # noqa: E402

try:
    inhibitor.library_path()
    NO_LIB = ""
except inhibitor.LibraryNotFound as e:
    NO_LIB = str(e)

EXAMPLE = os.path.join(os.path.dirname(__file__), "..", "..", "examples", "digits", "digits.py")


@pytest.mark.skipif(bool(NO_LIB), reason=NO_LIB or "library found")
def test_digits_quick():
    spec = importlib.util.spec_from_file_location("digits_example", EXAMPLE)
    digits = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(digits)
    rows, table = digits.main(["--quick"])
    assert len(rows) == 2
    for r in rows:
        for bits in (16, 8):
            assert r[f"int{bits}_bit_exact"]
            assert 0 <= r[f"int{bits}_err_units"] <= r[f"int{bits}_bound_units"]
        assert r["int16_agree"] >= 0.99          # int16: the same predictions, up to a few
        assert r["int8_agree"] >= 0.95
        assert r["inhibitor"] > 0.5              # 3 epochs already learn (chance: 0.1)
    assert set(table) == set(digits.VARIANTS)
