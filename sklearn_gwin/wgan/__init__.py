"""Conditional WGAN-GP of the GWIN: critic and generator modules, training loop."""

from .modules import ConvCritic, ConvGenerator, MLPCritic, MLPGenerator
from .trainer import gradient_penalty, train_wgwin_gp

__all__ = [
    "ConvCritic",
    "ConvGenerator",
    "MLPCritic",
    "MLPGenerator",
    "gradient_penalty",
    "train_wgwin_gp",
]
