"""The paper-reproduction benchmark behind ``gwin benchmark`` (Tables 1-2, Figures 2-5)."""

from .presets import PRESETS
from .runner import run_benchmark

__all__ = ["PRESETS", "run_benchmark"]
