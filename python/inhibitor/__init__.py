"""Inhibitor attention (arXiv 2310.02041): the NumPy reference of SPEC section 1.

See :mod:`inhibitor.reference` for the exact semantics (the compiler's contract).
"""

from . import reference
from .reference import BFLOAT16, attention, inhibit, manhattan_score, to_bfloat16

__all__ = ["reference", "BFLOAT16", "attention", "inhibit", "manhattan_score", "to_bfloat16"]
