"""sklearn-gwin: Generative Well-intentioned Networks for scikit-learn."""

from ._augmentation_choice import choose_augmentation
from ._cv import GWINClassifierCV
from ._gwin import GWINClassifier
from .paper import PAPER_SETTINGS
from .risk_control import AbstentionController

__version__ = "0.1.0.dev0"

__all__ = [
    "AbstentionController",
    "GWINClassifier",
    "GWINClassifierCV",
    "PAPER_SETTINGS",
    "choose_augmentation",
    "__version__",
]
