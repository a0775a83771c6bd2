"""sklearn-gwin: Generative Well-intentioned Networks for scikit-learn."""

from ._cv import GWINClassifierCV
from ._gwin import GWINClassifier
from .paper import PAPER_SETTINGS

__version__ = "0.1.0.dev0"

__all__ = ["GWINClassifier", "GWINClassifierCV", "PAPER_SETTINGS", "__version__"]
