"""Conditional WGAN-GP of the GWIN: critic and generator modules, training loop."""

from .augment import RandomAffine
from .modules import ConvCritic, ConvGenerator, MLPCritic, MLPGenerator, WarpGenerator
from .trainer import gradient_penalty, train_wgwin_gp

__all__ = [
    "ConvCritic",
    "ConvGenerator",
    "MLPCritic",
    "MLPGenerator",
    "RandomAffine",
    "WarpGenerator",
    "gradient_penalty",
    "train_wgwin_gp",
]
