"""sklearn-gwin: Generative Well-intentioned Networks for scikit-learn."""

from ._cv import GWINClassifierCV
from ._gwin import GWINClassifier

__version__ = "0.1.0.dev0"

__all__ = ["GWINClassifier", "GWINClassifierCV", "__version__"]
