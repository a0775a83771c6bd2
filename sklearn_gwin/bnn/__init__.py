"""Bayesian classifiers of the GWIN paper: Flipout layers, modules, skorch nets."""

from .classifier import BayesianLeNet5, BayesianNeuralNetClassifier, ImprovedBNN
from .flipout import Conv2dFlipout, LinearFlipout, kl_divergence
from .modules import ImprovedBNNModule, LeNet5Flipout

__all__ = [
    "BayesianLeNet5",
    "BayesianNeuralNetClassifier",
    "Conv2dFlipout",
    "ImprovedBNN",
    "ImprovedBNNModule",
    "LeNet5Flipout",
    "LinearFlipout",
    "kl_divergence",
]
