"""A differentiable view of the fixed classifier, for the transformation penalty."""

import copy

import torch
from sklearn.frozen import FrozenEstimator
from torch import nn
from torch.nn import functional as F


def unwrap_frozen(estimator):
    """The estimator inside a ``FrozenEstimator``, or the estimator itself."""
    while isinstance(estimator, FrozenEstimator):
        estimator = estimator.estimator
    return estimator


def is_torch_classifier(estimator):
    """Whether ``estimator`` is a fitted skorch net whose module gives gradients."""
    return isinstance(getattr(unwrap_frozen(estimator), "module_", None), nn.Module)


class SampledNetLogProba(nn.Module):
    """Log-probabilities of a skorch net's module, with its stochastic layers sampled.

    The module is copied, so that the classifier itself is never touched: its
    parameters are frozen in the copy, dropout runs in training mode (sampled,
    as during the classifier's training), batch norm in evaluation mode (its
    running statistics must not move), and Flipout layers sample on every pass.

    Parameters
    ----------
    net : fitted skorch ``NeuralNet``
    input_shape : tuple of int
        Shape of one row as the net takes it, e.g. ``(784,)`` or ``(1, 28, 28)``.
    """

    def __init__(self, net, input_shape):
        super().__init__()
        self.module = copy.deepcopy(net.module_)
        self.module.requires_grad_(False)
        self.input_shape = tuple(input_shape)
        # skorch's NLLLoss convention: the module already outputs probabilities
        self.outputs_proba = isinstance(getattr(net, "criterion_", None), nn.NLLLoss)

    def train(self, mode=True):
        super().train(mode)
        for layer in self.module.modules():
            if isinstance(layer, nn.modules.batchnorm._BatchNorm):
                layer.eval()
            elif isinstance(layer, nn.modules.dropout._DropoutNd):
                layer.train()
        return self

    def forward(self, x):
        out = self.module(x.reshape(-1, *self.input_shape))
        if self.outputs_proba:
            return torch.log(out.clamp_min(torch.finfo(out.dtype).tiny))
        return F.log_softmax(out, dim=1)


class ClassifierInputMap(nn.Module):
    """Composes the unit-space -> classifier-space scaling with a log-proba module."""

    def __init__(self, log_proba, offset, scale):
        super().__init__()
        self.log_proba = log_proba
        self.register_buffer("offset", torch.as_tensor(offset, dtype=torch.float32))
        self.register_buffer("scale", torch.as_tensor(scale, dtype=torch.float32))

    def forward(self, x_unit):
        return self.log_proba(x_unit * self.scale + self.offset)
